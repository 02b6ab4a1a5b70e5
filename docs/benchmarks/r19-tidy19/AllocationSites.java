import jdk.jfr.consumer.*;
import java.nio.file.*;
import java.util.*;

/**
 * Where a JFR recording's sampled allocations come from: jdk.ObjectAllocationSample weights (bytes) of the events after
 * the first FROM part of the recording (0.4: skip the warm-up), by thread (virtual threads together), then, for the
 * threads matching THREADS (a regular expression on the name with digits as #, "virtual" for virtual threads), by the
 * first dev.ivr frame from the top (the fake PBX's frames and lambdas skipped) with its three heaviest leaf frames, and
 * by the first three dev.ivr frames. Run: java -Dn=45 docs/benchmarks/r19-tidy19/AllocationSites.java REC.jfr 0.4 virtual
 * (record with -XX:StartFlightRecording=filename=REC.jfr,settings=profile,jdk.ObjectAllocationSample#throttle=3000/s).
 */
public class AllocationSites {
    public static void main(String[] a) throws Exception {
        List<RecordedEvent> evs = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(a[0]))) {
            if (e.getEventType().getName().equals("jdk.ObjectAllocationSample")) evs.add(e);
        }
        evs.sort(Comparator.comparing(RecordedEvent::getStartTime));
        double from = Double.parseDouble(a[1]);
        String threadFilter = a.length > 2 ? a[2] : "";
        List<RecordedEvent> late = evs.subList((int) (evs.size() * from), evs.size());
        Map<String, Long> top = new HashMap<>(), pair = new HashMap<>(), thr = new HashMap<>();
        Map<String, Map<String, Long>> leaf = new HashMap<>();
        long tot = 0;
        for (RecordedEvent e : late) {
            RecordedThread t = e.getThread("eventThread");
            String tn = t == null ? "?" : (t.isVirtual() ? "virtual" : t.getJavaName());
            String tg = tn.replaceAll("[0-9]+", "#");
            long w = e.getLong("weight");
            thr.merge(tg, w, Long::sum);
            if (!tg.matches(threadFilter.isEmpty() ? ".*" : threadFilter)) continue;
            tot += w;
            RecordedStackTrace st = e.getStackTrace();
            List<String> names = new ArrayList<>();
            if (st != null) for (RecordedFrame f : st.getFrames()) names.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
            List<String> ivr = names.stream().filter(n -> n.startsWith("dev.ivr") && !n.contains("Lambda") && !n.contains("fakepbx")).toList();
            String k = ivr.isEmpty() ? (names.isEmpty() ? "?" : names.get(0)) : ivr.get(0);
            top.merge(k, w, Long::sum);
            pair.merge(String.join(" <- ", ivr.subList(0, Math.min(3, ivr.size()))), w, Long::sum);
            leaf.computeIfAbsent(k, x -> new HashMap<>()).merge(names.isEmpty() ? "?" : names.get(0), w, Long::sum);
        }
        long total = tot;
        System.out.println("threads:");
        thr.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(15).forEach(x -> System.out.printf("  %6.1f MB %s%n", x.getValue() / 1e6, x.getKey()));
        System.out.printf("filtered total %.1f MB%n", total / 1e6);
        int n = Integer.parseInt(System.getProperty("n", "40"));
        top.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n).forEach(x -> {
            StringBuilder sb = new StringBuilder();
            leaf.get(x.getKey()).entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                .forEach(l -> sb.append(l.getKey().substring(l.getKey().lastIndexOf('.', l.getKey().lastIndexOf('.') - 1) + 1)).append(String.format(" %.1f, ", 100.0 * l.getValue() / total)));
            System.out.printf("%5.1f%% %s  [%s]%n", 100.0 * x.getValue() / total, x.getKey(), sb);
        });
        System.out.println();
        pair.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n).forEach(x -> System.out.printf("%5.1f%% %s%n", 100.0 * x.getValue() / total, x.getKey()));
    }
}
