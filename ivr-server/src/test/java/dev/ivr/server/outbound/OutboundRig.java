package dev.ivr.server.outbound;

import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.server.config.AmiConfig;
import dev.ivr.server.config.CampaignConfig;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.CrmConfig;
import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.config.OutboundConfig;
import dev.ivr.server.crm.attributes.AttributeSchema;
import dev.ivr.server.crm.csv.CustomerImport;
import dev.ivr.server.crm.phone.PhoneNumbers;
import dev.ivr.server.crm.pin.PinHasher;
import dev.ivr.server.db.Database;
import dev.ivr.server.pbx.AmiConnection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the outbound dialing ITs set up alike: an H2 database with customers imported from CSV, the
 * fake PBX's AMI, a callee who hangs up each answered call a moment after it is up, AMI
 * connections to the fake PBX, and the outbound configuration; closed in reverse order.
 */
final class OutboundRig {
    static final Duration T = Duration.ofSeconds(60);
    static final String SECRET = "manager-secret-for-tests";
    static final List<String> EVERY_DAY = List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday");

    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** Closes {@code c} with the rig (after what is added later). */
    <C extends AutoCloseable> C closing(C c) {
        toClose.add(c);
        return c;
    }

    /** The default H2 database under {@code dir}, migrated. */
    Database database(Path dir, int poolSize) {
        Database db = closing(Database.open(new DatabaseConfig("", "sa", "", poolSize, 2, Duration.ofSeconds(2)),
                dir.resolve("data")));
        assertThat(db.awaitReady(T)).isTrue();
        return db;
    }

    /** Imports {@code csv} (a customers CSV, header first) with the attributes of {@code schema}; every row must be taken. */
    static void importCustomers(Database db, AttributeSchema schema, Path dir, CharSequence csv) throws Exception {
        Path file = dir.resolve("customers.csv");
        Files.writeString(file, csv);
        CrmConfig crm = ConfigLoader.load(Map.of("IVR_CRM_PIN_HASH_MEMORY", "256", "IVR_CRM_PIN_HASH_ITERATIONS", "1")).crm();
        assertThat(new CustomerImport(db.dataSource(), new PhoneNumbers(crm.region()), new PinHasher(crm.pinHash()),
                Clock.systemUTC(), schema).run(file, new CustomerImport.Options(false, false), CustomerImport.Progress.NONE)
                .rejected()).isEmpty();
    }

    /** The fake PBX's AMI (user ivr, {@link #SECRET}). */
    FakeAmi fakeAmi() throws Exception {
        return closing(new FakeAmi("ivr", SECRET));
    }

    /**
     * The callee of every answered Originate hangs up {@code after} it (the call is up for that moment: its
     * OriginateResponse first), until the rig closes.
     */
    void hangUpAnswered(FakeAmi ami, Duration after) {
        Set<String> hungUp = ConcurrentHashMap.newKeySet();
        Thread hanger = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                for (FakeAmi.Originated o : List.copyOf(ami.originated())) {
                    if (o.outcome() == FakeAmi.OriginateOutcome.ANSWERED && hungUp.add(o.uniqueId())) {
                        Thread.ofVirtual().start(() -> {
                            try {
                                Thread.sleep(after.toMillis());
                            } catch (InterruptedException e) {
                                return;
                            }
                            ami.hangup(o.channel(), o.uniqueId());
                        });
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        closing(hanger::interrupt);
    }

    /** An AMI connection to the fake PBX, once it is logged in. */
    AmiConnection connect(FakeAmi ami) {
        AmiConnection connection = closing(AmiConnection.start(new AmiConfig(true, "127.0.0.1", ami.port(), "ivr", SECRET)));
        await().atMost(T).until(connection::available);
        return connection;
    }

    /** Outbound on, through {@code PJSIP/{number}@trunk} into {@code ivr-outbound}, polling every {@code poll}. */
    static OutboundConfig outbound(Duration poll, CampaignConfig... campaigns) {
        return new OutboundConfig(true, "PJSIP/{number}@trunk", "ivr-outbound", poll, Duration.ofSeconds(30),
                Duration.ofMinutes(5), List.of(campaigns));
    }

    /** Closes what it made and was given, the last first. */
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        toClose.clear();
    }
}
