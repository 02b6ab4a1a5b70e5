package dev.ivr.testsupport;

import java.util.List;

/** The JVM's live threads, for tests that check which kind of thread runs a loop. */
public final class Threads {
    private Threads() {
    }

    /**
     * The live platform threads with this name. Virtual threads are never among them: {@link Thread#getAllStackTraces}
     * lists platform threads only, so a loop started on a virtual thread is not found here.
     */
    public static List<Thread> platformNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name) && !t.isVirtual() && t.isAlive())
                .toList();
    }
}
