package dev.ivr.server.outbound;

import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.server.config.AttributeConfig;
import dev.ivr.server.config.CampaignConfig;
import dev.ivr.server.config.OutboundConfig;
import dev.ivr.server.crm.attributes.AttributeSchema;
import dev.ivr.server.crm.segment.Segments;
import dev.ivr.server.db.Database;
import dev.ivr.server.pbx.AmiConnection;
import dev.ivr.server.pbx.AmiOriginator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agentless campaign dialled by two servers (two dialers on one database) through AMI
 * Originate against the fake PBX's AMI: every dial result, retries, max-concurrent across both,
 * and each attempt dialled exactly once, asserted from the attempt records and the Originates.
 */
@Tag("integration")
class CampaignDialerIT {
    private static final Duration T = OutboundRig.T;

    @TempDir
    Path tmp;
    private final OutboundRig rig = new OutboundRig();

    @AfterEach
    void closeAll() throws Exception {
        rig.close();
    }

    @Test
    void twoServersHoldAPauseThenDialEachAttemptOnceWithinMaxConcurrentAndRecordEveryResult() throws Exception {
        Database db = rig.database(tmp, 5);
        AttributeSchema schema = AttributeSchema.of(List.of(new AttributeConfig("do_not_call", "boolean", null, null)));
        OutboundRig.importCustomers(db, schema, tmp, """
                id,first_name,phones,attr.do_not_call
                C1,Anna,+36 1 555 0001,no
                C2,Bela,+36 1 555 0002,no
                C3,Cili,+36 1 555 0003,no
                C4,Dora,,no
                C5,Eva,+36 1 555 0005,yes
                """);
        Segments segments = new Segments(db.dataSource(), schema, Clock.systemUTC());
        segments.save("callable", "!attr.do_not_call", null, "test");

        CampaignConfig campaign = new CampaignConfig("reminder", "callable", "payment-reminder", "payment-late",
                "\"Example\" <+3619990000>", 1, 2, Map.of("busy", Duration.ZERO, "no-answer", Duration.ZERO),
                OutboundRig.EVERY_DAY, "00:00", "23:59", "UTC", null);
        OutboundConfig outbound = OutboundRig.outbound(Duration.ofMillis(100), campaign);

        FakeAmi ami = rig.fakeAmi();
        Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
        ami.originateOutcomes(a -> {
            String ch = a.getOrDefault("Channel", "");
            int n = tries.computeIfAbsent(ch, k -> new AtomicInteger()).incrementAndGet();
            if (ch.contains("5550002")) {
                return n == 1 ? FakeAmi.OriginateOutcome.BUSY : FakeAmi.OriginateOutcome.ANSWERED;
            }
            return ch.contains("5550003") ? FakeAmi.OriginateOutcome.NO_ANSWER : FakeAmi.OriginateOutcome.ANSWERED;
        });
        rig.hangUpAnswered(ami, Duration.ofMillis(200)); // answered calls: the callee hangs up once the call is up
        List<CampaignDialer> dialers = new ArrayList<>();
        for (String node : List.of("node-a", "node-b")) {
            AmiConnection connection = rig.connect(ami);
            CampaignDialer dialer = new CampaignDialer(outbound, new CampaignStore(db.dataSource()),
                    new AmiOriginator(connection, Clock.systemUTC()), Clock.systemUTC(), node);
            dialers.add(dialer);
            rig.closing(dialer);
        }
        CampaignStore store = new CampaignStore(db.dataSource());
        Campaigns campaigns = new Campaigns(outbound, store, segments, Clock.systemUTC());
        Campaigns.Started started = campaigns.start("reminder");
        assertThat(started.members()).as("C5 asked not to be called").isEqualTo(4);
        assertThat(started.withoutNumber()).isEqualTo(1);
        // paused before any server dials: several rounds of both servers place no call
        assertThat(campaigns.set("reminder", "paused")).isTrue();
        dialers.forEach(CampaignDialer::start);
        await().atMost(T).until(() -> dialers.stream().allMatch(d -> d.polls() >= 3));
        assertThat(ami.originated()).as("a paused campaign places no call").isEmpty();
        assertThat(campaigns.set("reminder", "running")).isTrue();

        await().atMost(T).until(() -> store.contactStates("reminder").getOrDefault("pending", 0) == 0
                && store.contactStates("reminder").getOrDefault("dialing", 0) == 0);

        assertThat(store.contactStates("reminder")).containsExactlyInAnyOrderEntriesOf(
                Map.of("done", 2, "failed", 1, "no-number", 1));
        List<CampaignStore.Attempt> attempts = store.attempts("reminder");
        assertThat(attempts).extracting(a -> a.customerId() + "#" + a.attemptNo() + ":" + a.result())
                .containsExactlyInAnyOrder("C1#1:answered", "C2#1:busy", "C2#2:answered", "C3#1:no-answer",
                        "C3#2:no-answer");
        // exactly once: one Originate per attempt record, none for the customer without a number
        assertThat(ami.originated()).hasSize(attempts.size());
        Set<String> dialled = new HashSet<>();
        for (FakeAmi.Originated o : ami.originated()) {
            Map<String, String> v = o.variables();
            assertThat(dialled.add(v.get("IVR_CUSTOMER") + "#" + v.get("IVR_ATTEMPT"))).as("dialled twice: " + v).isTrue();
            assertThat(v).containsEntry("IVR_CAMPAIGN", "reminder").containsEntry("IVR_FLOW", "payment-reminder")
                    .containsEntry("IVR_REASON", "payment-late");
            assertThat(o.action()).containsEntry("Context", "ivr-outbound").containsEntry("Exten", "s");
        }
        assertThat(ami.originated()).extracting(o -> o.action().get("Channel"))
                .contains("PJSIP/+3615550001@trunk");
        // answered attempts carry the channel's unique id (the flow's call id)
        assertThat(attempts).filteredOn(a -> "answered".equals(a.result())).allMatch(a -> a.callId() != null);
        // max-concurrent 1 across both servers: no two attempts were under way at once
        List<CampaignStore.Attempt> byStart = attempts.stream()
                .sorted(java.util.Comparator.comparing(CampaignStore.Attempt::startedAt)).toList();
        for (int i = 1; i < byStart.size(); i++) {
            Instant prevEnd = byStart.get(i - 1).endedAt();
            assertThat(byStart.get(i).startedAt()).as("attempt %d started before %d ended", i, i - 1)
                    .isAfterOrEqualTo(prevEnd);
        }
        assertThat(attempts).extracting(CampaignStore.Attempt::node).allMatch(n -> n.equals("node-a") || n.equals("node-b"));
    }
}
