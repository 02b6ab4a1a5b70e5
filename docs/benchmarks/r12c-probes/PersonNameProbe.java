import dev.ivr.server.prompt.say.SpokenForms;
import java.lang.management.*;
public class PersonNameProbe {
  public static void main(String[] a) {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    var f = SpokenForms.forLanguage("en").orElseThrow();
    for (int round = 0; round < 3; round++) {
      int n = 10_000;
      long c0 = mx.getCurrentThreadCpuTime(), b0 = mx.getThreadAllocatedBytes(tid);
      int len = 0;
      for (int i = 0; i < n; i++) len += f.personName("Anna", "Last" + i, "en").length();
      long c1 = mx.getCurrentThreadCpuTime(), b1 = mx.getThreadAllocatedBytes(tid);
      System.out.printf("round %d: %d, %.2f us CPU, %d bytes per personName%n", round, len, (c1-c0)/1e3/n, (b1-b0)/n);
    }
  }
}
