import org.junit.platform.launcher.*;
import org.junit.platform.launcher.core.*;
import org.junit.platform.launcher.listeners.*;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import java.util.*;

/** Runs the given test classes (or class#method) N times in this JVM, with optional CPU hog threads; prints failures. */
public class Loop {
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]);
        int hogs = Integer.parseInt(a[1]);
        List<org.junit.platform.engine.DiscoverySelector> sel = new ArrayList<>();
        for (int i = 2; i < a.length; i++) {
            sel.add(a[i].contains("#") ? DiscoverySelectors.selectMethod(a[i]) : DiscoverySelectors.selectClass(a[i]));
        }
        for (int h = 0; h < hogs; h++) {
            Thread t = new Thread(() -> { long x = 0; while (true) { x += System.nanoTime() % 7; if (x == 42) System.out.print(""); } });
            t.setDaemon(true); t.start();
        }
        Launcher launcher = LauncherFactory.create();
        LauncherDiscoveryRequest req = LauncherDiscoveryRequestBuilder.request().selectors(sel).build();
        Map<String, Integer> fails = new TreeMap<>();
        long tests = 0;
        long t0 = System.nanoTime();
        long budget = Long.parseLong(System.getProperty("loop.seconds", "100000")) * 1_000_000_000L;
        int i;
        for (i = 0; i < n && System.nanoTime() - t0 < budget; i++) {
            SummaryGeneratingListener l = new SummaryGeneratingListener();
            launcher.execute(req, l);
            var s = l.getSummary();
            tests += s.getTestsStartedCount();
            for (var f : s.getFailures()) {
                String k = f.getTestIdentifier().getDisplayName() + ": " + String.valueOf(f.getException()).lines().findFirst().orElse("");
                fails.merge(k, 1, Integer::sum);
                System.out.println("FAIL run " + i + " " + k);
                f.getException().printStackTrace(System.out);
            }
        }
        System.out.printf("runs %d, tests run %d, failures %d in %.0f s%n", i, tests, fails.values().stream().mapToInt(x->x).sum(), (System.nanoTime()-t0)/1e9);
        fails.forEach((k, v) -> System.out.println("  " + v + "x " + k));
        System.exit(0);
    }
}
