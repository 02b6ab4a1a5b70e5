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
import dev.ivr.testsupport.TestCluster;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pause, resume and stop on the cluster: three Hazelcast members on loopback, each with its
 * dialer (one database, the fake PBX's AMI answering every call, the callee hanging up 300 ms
 * later). A pause on member A stops the claims of B and C within a second (asserted from the
 * attempt records' started_at), calls under way go on to their end, a resume on C starts them
 * again; after the whole cluster is stopped and started again the state comes back from the
 * database (paused stays paused, a resume then finishes the list, each contact called once).
 */
@Tag("integration")
class CampaignRunStatesIT {
    private static final Duration T = OutboundRig.T;
    private static final int CUSTOMERS = 40;

    @TempDir
    Path tmp;
    private final OutboundRig rig = new OutboundRig();

    @AfterEach
    void closeAll() throws Exception {
        rig.close();
    }

    private record Member(CampaignRunStates states, CampaignDialer dialer, AmiConnection connection) implements AutoCloseable {
        @Override
        public void close() {
            dialer.close();
            states.close();
            connection.close();
        }
    }

    private List<Member> members(TestCluster cluster, Database db, OutboundConfig outbound, FakeAmi ami) {
        List<Member> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AmiConnection connection = rig.connect(ami);
            CampaignRunStates states = new CampaignRunStates(cluster.member(i), new CampaignStore(db.dataSource()));
            CampaignDialer dialer = new CampaignDialer(outbound, new CampaignStore(db.dataSource()),
                    new AmiOriginator(connection, Clock.systemUTC()), Clock.systemUTC(), "node-" + "abc".charAt(i))
                    .runStates(states).start();
            out.add(new Member(states, dialer, connection));
        }
        return out;
    }

    @Test
    void aPauseOnOneMemberStopsEveryMembersClaimsWithinASecondAndAFullRestartResumesFromTheDatabase() throws Exception {
        Database db = rig.database(tmp, 8);
        AttributeSchema schema = AttributeSchema.of(List.of(new AttributeConfig("do_not_call", "boolean", null, null)));
        StringBuilder csv = new StringBuilder("id,first_name,phones,attr.do_not_call\n");
        for (int i = 1; i <= CUSTOMERS; i++) {
            csv.append(String.format("C%02d,Customer %d,+36 1 555 %04d,no%n", i, i, i));
        }
        OutboundRig.importCustomers(db, schema, tmp, csv);
        Segments segments = new Segments(db.dataSource(), schema, Clock.systemUTC());
        segments.save("callable", "!attr.do_not_call", null, "test");
        CampaignConfig campaign = new CampaignConfig("blast", "callable", "payment-reminder", "payment-late",
                null, 3, 1, Map.of(), OutboundRig.EVERY_DAY, "00:00", "23:59", "UTC", null);
        OutboundConfig outbound = OutboundRig.outbound(Duration.ofMillis(200), campaign);
        CampaignStore store = new CampaignStore(db.dataSource());

        FakeAmi ami = rig.fakeAmi();
        ami.originateOutcomes(a -> FakeAmi.OriginateOutcome.ANSWERED);
        rig.hangUpAnswered(ami, Duration.ofMillis(300));

        TestCluster cluster = TestCluster.start(3);
        rig.closing(cluster);
        List<Member> members = members(cluster, db, outbound, ami);
        members.forEach(rig::closing);
        Campaigns onA = new Campaigns(outbound, store, segments, Clock.systemUTC()).runStates(members.get(0).states());
        Campaigns onC = new Campaigns(outbound, store, segments, Clock.systemUTC()).runStates(members.get(2).states());
        assertThat(onA.start("blast").members()).isEqualTo(CUSTOMERS);
        await().atMost(T).until(() -> store.attempts("blast").stream().map(CampaignStore.Attempt::node).distinct().count() >= 2
                && store.attempts("blast").size() >= 8);

        // pause on A: from then on no member starts an attempt; the calls under way end normally. Every claim reads
        // the campaign's status in the database under its row lock and takes its start time there, and the pause is
        // written to that row first: an attempt claimed at all was started before set() returned. (Compared before
        // with an instant taken before set() plus a second: a claim that had the lock then and was held up for a
        // second, by a GC pause or a slow commit on a loaded machine, would have failed it.)
        assertThat(onA.set("blast", "paused")).isTrue();
        Instant paused = Instant.now();
        long rounds = members.get(1).dialer().polls() + members.get(2).dialer().polls();
        await().atMost(T).until(() -> members.get(1).dialer().polls() + members.get(2).dialer().polls() >= rounds + 10);
        await().atMost(T).until(() -> store.inFlight("blast") == 0);
        List<CampaignStore.Attempt> atPause = store.attempts("blast");
        assertThat(atPause).allSatisfy(a -> assertThat(a.startedAt()).as("%s started by %s", a.customerId(), a.node())
                .isBeforeOrEqualTo(paused));
        assertThat(atPause).allSatisfy(a -> assertThat(a.result()).isEqualTo("answered"));
        assertThat(members).allSatisfy(m -> assertThat(m.states().status("blast")).contains("paused"));
        assertThat(atPause.size()).isLessThan(CUSTOMERS);

        // resume on C: every member may dial again
        Instant resumed = Instant.now();
        assertThat(onC.set("blast", "running")).isTrue();
        await().atMost(T).until(() -> store.attempts("blast").stream().anyMatch(a -> a.startedAt().isAfter(resumed)));
        // and pause again, then the whole cluster stops (the map is gone with it)
        assertThat(onC.set("blast", "paused")).isTrue();
        await().atMost(T).until(() -> store.inFlight("blast") == 0);
        int beforeRestart = store.attempts("blast").size();
        assertThat(beforeRestart).isLessThan(CUSTOMERS);
        for (Member m : members) {
            m.close();
        }
        cluster.close();

        TestCluster again = TestCluster.start(3);
        rig.closing(again);
        List<Member> restarted = members(again, db, outbound, ami);
        restarted.forEach(rig::closing);
        long startRounds = restarted.stream().mapToLong(m -> m.dialer().polls()).sum();
        await().atMost(T).until(() -> restarted.stream().mapToLong(m -> m.dialer().polls()).sum() >= startRounds + 15);
        assertThat(store.attempts("blast")).as("paused before the restart: still paused").hasSize(beforeRestart);
        assertThat(restarted).allSatisfy(m -> assertThat(m.states().status("blast")).contains("paused"));
        new Campaigns(outbound, store, segments, Clock.systemUTC()).runStates(restarted.get(1).states()).set("blast", "running");
        await().atMost(T).until(() -> store.contactStates("blast").getOrDefault("pending", 0) == 0
                && store.contactStates("blast").getOrDefault("dialing", 0) == 0);
        List<CampaignStore.Attempt> all = store.attempts("blast");
        assertThat(all).hasSize(CUSTOMERS);
        Set<String> customers = new HashSet<>();
        all.forEach(a -> assertThat(customers.add(a.customerId())).as("called twice: " + a.customerId()).isTrue());
        assertThat(all).allSatisfy(a -> assertThat(a.result()).isEqualTo("answered"));
        assertThat(ami.originated()).hasSize(CUSTOMERS);
        assertThat(all.stream().map(CampaignStore.Attempt::node).distinct().count()).isGreaterThanOrEqualTo(2);
    }
}
