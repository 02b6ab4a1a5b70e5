package dev.ivr.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a server process from outside, as an admin would: heap used after a full GC (jcmd),
 * resident memory, threads and open file descriptors (/proc).
 */
public final class ProcessProbe {
    /** G1, Parallel and Serial print "heap total 393216K, used 123456K"; ZGC prints "ZHeap used 120M". */
    private static final Pattern HEAP_USED = Pattern.compile("(?:heap\\s+total.*?|ZHeap\\s+)used (\\d+)([KMG])");

    private final long pid;
    private final Path jcmd;

    public ProcessProbe(long pid) {
        this.pid = pid;
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        this.jcmd = java.resolveSibling("jcmd");
    }

    public long pid() {
        return pid;
    }

    /** Heap in use right after a full GC, in bytes. */
    public long heapAfterFullGc() throws IOException, InterruptedException {
        run("GC.run");
        return heapUsed(run("GC.heap_info"));
    }

    /** The heap in use, in bytes, from the output of {@code jcmd PID GC.heap_info}. */
    static long heapUsed(String heapInfo) throws IOException {
        Matcher m = HEAP_USED.matcher(heapInfo);
        if (!m.find()) {
            throw new IOException("cannot read heap usage from jcmd GC.heap_info: " + heapInfo);
        }
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            default -> 30;
        };
        return Long.parseLong(m.group(1)) << shift;
    }

    /** Resident set size in bytes. */
    public long rss() throws IOException {
        return statusField("VmRSS") * 1024;
    }

    public long threads() throws IOException {
        return statusField("Threads");
    }

    public long openFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return s.count();
        }
    }

    private long statusField(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no " + name + " in /proc/" + pid + "/status");
    }

    private String run(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed: " + out);
        }
        return out;
    }
}
