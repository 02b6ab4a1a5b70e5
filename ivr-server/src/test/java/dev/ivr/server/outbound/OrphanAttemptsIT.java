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
import dev.ivr.server.crm.segment.Segments;
import dev.ivr.server.db.Database;
import dev.ivr.server.pbx.AmiConnection;
import dev.ivr.server.pbx.AmiOriginator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A dialing server dies with an attempt under way (its call placed, no result yet): another server, seeing no
 * heartbeat of it for the lease, reclaims the attempt (node-lost, the customer's lock freed, the contact moved on)
 * and dials the contact's next attempt; the dead server's attempt is never dialled again, and its late end (its
 * thread finishing the attempt after all) changes nothing. Asserted from the attempt records and the
 * Originates of the fake AMI.
 */
@Tag("integration")
class OrphanAttemptsIT {
    private static final Duration T = Duration.ofSeconds(60);
    private static final String SECRET = "manager-secret-for-tests";

    @TempDir
    Path tmp;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void anAttemptOfADeadServerIsReclaimedAndTheContactDialledOnceMoreByAnother() throws Exception {
        Database db = Database.open(new DatabaseConfig("", "sa", "", 5, 2, Duration.ofMillis(500)), tmp.resolve("data"));
        toClose.add(db);
        assertThat(db.awaitReady(T)).isTrue();
        Path csv = tmp.resolve("c.csv");
        Files.writeString(csv, """
                id,first_name,phones
                C1,Anna,+36 1 555 0001
                """);
        CrmConfig crm = ConfigLoader.load(Map.of("IVR_CRM_PIN_HASH_MEMORY", "256", "IVR_CRM_PIN_HASH_ITERATIONS", "1")).crm();
        AttributeSchema schema = AttributeSchema.of(List.of());
        assertThat(new CustomerImport(db.dataSource(), new PhoneNumbers(crm.region()), new PinHasher(crm.pinHash()),
                Clock.systemUTC(), schema).run(csv, new CustomerImport.Options(false, false), CustomerImport.Progress.NONE)
                .rejected()).isEmpty();
        Segments segments = new Segments(db.dataSource(), schema, Clock.systemUTC());
        segments.save("all", "customer.id == \"C1\"", null, "test");
        CampaignConfig campaign = new CampaignConfig("reminder", "all", "payment-reminder", "payment-late", null, 1, 3,
                Map.of("failed", Duration.ZERO), List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                "sunday"), "00:00", "23:59", "UTC", null);
        OutboundConfig outbound = new OutboundConfig(true, "PJSIP/{number}@trunk", "ivr-outbound", Duration.ofMillis(100),
                Duration.ofSeconds(30), Duration.ofMinutes(5), List.of(campaign));
        CampaignStore store = new CampaignStore(db.dataSource());

        try (FakeAmi ami = new FakeAmi("ivr", SECRET)) {
            ami.originateDelay(Duration.ofMinutes(10)); // node a's call rings on: its result never comes
            AmiConnection connectionA = AmiConnection.start(new AmiConfig(true, "127.0.0.1", ami.port(), "ivr", SECRET));
            toClose.add(connectionA);
            await().atMost(T).until(connectionA::available);
            CampaignDialer a = new CampaignDialer(outbound, store, new AmiOriginator(connectionA, Clock.systemUTC()),
                    Clock.systemUTC(), "node-a").nodeLease(Duration.ofSeconds(2));
            toClose.add(a);
            new Campaigns(outbound, store, segments, Clock.systemUTC()).start("reminder");
            a.start();
            await().atMost(T).until(() -> ami.originated().size() == 1);
            assertThat(store.contactStates("reminder")).containsEntry("dialing", 1);

            a.close(); // node a dies: no more polls, no heartbeat; its call's outcome stays unknown
            ami.originateDelay(Duration.ZERO);
            ami.originateOutcomes(x -> FakeAmi.OriginateOutcome.BUSY);
            AmiConnection connectionB = AmiConnection.start(new AmiConfig(true, "127.0.0.1", ami.port(), "ivr", SECRET));
            toClose.add(connectionB);
            await().atMost(T).until(connectionB::available);
            CampaignDialer b = new CampaignDialer(outbound, store, new AmiOriginator(connectionB, Clock.systemUTC()),
                    Clock.systemUTC(), "node-b").nodeLease(Duration.ofSeconds(2));
            toClose.add(b);
            b.start();

            await().atMost(T).until(() -> store.attempts("reminder").size() >= 2
                    && store.attempts("reminder").get(1).endedAt() != null);
            List<CampaignStore.Attempt> attempts = store.attempts("reminder");
            assertThat(attempts.get(0).node()).isEqualTo("node-a");
            assertThat(attempts.get(0).result()).isEqualTo("node-lost");
            assertThat(attempts.get(0).endedAt()).isNotNull();
            assertThat(attempts.get(1).node()).isEqualTo("node-b");
            assertThat(attempts.get(1).attemptNo()).isEqualTo(2);
            assertThat(attempts.get(1).result()).isEqualTo("busy");

            // node a's thread ending late (what it does when its Originate finally fails) changes nothing
            b.close();
            assertThat(store.contactStates("reminder")).containsExactly(Map.entry("pending", 1));
            store.finish("reminder", new CampaignStore.Claimed(idOf(db, 1), "C1", "+3615550001", 1), "failed",
                    java.time.Instant.now(), null);
            attempts = store.attempts("reminder");
            assertThat(attempts).hasSize(2);
            assertThat(attempts.get(0).result()).isEqualTo("node-lost");
            assertThat(store.contactStates("reminder")).as("not failed by the late end").containsExactly(Map.entry("pending", 1));
            Set<String> dialled = new HashSet<>();
            for (FakeAmi.Originated o : ami.originated()) {
                assertThat(dialled.add(o.variables().get("IVR_CUSTOMER") + "#" + o.variables().get("IVR_ATTEMPT")))
                        .as("an attempt dialled twice: " + o.variables()).isTrue();
            }
            assertThat(ami.originated()).hasSize(2);
        }
    }

    static long idOf(Database db, int attemptNo) throws Exception {
        try (var c = db.dataSource().getConnection();
             var ps = c.prepareStatement("select id from campaign_attempts where campaign = 'reminder' and attempt_no = ?")) {
            ps.setInt(1, attemptNo);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
