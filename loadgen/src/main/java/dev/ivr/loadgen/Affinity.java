package dev.ivr.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Keeps the load generator and the server under test on separate CPUs with {@code taskset}, so
 * that the generator's own stalls (its GC, its thousands of fake-PBX threads) do not land on the
 * server's CPU and are not measured as the server's. Whether it works is checked, not assumed:
 * without {@code taskset}, or with a single CPU, both run unpinned and the report says so.
 */
final class Affinity {
    /** Where each side runs; {@code null} CPU lists mean not pinned, with the reason in {@code note}. */
    record Plan(String loadgenCpus, String serverCpus, String note) {
        boolean pinned() {
            return loadgenCpus != null && serverCpus != null;
        }

        /** The command prefix that starts the server on its CPUs (empty when not pinned). */
        List<String> serverPrefix() {
            return pinned() ? List.of("taskset", "-c", serverCpus) : List.of();
        }

        String describe() {
            return pinned() ? "load generator on CPU " + loadgenCpus + ", server on CPU " + serverCpus : "not pinned: " + note;
        }
    }

    private Affinity() {
    }

    /**
     * The plan: the CPUs asked for, else the first online CPU for the generator and the others
     * for the server; unpinned when {@code taskset} does not work or there is one CPU.
     */
    static Plan plan(List<Integer> online, boolean tasksetWorks, String loadgenCpus, String serverCpus) {
        if (!tasksetWorks) {
            return new Plan(null, null, "taskset is not available or not permitted here");
        }
        if (loadgenCpus != null && serverCpus != null) {
            return new Plan(loadgenCpus, serverCpus, "as asked");
        }
        if (online.size() < 2) {
            return new Plan(null, null, "only " + online.size() + " CPU online");
        }
        return new Plan(String.valueOf(online.getFirst()), format(online.subList(1, online.size())), "default split");
    }

    /** "0-3,6" → [0, 1, 2, 3, 6]. */
    static List<Integer> parse(String list) {
        TreeSet<Integer> cpus = new TreeSet<>();
        for (String part : list.trim().split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] range = part.trim().split("-");
            int from = Integer.parseInt(range[0].trim());
            int to = range.length > 1 ? Integer.parseInt(range[1].trim()) : from;
            for (int c = from; c <= to; c++) {
                cpus.add(c);
            }
        }
        return new ArrayList<>(cpus);
    }

    /** [1, 2, 3] → "1,2,3". */
    static String format(List<Integer> cpus) {
        return cpus.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The machine's online CPUs (Linux), else as many as the JVM sees. */
    static List<Integer> online() {
        try {
            return parse(Files.readString(Path.of("/sys/devices/system/cpu/online")));
        } catch (IOException | RuntimeException e) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                all.add(i);
            }
            return all;
        }
    }

    /** Whether {@code taskset} runs a command on one CPU here. */
    static boolean tasksetWorks(List<Integer> online) {
        if (online.isEmpty()) {
            return false;
        }
        return run(List.of("taskset", "-c", String.valueOf(online.getLast()), "true")) == 0;
    }

    /** Moves every thread of a running process (this one, for the generator) to these CPUs. */
    static void pin(long pid, String cpus) throws IOException {
        int rc = run(List.of("taskset", "-a", "-p", "-c", cpus, String.valueOf(pid)));
        if (rc != 0) {
            throw new IOException("taskset -a -p -c " + cpus + " " + pid + " failed with " + rc);
        }
    }

    /** The CPUs a process may run on now (its main thread's list), as the kernel reports it. */
    static String allowed(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring("Cpus_allowed_list:".length()).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "?";
    }

    private static int run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
