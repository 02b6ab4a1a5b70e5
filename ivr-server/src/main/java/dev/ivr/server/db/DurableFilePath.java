package dev.ivr.server.db;

import dev.ivr.server.secrets.PrivateFiles;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;
import org.h2.store.fs.FileUtils;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The file system H2 keeps the default file database on ({@code jdbc:h2:durable:/path}): the
 * disk as usual, with two differences. Every write reaches the device before it returns
 * ({@code O_DSYNC}); together with {@code WRITE_DELAY=0} a commit is on disk when the
 * statement returns, and a write the disk refuses (full, failing) fails that commit instead of
 * a background writer later, unseen. And files are created 0600 (only the server's user).
 */
public final class DurableFilePath extends FilePathWrapper {
    static final String SCHEME = "durable";

    static {
        FilePath.register(new DurableFilePath());
    }

    /** Makes the scheme known to H2 (once per class loader). */
    static void register() {
        // the static initialiser did it
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    private Path path() {
        return Path.of(getBase().toString());
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        Set<OpenOption> options = new HashSet<>(FileUtils.modeToOptions(mode));
        if (options.contains(StandardOpenOption.WRITE)) {
            options.add(StandardOpenOption.DSYNC);
        }
        Path p = path();
        if (options.contains(StandardOpenOption.CREATE) && !Files.exists(p)) {
            return FileChannel.open(p, options, PrivateFiles.fileAttributes(p));
        }
        return FileChannel.open(p, options);
    }

    @Override
    public boolean createFile() {
        try {
            Files.createFile(path(), PrivateFiles.fileAttributes(path()));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            return super.createFile();
        }
    }

    @Override
    public OutputStream newOutputStream(boolean append) throws IOException {
        Path p = path();
        if (!Files.exists(p)) {
            try {
                Files.createFile(p, PrivateFiles.fileAttributes(p));
            } catch (FileAlreadyExistsException e) {
                // fine
            }
        }
        return Files.newOutputStream(p, StandardOpenOption.WRITE, append ? StandardOpenOption.APPEND
                : StandardOpenOption.TRUNCATE_EXISTING);
    }
}
