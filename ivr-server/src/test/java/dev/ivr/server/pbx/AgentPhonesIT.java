package dev.ivr.server.pbx;

import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingOptions;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.routing.hazelcast.HazelcastRouting;
import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.config.AmiConfig;
import dev.ivr.server.testing.TestConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Agent states kept true to the phones: the fake AMI over TCP, Asterisk-Java's client, a real Hazelcast member. */
@Tag("integration")
class AgentPhonesIT {
    static final Duration T = Duration.ofSeconds(30);
    static final String SECRET = "manager-secret-for-tests";
    static final AtomicInteger NAMES = new AtomicInteger();

    static final String CLUSTER = "phones-" + java.util.UUID.randomUUID();

    @TempDir
    static Path dir;
    static ClusterMember member;
    String routerName;

    FakeAmi ami;
    RoutingService router;
    AmiConnection connection;
    AgentPhones phones;

    @BeforeAll
    static void cluster() {
        member = ClusterMember.start(TestConfigs.server(dir, Map.of("IVR_CLUSTER_NAME", CLUSTER)).cluster(), "phones", dir);
    }

    /**
     * The port the first member listens on. Not the port it was configured with: that one was free when the test picked
     * it, another process can take it before the member binds, and the member then takes the next (Hazelcast's
     * auto-increment); a second member told the configured port would form a cluster of its own.
     */
    static int memberPort() {
        return member.hazelcast().getCluster().getLocalMember().getAddress().getPort();
    }

    @AfterAll
    static void stopCluster() {
        if (member != null) {
            // one member of a test cluster has nothing to hand over: a graceful shutdown here only waits (up to
            // Hazelcast's 10 minutes) when the member still lists the killed "doomed" member of the test below
            member.hazelcast().getLifecycleService().terminate();
        }
    }

    @BeforeEach
    void start() throws Exception {
        ami = new FakeAmi("ivr", SECRET);
        routerName = "phones-" + NAMES.incrementAndGet();
        router = HazelcastRouting.start(member.hazelcast(), queues(), RoutingOptions.defaults().withName(routerName));
    }

    static List<QueueDefinition> queues() {
        return List.of(QueueDefinition.builder("support").requireSkill("technical", 1).build());
    }

    /** Connects to the fake AMI and starts keeping the agents true to their phones. */
    void connect() {
        connection = AmiConnection.start(new AmiConfig(true, "127.0.0.1", ami.port(), "ivr", SECRET));
        phones = AgentPhones.start(connection, router, null);
        await().atMost(T).until(() -> connection.available() && !ami.actions("PJSIPShowEndpoints").isEmpty());
    }

    @AfterEach
    void stop() throws Exception {
        if (phones != null) {
            phones.close();
        }
        if (connection != null) {
            connection.close();
        }
        router.close();
        ami.close();
    }

    void ready(String id, String endpoint) {
        router.login(new AgentProfile(id, id, endpoint, Map.of("technical", 5), Set.of("en")));
        router.ready(id);
    }

    Agent agent(String id) {
        return router.agent(id).orElseThrow();
    }

    void awaitState(String id, AgentState state, String reason) {
        await().atMost(T).untilAsserted(() -> {
            assertThat(agent(id).state()).isEqualTo(state);
            assertThat(agent(id).reasonCode()).isEqualTo(reason);
        });
    }

    @Test
    void aReadyAgentWhosePhoneIsBusyWithAnotherCallIsNotReadyUntilItIsIdleAgain() {
        ami.endpoint("PJSIP/1001", "NOT_INUSE");
        ami.endpoint("PJSIP/1005", "NOT_INUSE");
        ready("ann", "PJSIP/1001");
        router.login(new AgentProfile("ben", "ben", "PJSIP/1005", Map.of("technical", 5), Set.of("en")));
        router.notReady("ben", "lunch");
        connect();

        ami.deviceState("PJSIP/1001", "INUSE");
        awaitState("ann", AgentState.NOT_READY, AgentPhones.BUSY_ELSEWHERE);
        ami.deviceState("PJSIP/1001", "NOT_INUSE");
        awaitState("ann", AgentState.READY, null);

        // an agent not ready for their own reason is left alone: the phone going idle does not make them ready
        ami.deviceState("PJSIP/1005", "INUSE");
        ami.deviceState("PJSIP/1005", "NOT_INUSE");
        ami.deviceState("PJSIP/1001", "RINGING"); // a marker: once ann is corrected, ben's events were handled too
        awaitState("ann", AgentState.NOT_READY, AgentPhones.BUSY_ELSEWHERE);
        assertThat(agent("ben").state()).isEqualTo(AgentState.NOT_READY);
        assertThat(agent("ben").reasonCode()).isEqualTo("lunch");
    }

