import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap per call in progress from two class histograms of the load generator's {@code compare --histogram DIR}
 * (docs/benchmarks.md, issue 16, seventeenth round, hp21): the compare's own figure (G1's "used" after the plateau's
 * full GC minus the same before the warm-up, per call), the live bytes one more call in progress costs
 * ((live at the higher level - live at the lower) / (calls between them)), what G1 counts as used beyond the live
 * objects at each plateau (the unused ends of its regions; G1's filler arrays shown apart), and the classes that grew
 * the most per call. Run from the repository's root:
 * <pre>
 * java docs/benchmarks/r21-hp21/HistogramDiff.java DIR/ivr-customer-service-2000.histo.txt DIR/ivr-customer-service-10000.histo.txt [rows (30)]
 * </pre>
 */
public class HistogramDiff {
    private static final Pattern HEADER = Pattern.compile("calls in progress (\\d+), heap after full GC (\\d+) bytes, idle (\\d+) bytes");
    private static final Pattern ROW = Pattern.compile("\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*");
    private static final Pattern TOTAL = Pattern.compile("Total\\s+(\\d+)\\s+(\\d+)");
    private static final String FILLER = "[Ljdk.internal.vm.FillerElement;";

    record Histogram(long calls, long used, long idle, long live, Map<String, long[]> classes) {
        long filler() {
            return classes.getOrDefault(FILLER, new long[2])[1];
        }
    }

    static Histogram read(Path file) throws IOException {
        long calls = -1, used = -1, idle = -1, live = 0;
        Map<String, long[]> classes = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            Matcher h = HEADER.matcher(line);
            Matcher r = ROW.matcher(line);
            Matcher t = TOTAL.matcher(line);
            if (h.matches()) {
                calls = Long.parseLong(h.group(1));
                used = Long.parseLong(h.group(2));
                idle = Long.parseLong(h.group(3));
            } else if (r.matches()) {
                long[] c = classes.computeIfAbsent(r.group(3), k -> new long[2]);
                c[0] += Long.parseLong(r.group(1));
                c[1] += Long.parseLong(r.group(2));
            } else if (t.matches()) {
                live = Long.parseLong(t.group(2));
            }
        }
        return new Histogram(calls, used, idle, live, classes);
    }

    public static void main(String[] args) throws IOException {
        Histogram low = read(Path.of(args[0]));
        Histogram high = read(Path.of(args[1]));
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        double between = high.calls() - low.calls();
        for (Histogram h : List.of(low, high)) {
            System.out.printf("%,d calls: compare's heap/call %.1f KB (used %.1f MB - idle %.1f MB); live objects %.1f MB,"
                            + " of them G1 filler arrays %.1f MB; used - live %.1f MB = %.1f KB per call%n",
                    h.calls(), (h.used() - h.idle()) / 1024.0 / h.calls(), h.used() / 1e6, h.idle() / 1e6, h.live() / 1e6,
                    h.filler() / 1e6, (h.used() - h.live()) / 1e6, (h.used() - h.live()) / 1024.0 / h.calls());
        }
        System.out.printf("live bytes per call in progress (%,d -> %,d): %.1f KB (without G1's filler arrays %.1f KB);"
                        + " G1 used per call between the plateaus %.1f KB%n",
                low.calls(), high.calls(), (high.live() - low.live()) / 1024.0 / between,
                (high.live() - high.filler() - low.live() + low.filler()) / 1024.0 / between,
                (high.used() - low.used()) / 1024.0 / between);
        List<Map.Entry<String, long[]>> grew = new ArrayList<>();
        for (String c : high.classes().keySet()) {
            long[] a = low.classes().getOrDefault(c, new long[2]);
            long[] b = high.classes().get(c);
            grew.add(Map.entry(c, new long[] {b[0] - a[0], b[1] - a[1]}));
        }
        grew.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        System.out.println("| class | bytes per call | objects per call |");
        System.out.println("|---|---:|---:|");
        for (var e : grew.subList(0, Math.min(rows, grew.size()))) {
            System.out.printf("| `%s` | %,.0f | %.2f |%n", e.getKey(), e.getValue()[1] / between, e.getValue()[0] / between);
        }
    }
}
