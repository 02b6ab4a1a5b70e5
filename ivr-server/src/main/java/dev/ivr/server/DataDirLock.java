package dev.ivr.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One server per data directory. Two servers writing the same outboxes would take each other's segment files
 * (one deleting a file the other is still appending to: records lost), and the same H2 file database; so a
 * server holds an exclusive lock on {@code <data-dir>/server.lock} from its start to its stop, and a second one
 * started on the same directory (a second process, or a server left running by a supervisor that lost track of
 * it) refuses to start, naming the process that holds it. The operating system drops the lock when the process
 * dies, so a crash never leaves a stale lock behind. The command-line tools ({@code ./ivr report}, ...) do not
 * take it: they only read, or write through the database.
 */
final class DataDirLock implements AutoCloseable {
    static final String FILE = "server.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or throws an {@link IllegalStateException} saying which process holds it. */
    static DataDirLock take(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another server in this JVM
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(ch);
            ch.close();
            throw new IllegalStateException("the data directory " + dataDir + " is in use by another ivr server"
                    + (holder.isEmpty() ? "" : " (process " + holder + ")")
                    + ": stop it first, or give this server its own node.data-dir");
        }
        try {
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(pid), 0);
        } catch (IOException e) {
            lock.release();
            ch.close();
            throw e;
        }
        return new DataDirLock(ch, lock);
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            int n = ch.read(buf, 0);
            return n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.US_ASCII).strip().replaceAll("[^0-9]", "");
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
