package dev.ivr.server.process;

import java.util.ArrayList;
import java.util.List;

/** Runs out of heap in a thread that is not main (as a Hazelcast or Vert.x thread would), then lingers. */
public final class OomProbe {
    private OomProbe() {
    }

    public static void main(String[] args) throws Exception {
        Thread t = new Thread(() -> {
            List<long[]> hog = new ArrayList<>();
            while (true) {
                hog.add(new long[1 << 20]);
            }
        }, "hog");
        t.start();
        t.join();
        Thread.sleep(60_000); // without ExitOnOutOfMemoryError the process would live on here, broken
        System.exit(0);
    }
}
