package dev.ivr.loadgen;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a server's CPU time and allocations go, from a JFR recording of a plateau
 * ({@code loadgen compare --jfr DIR}): CPU-time samples (or execution samples) and allocation
 * samples, each grouped three ways: by component (the first frame from the top of the stack that
 * is not the JDK's: H2, Hazelcast, Logback, ...), by the closest ivr method on the stack (who
 * asked for it), and by the top frame itself; then what blocked threads (file writes, pinned
 * virtual threads), the GC pauses (and, when recorded, their parallel phases and the objects they copied)
 * and the exceptions thrown.
 */
final class JfrSummary {
    private static final List<String[]> COMPONENTS = List.of(
            new String[]{"org.h2.", "H2 database"},
            new String[]{"com.zaxxer.hikari.", "connection pool (HikariCP)"},
            new String[]{"com.hazelcast.", "Hazelcast"},
            new String[]{"ch.qos.logback.", "logging (Logback)"},
            new String[]{"org.slf4j.", "logging (SLF4J)"},
            new String[]{"io.micrometer.", "metrics (Micrometer)"},
            new String[]{"com.fasterxml.jackson.", "JSON (Jackson)"},
            new String[]{"org.apache.commons.jexl3.", "expressions (JEXL)"},
            new String[]{"dev.cel.", "expressions (CEL)"},
            new String[]{"org.asteriskjava.", "AGI protocol (Asterisk-Java)"},
            new String[]{"io.vertx.", "Vert.x"},
            new String[]{"io.netty.", "Netty"},
            new String[]{"dev.ivr.server.flow.", "ivr flow engine"},
            new String[]{"dev.ivr.server.cluster.", "ivr cluster values (seal, serialise)"},
            new String[]{"dev.ivr.server.agi.", "ivr AGI layer"},
            new String[]{"dev.ivr.server.crm.", "ivr CRM store"},
            new String[]{"dev.ivr.server.prompt.", "ivr prompts"},
            new String[]{"dev.ivr.server.routing.", "ivr routing"},
            new String[]{"dev.ivr.routing.", "routing library"},
            new String[]{"dev.ivr.", "ivr, other"},
            new String[]{"org.asteriskjava", "AGI protocol (Asterisk-Java)"});

    private JfrSummary() {
    }

    /** "java.lang.String.indexOf" for each frame, the top of the stack first. */
    static List<String> frames(RecordedStackTrace st) {
        List<String> out = new ArrayList<>();
        if (st != null) {
            for (RecordedFrame f : st.getFrames()) {
                if (f.isJavaFrame() && f.getMethod() != null) {
                    out.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
                }
            }
        }
        return out;
    }

    static boolean jdk(String frame) {
        return frame.startsWith("java.") || frame.startsWith("javax.") || frame.startsWith("jdk.")
                || frame.startsWith("sun.") || frame.startsWith("com.sun.");
    }

    /**
     * The component a stack's work belongs to: the first frame from the top that is not the JDK's,
     * by package; a stack of JDK frames only is the virtual-thread scheduler, socket I/O or "JDK".
     */
    static String component(List<String> framesTopFirst) {
        for (String f : framesTopFirst) {
            if (!jdk(f)) {
                for (String[] c : COMPONENTS) {
                    if (f.startsWith(c[0])) {
                        return c[1];
                    }
                }
                return "other library (" + packageOf(f) + ")";
            }
        }
        if (framesTopFirst.stream().anyMatch(f -> f.startsWith("java.util.concurrent.ForkJoinPool")
                || f.startsWith("jdk.internal.vm.Continuation") || f.startsWith("java.lang.VirtualThread"))) {
            return "JDK: virtual-thread scheduling";
        }
        if (framesTopFirst.stream().anyMatch(f -> f.startsWith("sun.nio.ch."))) {
            return "JDK: socket I/O";
        }
        return framesTopFirst.isEmpty() ? "no Java frames" : "JDK, other";
    }

