package dev.ivr.server.crm.store;

import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.CrmConfig;
import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.crm.pin.PinHasher;
import dev.ivr.server.db.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The server's store on a data directory, as a process of its own for {@link FullDiskIT}: it
 * records interactions, fills the disk, records more and says which it was told are safe
 * (lines starting with {@code PROBE}), then waits to be killed; run again, it says which of
 * them are still there.
 * <pre>
 * FullDiskProbe write DIR     5 interactions, fill DIR's disk, 20 more; health; READY; wait for kill -9
 * FullDiskProbe verify DIR    free the disk, open the store again (its outbox is replayed), list what is there
 * FullDiskProbe recover DIR   set 512 KiB aside, fill the disk, interactions until 5 miss the database, free both, wait
 *                             until they are safe; health
 * </pre>
 */
public final class FullDiskProbe {
    private FullDiskProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[1]);
        switch (args[0]) {
            case "write" -> write(data);
            case "verify" -> verify(data);
            case "recover" -> recover(data);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void write(Path data) throws Exception {
        Database db = open(data);
        JdbcCrmStore store = store(db, data);
        for (int i = 1; i <= 5; i++) {
            record(store, "before-" + i);
        }
        fill(data);
        for (int i = 1; i <= 20; i++) {
            record(store, "full-" + i);
        }
        say("health database " + db.health());
        say("health crm " + store.health());
        say("READY");
        Thread.sleep(Duration.ofMinutes(10)); // killed with SIGKILL before this ends
    }

    private static void verify(Path data) throws Exception {
        Files.deleteIfExists(data.resolve("filler")); // the operator makes room
        Database db = open(data);
        try (db; JdbcCrmStore store = store(db, data)) {
            store.flushOutbox();
            for (String id : List.of("before-", "full-")) {
                for (int i = 1; i <= (id.equals("before-") ? 5 : 20); i++) {
                    say((store.interaction(id + i).isPresent() ? "found " : "missing ") + id + i);
                }
            }
            say("health crm " + store.health());
        }
    }

    private static void recover(Path data) throws Exception {
        Database db = open(data);
        try (db; JdbcCrmStore store = store(db, data)) {
            // what the operator will delete besides the filler: the database file may by now take nearly the whole
            // disk (H2 does not give back space it grew into), and then the filler alone is a few KiB, less than
            // H2's next chunk, so "room again" would be no room at all
            Files.write(data.resolve("room"), new byte[ROOM]);
            fill(data);
            // the database file may still have free pages of its own (how many depends on its layout): write until
            // five interactions could not go to the database, so that some wait (in memory) for the room
            int written = 0;
            for (int notInDatabase = 0; notInDatabase < 5 && written < 5_000; ) {
                written++;
                if (record(store, "again-" + written) != JdbcCrmStore.Kept.DATABASE) {
                    notInDatabase++;
                }
            }
            say("health crm " + store.health());
            Files.delete(data.resolve("filler"));
            Files.delete(data.resolve("room"));
            say("room again: " + Files.getFileStore(data).getUsableSpace() + " bytes usable");
            for (int tries = 0; tries < 100 && store.pendingInteractions() > 0; tries++) {
                store.flushOutbox();
                Thread.sleep(100);
            }
            for (int i = 1; i <= written; i++) {
                say((store.interaction("again-" + i).isPresent() ? "found " : "missing ") + "again-" + i);
            }
            say("health database " + db.health());
            say("health crm " + store.health());
        }
    }

    /** Bytes the recovery's operator frees besides the filler. */
    static final int ROOM = 512 * 1024;

    private static Database open(Path data) {
        Database db = Database.open(new DatabaseConfig("", "sa", "", 4, 2, Duration.ofSeconds(2)), data);
        if (!db.awaitReady(Duration.ofSeconds(60))) {
            throw new IllegalStateException("database not ready: " + db.health());
        }
        return db;
    }

    private static JdbcCrmStore store(Database db, Path data) {
        CrmConfig crm = ConfigLoader.load(Map.of("IVR_CRM_PIN_HASH_MEMORY", "256", "IVR_CRM_PIN_HASH_ITERATIONS", "1")).crm();
        return JdbcCrmStore.open(db, crm, new PinHasher(crm.pinHash()), data, "probe", new SimpleMeterRegistry());
    }

    private static JdbcCrmStore.Kept record(JdbcCrmStore store, String id) {
        JdbcCrmStore.Kept kept = store.store(interaction(id));
        boolean safe = kept == JdbcCrmStore.Kept.DATABASE || kept == JdbcCrmStore.Kept.OUTBOX;
        say((safe ? "ack " : "nack ") + id + " " + kept);
        return kept;
    }

    /** Fills the file system of {@code data} to the last byte it takes. */
    private static void fill(Path data) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(data.resolve("filler"))) {
            for (int size = chunk.length; size >= 1; size /= 2) {
                try {
                    while (true) {
                        out.write(chunk, 0, size);
                        out.flush();
                    }
                } catch (IOException full) {
                    // a smaller piece may still fit
                }
            }
        } catch (IOException e) {
            // closing a full file
        }
        say("disk full: " + Files.getFileStore(data).getUsableSpace() + " bytes usable");
    }

    static Interaction interaction(String id) {
        Instant t = Instant.parse("2025-06-02T10:00:00Z");
        return new Interaction(id, "3612345678", "1000", "customer-service", "7", t, t.plusSeconds(95),
                List.of("welcome", "identify", "menu"), Map.of("menu", "2"), null, null, "billing", "agent-7",
                Duration.ofSeconds(12), Duration.ofSeconds(60), Interaction.Outcome.ROUTED, "probe");
    }

    private static void say(String line) {
        System.out.println("PROBE " + line);
        System.out.flush();
    }
}
