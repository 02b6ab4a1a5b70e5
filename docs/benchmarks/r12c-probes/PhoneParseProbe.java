import dev.ivr.server.crm.phone.PhoneNumbers;
import java.lang.management.*;
public class PhoneParseProbe {
  public static void main(String[] a) {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    for (int round = 0; round < 3; round++) {
      PhoneNumbers p = new PhoneNumbers("HU"); // fresh cache each round
      int n = 200_000;
      long c0 = mx.getCurrentThreadCpuTime(), b0 = mx.getThreadAllocatedBytes(tid);
      int ok = 0;
      for (int i = 0; i < n; i++) {
        String national = String.format("20%07d", i);
        String s = switch (i % 3) { case 0 -> "+36" + national; case 1 -> "36" + national; default -> "06 " + national.substring(0,2) + " " + national.substring(2,5) + " " + national.substring(5); };
        if (p.parse(s) instanceof PhoneNumbers.Number) ok++;
      }
      long c1 = mx.getCurrentThreadCpuTime(), b1 = mx.getThreadAllocatedBytes(tid);
      System.out.printf("round %d: %d ok, %.2f us CPU, %d bytes per parse%n", round, ok, (c1-c0)/1e3/n, (b1-b0)/n);
    }
  }
}