    /** The ivr method closest to the top of the stack (who caused the work), or the component when none is on it. */
    static String closestIvr(List<String> framesTopFirst) {
        for (String f : framesTopFirst) {
            if (f.startsWith("dev.ivr.")) {
                return f.substring("dev.ivr.".length());
            }
        }
        return "(no ivr frame: " + component(framesTopFirst) + ")";
    }

    private static String packageOf(String frame) {
        String[] p = frame.split("\\.");
        return p.length > 3 ? p[0] + "." + p[1] + "." + p[2] : frame;
    }

    /** Tallies weights under keys. */
    static final class Tally {
        final Map<String, Double> byKey = new HashMap<>();
        double total;

        void add(String key, double weight) {
            byKey.merge(key, weight, Double::sum);
            total += weight;
        }

        List<Map.Entry<String, Double>> top(int n) {
            return byKey.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(n).toList();
        }
    }

    /** The summary of a recording, as Markdown. */
    static String markdown(Path file, int top) throws IOException {
        Tally cpuComponent = new Tally();
        Tally cpuIvr = new Tally();
        Tally cpuLeaf = new Tally();
        Tally execComponent = new Tally();
        Tally allocComponent = new Tally();
        Tally allocIvr = new Tally();
        Tally allocClass = new Tally();
        Tally allocSite = new Tally();
        Tally fileWrites = new Tally();
        Tally fileWriteCount = new Tally();
        Tally pinned = new Tally();
        long pinnedEvents = 0;
        Tally exceptions = new Tally();
        Tally gcPhases = new Tally();
        Tally copied = new Tally();
        List<Double> pauses = new ArrayList<>();
        String gcThreads = "?";
        Duration span = Duration.ZERO;
        java.time.Instant first = null;
        java.time.Instant last = null;
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                String type = e.getEventType().getName();
                if (first == null || e.getStartTime().isBefore(first)) {
                    first = e.getStartTime();
                }
                if (last == null || e.getEndTime().isAfter(last)) {
                    last = e.getEndTime();
                }
                switch (type) {
                    case "jdk.CPUTimeSample" -> {
                        List<String> f = frames(e.getStackTrace());
                        cpuComponent.add(component(f), 1);
                        cpuIvr.add(closestIvr(f), 1);
                        cpuLeaf.add(f.isEmpty() ? "(no Java frames)" : f.getFirst(), 1);
                    }
                    case "jdk.ExecutionSample" -> execComponent.add(component(frames(e.getStackTrace())), 1);
                    case "jdk.ObjectAllocationSample" -> {
                        List<String> f = frames(e.getStackTrace());
                        double w = e.getLong("weight");
                        allocComponent.add(component(f), w);
                        allocIvr.add(closestIvr(f), w);
                        allocClass.add(e.getClass("objectClass").getName(), w);
                        allocSite.add(f.isEmpty() ? "(no Java frames)" : f.getFirst(), w);
                    }
                    case "jdk.FileWrite", "jdk.FileForce" -> {
                        String key = type.substring(4) + " from " + closestIvr(frames(e.getStackTrace()));
                        fileWrites.add(key, e.getDuration().toNanos() / 1e6);
                        fileWriteCount.add(key, 1);
                    }
                    case "jdk.VirtualThreadPinned" -> {
                        pinned.add(closestIvr(frames(e.getStackTrace())), e.getDuration().toNanos() / 1e6);
                        pinnedEvents++;
                    }
                    case "jdk.JavaExceptionThrow" -> exceptions.add(e.getClass("thrownClass").getName(), 1);
                    case "jdk.GarbageCollection" -> pauses.add(e.getDuration("sumOfPauses").toNanos() / 1e6);
                    case "jdk.GCPhaseParallel" -> gcPhases.add(e.getString("name"), e.getDuration().toNanos() / 1e6);
                    case "jdk.PromoteObjectInNewPLAB", "jdk.PromoteObjectOutsidePLAB" ->
                            copied.add(e.getClass("objectClass").getName(), (double) e.getLong("objectSize"));
                    case "jdk.GCConfiguration" -> gcThreads = e.getInt("parallelGCThreads") + " parallel, "
                            + e.getInt("concurrentGCThreads") + " concurrent";
                    default -> {
                    }
                }
            }
        }
        if (first != null) {
            span = Duration.between(first, last);
        }
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Recording: %s, %d s%n%n", file.getFileName(), span.toSeconds()));
        Tally cpu = cpuComponent.total > 0 ? cpuComponent : execComponent;
        String cpuKind = cpuComponent.total > 0 ? "CPU-time samples (jdk.CPUTimeSample)" : "execution samples (jdk.ExecutionSample)";
        section(md, "CPU by component: " + cpuKind, cpu, top, "samples", false);
        if (cpuComponent.total > 0) {
            section(md, "CPU by the closest ivr method on the stack", cpuIvr, top, "samples", false);
            section(md, "CPU by top frame", cpuLeaf, top, "samples", false);
        }
        section(md, "Allocation by component (sampled bytes, jdk.ObjectAllocationSample weights)", allocComponent, top, "MB", true);
        section(md, "Allocation by the closest ivr method on the stack", allocIvr, top, "MB", true);
        section(md, "Allocation by class", allocClass, top, "MB", true);
        section(md, "Allocation by site (top frame)", allocSite, top, "MB", true);
        md.append("### Blocking\n\n| what | events | total ms |\n|---|---:|---:|\n");
        fileWrites.top(top).forEach(en -> md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f |%n", en.getKey(),
                fileWriteCount.byKey.get(en.getKey()), en.getValue())));
        md.append(String.format(Locale.ROOT, "| virtual threads pinned (over the recording's threshold) | %d | %.0f |%n%n",
                pinnedEvents, pinned.total));
        pauses.sort(Double::compare);
        md.append(String.format(Locale.ROOT, "### GC (%s threads)%n%n", gcThreads));
        if (!pauses.isEmpty()) {
            double sum = pauses.stream().mapToDouble(Double::doubleValue).sum();
            md.append(String.format(Locale.ROOT, "%d collections, %.0f ms paused in all (%.1f%% of the recording), "
                            + "median pause %.1f ms, longest %.1f ms%n%n", pauses.size(), sum,
                    span.isZero() ? 0 : 100 * sum / span.toMillis(), pauses.get(pauses.size() / 2), pauses.getLast()));
        }
        if (gcPhases.total > 0) {
            // where the pauses go: ScanHR is old objects' cards that point into the young generation, ObjCopy the copying
            section(md, "GC pauses by parallel phase (jdk.GCPhaseParallel, summed over workers)", gcPhases, top, "ms", false);
        }
        if (copied.total > 0) {
            section(md, "Objects copied to survivor or old space by class (sampled, jdk.PromoteObjectInNewPLAB)", copied,
                    top, "MB", true);
        }
        section(md, "Exceptions thrown", exceptions, top, "thrown", false);
        return md.toString();
    }

    private static void section(StringBuilder md, String title, Tally t, int top, String unit, boolean bytes) {
        md.append("### ").append(title).append("\n\n");
        if (t.total == 0) {
            md.append("(none recorded)\n\n");
            return;
        }
        md.append("| | ").append(unit).append(" | share |\n|---|---:|---:|\n");
        for (Map.Entry<String, Double> en : t.top(top)) {
            md.append(String.format(Locale.ROOT, bytes ? "| %s | %.1f | %.1f%% |%n" : "| %s | %.0f | %.1f%% |%n",
                    en.getKey().replace("|", "\\|"), bytes ? en.getValue() / 1048576.0 : en.getValue(),
                    100 * en.getValue() / t.total));
        }
        md.append(String.format(Locale.ROOT, bytes ? "| all | %.1f | |%n%n" : "| all | %.0f | |%n%n",
                bytes ? t.total / 1048576.0 : t.total));
    }
}