    @Test
    void anAgentHeldAfterTheNodeOfItsCallDiedIsReadyOnceItsPhoneIsIdle(@TempDir Path other) throws Exception {
        ami.endpoint("PJSIP/1001", "NOT_INUSE");
        ready("ann", "PJSIP/1001");
        connect();
        // a second node routes a call to ann, then dies while she talks: Asterisk still bridges that call
        ClusterMember second = ClusterMember.start(TestConfigs.server(other, Map.of("IVR_CLUSTER_NAME", CLUSTER,
                "IVR_CLUSTER_MEMBERS", "127.0.0.1:" + memberPort())).cluster(), "doomed", other);
        await().atMost(T).until(() -> member.hazelcast().getCluster().getMembers().size() == 2
                && member.hazelcast().getPartitionService().isClusterSafe());
        try (RoutingService doomed = HazelcastRouting.start(second.hazelcast(), queues(),
                RoutingOptions.defaults().withName(routerName))) {
            await().atMost(T).until(() -> doomed.agent("ann").map(Agent::state).orElse(null) == AgentState.READY);
            doomed.enqueue(CallRequest.builder("call-9", "support").build());
            Reservation r = ((WaitResult.Offered) doomed.awaitAgent("call-9", T)).reservation();
            ami.deviceState("PJSIP/1001", "RINGING");
            assertThat(doomed.answered(r)).isTrue();
            ami.deviceState("PJSIP/1001", "INUSE");
            await().atMost(T).until(() -> agent("ann").state() == AgentState.ON_CALL);
            second.hazelcast().getLifecycleService().terminate();
        } catch (com.hazelcast.core.HazelcastInstanceNotActiveException e) {
            // closing the router of the killed member
        } finally {
            second.close();
        }
        await().atMost(T).until(() -> member.hazelcast().getCluster().getMembers().size() == 1);
        awaitState("ann", AgentState.WRAP_UP, dev.ivr.routing.RoutingEvent.OWNER_LEFT);
        ami.deviceState("PJSIP/1001", "NOT_INUSE"); // the orphaned call is over
        awaitState("ann", AgentState.READY, null);
    }

    /** Hold and Unhold over the manager interface: journaled on the agent's call, the hold's length on the unhold. */
    @Test
    void theAgentsHoldsAreJournaledOnItsCall() throws Exception {
        ami.endpoint("PJSIP/1001", "NOT_INUSE");
        ready("ann", "PJSIP/1001");
        connect();
        dev.ivr.server.testing.CollectingJournal journal = new dev.ivr.server.testing.CollectingJournal();
        List<dev.ivr.server.journal.JournalEvent> journaled = journal.events();
        AmiHolds holds = AmiHolds.start(connection, router, journal, "n1", endpoint -> true);
        try {
            router.enqueue(CallRequest.builder("call-7", "support").build());
            Reservation r = ((WaitResult.Offered) router.awaitAgent("call-7", T)).reservation();
            assertThat(router.answered(r)).isTrue();
            ami.hold("PJSIP/1001-0000000a", "1764800000.10", "default");
            await().atMost(T).until(() -> journaled.size() == 1);
            Thread.sleep(20); // a hold of some milliseconds
            ami.unhold("PJSIP/1001-0000000a", "1764800000.10");
            await().atMost(T).until(() -> journaled.size() == 2);
            assertThat(journaled).extracting(dev.ivr.server.journal.JournalEvent::type).containsExactly(
                    dev.ivr.server.journal.JournalEvent.Type.CALL_HOLD, dev.ivr.server.journal.JournalEvent.Type.CALL_UNHOLD);
            assertThat(journaled).allSatisfy(e -> {
                assertThat(e.agent()).isEqualTo("ann");
                assertThat(e.callId()).isEqualTo("call-7");
                assertThat(e.queue()).isEqualTo("support");
            });
            assertThat(journaled.get(1).durationMs()).isGreaterThanOrEqualTo(20);
            // held again, and the talk ends on hold: the hold ends with it
            ami.hold("PJSIP/1001-0000000a", "1764800000.10", "default");
            await().atMost(T).until(() -> journaled.size() == 3);
            router.callEnded(r);
            await().atMost(T).until(() -> journaled.size() == 4);
            assertThat(journaled.get(3).reason()).isEqualTo(AmiHolds.CALL_ENDED);
        } finally {
            holds.close();
        }
    }

