package dev.ivr.loadgen;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a server process from outside, as an admin would: heap used after a full GC (jcmd),
 * resident memory, threads, open file descriptors and CPU time, the whole process's and its JIT compilers' (/proc).
 */
public final class ProcessProbe {
    /**
     * G1, Parallel and Serial print "heap total 393216K, used 123456K"; ZGC prints "ZHeap used 120M"; Shenandoah (both
     * modes) prints "2048M max, 2048M soft max, 2048M committed, 123456K used" under "Shenandoah Heap".
     */
    private static final Pattern HEAP_USED = Pattern.compile(
            "(?:heap\\s+total.*?|ZHeap\\s+)used (\\d+)([KMG])|Shenandoah Heap\\s+.*?committed, (\\d+)([KMG]) used");

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

    /** The CPU time the process has used so far (user + system, all its threads), nanoseconds. */
    public long cpuNanos() throws IOException {
        return cpuTicks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat"))) * (1_000_000_000L / CLOCK_TICKS);
    }

    /** Clock ticks per second of /proc's times (getconf CLK_TCK; 100 on Linux unless told otherwise). */
    static final long CLOCK_TICKS = clockTicks();

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    /**
     * The CPU time of the JVM's JIT compiler threads so far (C1 and C2: named "C1 CompilerThre..." and "C2 CompilerThre..."
     * in /proc/PID/task/TID/stat), clock ticks by thread id; empty where there is no /proc. A compiler thread the JVM
     * stops while idle (dynamic compiler threads) takes its time with it: over a window, {@link #jitNanosBetween} then
     * counts less, never more.
     */
    public Map<Long, Long> jitTicks() {
        Map<Long, Long> ticks = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    if (isJitThread(stat)) {
                        ticks.put(Long.parseLong(t.getFileName().toString()), cpuTicks(stat));
                    }
                } catch (IOException | NumberFormatException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return ticks;
    }

    /** Whether a /proc/PID/task/TID/stat line is a JIT compiler thread's (HotSpot names them "C1/C2 CompilerThreadN"). */
    static boolean isJitThread(String stat) {
        int open = stat.indexOf('(');
        return open >= 0 && (stat.startsWith("C1 CompilerThre", open + 1) || stat.startsWith("C2 CompilerThre", open + 1));
    }

    /** The JIT compilers' CPU time between two {@link #jitTicks} readings, nanoseconds; -1 when there was none. */
    static long jitNanosBetween(Map<Long, Long> before, Map<Long, Long> after) {
        if (after.isEmpty()) {
            return -1;
        }
        long ticks = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            ticks += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
        }
        return ticks * (1_000_000_000L / CLOCK_TICKS);
    }

    /**
     * utime + stime of a /proc/PID/stat line, in clock ticks: fields 14 and 15, counted after the
     * command name in parentheses (which may itself hold spaces and parentheses).
     */
    static long cpuTicks(String stat) throws IOException {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IOException("not a /proc/PID/stat line: " + stat);
        }
        String[] f = stat.substring(close + 1).trim().split("\\s+");
        if (f.length < 13) {
            throw new IOException("not a /proc/PID/stat line: " + stat);
        }
        // after the name: state(3) ppid(4) ... utime(14) stime(15): indexes 11 and 12 here
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * The CPU time every process on the machine has used so far (all CPUs, busy time: user, nice,
     * system, irq, softirq, steal from /proc/stat), nanoseconds; -1 where there is no /proc/stat.
     * Over a window, minus the server's and the load generator's own, it is what other work took.
     */
    static long machineBusyNanos() {
        try (var lines = Files.lines(Path.of("/proc/stat"))) {
            String cpu = lines.findFirst().orElse("");
            return busyTicks(cpu) * (1_000_000_000L / CLOCK_TICKS);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Busy clock ticks of /proc/stat's aggregate "cpu" line: all but idle and iowait (guest time is inside user). */
    static long busyTicks(String cpuLine) throws IOException {
        String[] f = cpuLine.trim().split("\\s+");
        if (f.length < 9 || !f[0].equals("cpu")) {
            throw new IOException("not /proc/stat's cpu line: " + cpuLine);
        }
        // cpu user nice system idle iowait irq softirq steal [guest guest_nice]
        long busy = 0;
        for (int i : new int[]{1, 2, 3, 6, 7, 8}) {
            busy += Long.parseLong(f[i]);
        }
        return busy;
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
        int g = m.group(1) != null ? 1 : 3;
        int shift = switch (m.group(g + 1)) {
            case "K" -> 10;
            case "M" -> 20;
            default -> 30;
        };
        return Long.parseLong(m.group(g)) << shift;
    }

    /**
     * The live objects by class ({@code jcmd PID GC.class_histogram}: a full GC first, then one line per class with
     * its instances and bytes, largest first), as jcmd prints it.
     */
    public String classHistogram() throws IOException, InterruptedException {
        return run("GC.class_histogram");
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

    /** Starts a JFR recording in the process (jcmd JFR.start), with the profile settings and CPU-time sampling. */
    public void startRecording(String name) throws IOException, InterruptedException {
        run("JFR.start", "name=" + name, "settings=profile", "jdk.CPUTimeSample#enabled=true", "jdk.CPUTimeSample#throttle=5ms");
    }

    /** Stops a recording started with {@link #startRecording} and writes it to {@code file}. */
    public void stopRecording(String name, Path file) throws IOException, InterruptedException {
        run("JFR.stop", "name=" + name, "filename=" + file.toAbsolutePath());
    }

    private String run(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), String.valueOf(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
