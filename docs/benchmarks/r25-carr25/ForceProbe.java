import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * carr25: what one outbox force costs the thread that makes it, on this machine's disk. Appends N lines of B bytes
 * (the size of a simple-flow call's end: its node events and CALL_ENDED, about 2 KB) to a new file in DIR, each
 * followed by a force (FileChannel.force(false): fdatasync), as Outbox.append does at every call's end, and prints
 * the thread's CPU time and the wall time per append + force; then the same with the file's blocks allocated and
 * zeroed beforehand (fdatasync without a size change), then without the force.
 * Usage: java docs/benchmarks/r25-carr25/ForceProbe.java DIR [N] [B]
 */
public class ForceProbe {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        int n = a.length > 1 ? Integer.parseInt(a[1]) : 1000;
        int b = a.length > 2 ? Integer.parseInt(a[2]) : 2000;
        Files.createDirectories(dir);
        for (int round = 0; round < 2; round++) {
            run(dir, n, b, "append + force (the file grows)", false, true, round == 1);
            run(dir, n, b, "write + force into blocks allocated beforehand", true, true, round == 1);
            run(dir, n, b, "append, no force", false, false, round == 1);
        }
    }

    static void run(Path dir, int n, int b, String what, boolean prealloc, boolean force, boolean print) throws Exception {
        Path f = Files.createTempFile(dir, "force-probe", ".jsonl");
        byte[] line = new byte[b];
        java.util.Arrays.fill(line, (byte) 'x');
        line[b - 1] = '\n';
        var mx = ManagementFactory.getThreadMXBean();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            if (prealloc) {
                ByteBuffer zero = ByteBuffer.allocate(1 << 20);
                for (long left = (long) n * b; left > 0; left -= zero.capacity()) {
                    zero.clear().limit((int) Math.min(zero.capacity(), left));
                    ch.write(zero);
                }
                ch.force(true);
                ch.position(0);
            }
            long cpu0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (force) {
                    ch.force(false);
                }
            }
            long cpu = mx.getCurrentThreadCpuTime() - cpu0, wall = System.nanoTime() - t0;
            if (print) {
                System.out.printf("%-50s %d x %d bytes: CPU %.1f us, wall %.1f us per append%n", what, n, b,
                        cpu / 1e3 / n, wall / 1e3 / n);
            }
        } finally {
            Files.delete(f);
        }
    }
}