    @Test
    void anAgentOnACallTheRouterGaveThemIsLeftAlone() throws Exception {
        ami.endpoint("PJSIP/1001", "NOT_INUSE");
        ready("ann", "PJSIP/1001");
        connect();
        router.enqueue(CallRequest.builder("call-1", "support").build());
        Reservation r = ((WaitResult.Offered) router.awaitAgent("call-1", T)).reservation();
        ami.deviceState("PJSIP/1001", "RINGING");
        assertThat(router.answered(r)).isTrue();
        ami.deviceState("PJSIP/1001", "INUSE");
        router.callEnded(r); // no wrap-up: ready at once
        ami.deviceState("PJSIP/1001", "NOT_INUSE");
        ami.deviceState("PJSIP/1002", "INUSE"); // another phone: the marker that the events above were handled
        await().atMost(T).until(() -> phones.deviceState("PJSIP/1002").isPresent());
        assertThat(agent("ann").state()).isEqualTo(AgentState.READY);
    }

    @Test
    void anUnregisteredPhoneMakesItsAgentNotReadyUntilItRegistersAgain() {
        ami.endpoint("PJSIP/1002", "NOT_INUSE");
        ready("cleo", "PJSIP/1002");
        connect();

        ami.contactStatus("1002", "Removed");
        awaitState("cleo", AgentState.NOT_READY, AgentPhones.UNREGISTERED);
        // the agent asks to be ready while the phone is still away: corrected at once
        router.ready("cleo");
        awaitState("cleo", AgentState.NOT_READY, AgentPhones.UNREGISTERED);
        ami.contactStatus("1002", "Reachable");
        awaitState("cleo", AgentState.READY, null);

        ami.deviceState("PJSIP/1002", "UNAVAILABLE");
        awaitState("cleo", AgentState.NOT_READY, AgentPhones.UNREGISTERED);
        ami.deviceState("PJSIP/1002", "NOT_INUSE");
        awaitState("cleo", AgentState.READY, null);
    }

    @Test
    void atLoginAndAfterEveryReconnectionTheAgentsAreCheckedAgainstTheEndpoints() {
        ami.endpoint("PJSIP/1001", "NOT_INUSE");
        ami.endpoint("PJSIP/1002", "UNAVAILABLE");
        ami.endpoint("PJSIP/1003", "INUSE");
        ready("ann", "PJSIP/1001");
        ready("cleo", "PJSIP/1002");
        ready("dan", "PJSIP/1003");
        ready("eve", "PJSIP/1009"); // no such endpoint on the PBX
        connect();
        awaitState("cleo", AgentState.NOT_READY, AgentPhones.UNREGISTERED);
        awaitState("dan", AgentState.NOT_READY, AgentPhones.BUSY_ELSEWHERE);
        awaitState("eve", AgentState.NOT_READY, AgentPhones.UNREGISTERED);
        assertThat(agent("ann").state()).isEqualTo(AgentState.READY);

        // while the connection is down the phones change without events reaching the server
        ami.endpoint("PJSIP/1002", "NOT_INUSE");
        ami.endpoint("PJSIP/1003", "NOT_INUSE");
        ami.endpoint("PJSIP/1001", "UNAVAILABLE");
        ami.dropConnections();
        await().atMost(T).until(() -> ami.actions("PJSIPShowEndpoints").size() >= 2);
        awaitState("cleo", AgentState.READY, null);
        awaitState("dan", AgentState.READY, null);
        awaitState("ann", AgentState.NOT_READY, AgentPhones.UNREGISTERED);
        assertThat(ami.actions("Login")).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void withoutTheManagerInterfaceTheServerRunsAndCallbacksAreRefused() throws Exception {
        int port = ami.port();
        ami.close(); // nothing listens: Asterisk is not there (yet)
        connection = AmiConnection.start(new AmiConfig(true, "127.0.0.1", port, "ivr", SECRET));
        assertThat(connection.available()).isFalse();
        assertThat(connection.health().status()).isEqualTo(dev.ivr.server.health.Health.Status.DOWN);
        AmiOriginator originator = new AmiOriginator(connection, Clock.systemUTC());
        assertThat(originator.available()).isFalse();
        assertThatThrownBy(() -> originator.originate(new dev.ivr.server.routing.Originator.Request("PJSIP/1001",
                "ivr-callback", "+3612345678", "Callback", Duration.ofSeconds(20), Map.of())))
                .isInstanceOf(dev.ivr.server.routing.Originator.OriginateException.class)
                .hasMessageContaining("not connected");
    }
}
