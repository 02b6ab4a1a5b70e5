package dev.ivr.server.agi;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Bytes allocated per AGI command line written by {@code AgiSocket.writeLine}, as calls write them: each "call" is a
 * new virtual thread (as the server's are) writing {@code commands} lines on one loopback connection, read and dropped
 * by a platform thread. The same calls without the writes are measured too and taken off, so what is left is the
 * writes' own. Counted with the JVM's per-thread allocation counters over all threads, one carrier
 * ({@code -Djdk.virtualThreadScheduler.parallelism=1}); the first half of the calls is warm-up.
 * Lines: {@code ascii} (a call's usual commands, 20 to 60 characters), {@code long} (a 700-character SET VARIABLE,
 * past the old pool's 512 bytes), {@code utf8} (a SET VARIABLE with an accented name).
 * Run: java -Djdk.virtualThreadScheduler.parallelism=1 -cp "CLASSES:JAR:LIB/*" dev.ivr.server.agi.AgiWriteProbe 20000 8 ascii
 */
public class AgiWriteProbe {
    public static void main(String[] a) throws Exception {
        int calls = Integer.parseInt(a[0]);
        int commands = Integer.parseInt(a[1]);
        String[] lines = switch (a[2]) {
            case "ascii" -> new String[]{"ANSWER", "STREAM FILE welcome \"0123456789*#\"", "GET DATA enter-digits 5000 4",
                    "SET VARIABLE \"CDR(userfield)\" \"customer-service\"", "WAIT FOR DIGIT 3000",
                    "EXEC Dial \"PJSIP/1001,30,tT\"", "GET FULL VARIABLE \"${CALLERID(num)}\"", "NOOP"};
            case "long" -> new String[]{"SET VARIABLE \"JOURNEY\" \"" + "x".repeat(700) + "\""};
            case "utf8" -> new String[]{"SET VARIABLE \"CALLERID(name)\" \"Ren\u00e9e Lef\u00e8vre\""};
            default -> throw new IllegalArgumentException(a[2]);
        };
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, lo); Socket client = new Socket(lo, server.getLocalPort());
             Socket peer = server.accept()) {
            Thread drain = Thread.ofPlatform().daemon().start(() -> {
                byte[] b = new byte[65536];
                try (InputStream in = peer.getInputStream()) {
                    while (in.read(b) >= 0) {
                        // dropped
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            AgiSocket socket = new AgiSocket(client, 8192, 60_000, s -> { }, m -> { });
            var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long[] measured = new long[2]; // bytes: with the writes, without
            for (int half = 0; half < 2; half++) {
                for (int part = 0; part < 2; part++) {
                    boolean write = part == 0;
                    long before = mx.getTotalThreadAllocatedBytes();
                    for (int c = 0; c < calls / 2; c++) {
                        Thread t = Thread.ofVirtual().start(() -> {
                            try {
                                for (int i = 0; i < commands && write; i++) {
                                    socket.writeLine(lines[i % lines.length]);
                                }
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        });
                        t.join();
                    }
                    if (half == 1) {
                        measured[part] = mx.getTotalThreadAllocatedBytes() - before;
                    }
                }
            }
            long n = (long) (calls / 2) * commands;
            System.out.printf("%s: %d calls x %d lines measured: %,d bytes with the writes, %,d without: %.1f bytes a line%n",
                    a[2], calls / 2, commands, measured[0], measured[1], (measured[0] - measured[1]) / (double) n);
            drain.interrupt();
        }
    }
}
