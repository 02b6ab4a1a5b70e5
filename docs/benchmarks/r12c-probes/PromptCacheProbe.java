import dev.ivr.server.audio.AsteriskFormat;
import dev.ivr.server.prompt.render.*;
import java.lang.management.*;
import java.nio.file.*;
import java.util.*;
/** CPU per PromptCache.contains of a key on disk (the greeting and menu checks of a call), thread CPU time. */
public class PromptCacheProbe {
  public static void main(String[] a) throws Exception {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Path dir = Files.createTempDirectory("pcprobe");
    PromptCache cache = new PromptCache(dir, List.of(AsteriskFormat.WAV, AsteriskFormat.SLN16), SharedAudio.NONE);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 32; i++) { String k = PromptKey.forText("voice", "Hello name " + i + "."); cache.put(k, Map.of(AsteriskFormat.WAV, new byte[]{1}, AsteriskFormat.SLN16, new byte[]{2})); keys.add(k); }
    for (int round = 0; round < 3; round++) {
      int n = 200_000, hits = 0;
      long t0 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) if (cache.contains(keys.get(i & 31))) hits++;
      System.out.printf("round %d: %d of %d on disk, %.2f us CPU per contains%n", round, hits, n, (mx.getCurrentThreadCpuTime() - t0) / 1e3 / n);
    }
  }
}
