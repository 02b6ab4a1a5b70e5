package dev.ivr.server.routing;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.RoutingOptions;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitingCall;
import dev.ivr.server.agi.AgiListener;
import dev.ivr.server.call.ScriptResolvers;
import dev.ivr.server.callback.CallbackService;
import dev.ivr.server.callback.StoredCallback;
import dev.ivr.server.callback.store.JdbcCallbackStore;
import dev.ivr.server.callcontext.TopicScreenPops;
import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.config.AgiConfig;
import dev.ivr.server.config.AmiConfig;
import dev.ivr.server.config.ClusterConfig;
import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.config.RoutingConfig;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.db.Database;
import dev.ivr.server.flow.FlowRepository;
import dev.ivr.server.flow.FlowScripts;
import dev.ivr.server.flow.engine.Checkpoints;
import dev.ivr.server.flow.engine.FlowEngine;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.pbx.AmiConnection;
import dev.ivr.server.pbx.AmiOriginator;
import dev.ivr.testsupport.PostgresServer;
import dev.ivr.server.testing.TestConfigs;
import dev.ivr.testsupport.TcpProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.ivr.server.routing.RoutingHarness.config;
import static dev.ivr.server.routing.RoutingHarness.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Callbacks owned by the cluster: three servers' routing on three Hazelcast members on loopback, one PostgreSQL
 * database, the fake PBX for the call that books the callback and a fake AMI for the callback's Originate. The
 * server that holds a callback dies before, or while, it dispatches it: another server takes it over, with its
 * place in the queue, and the customer is dialled exactly once.
 */
@Tag("integration")
class DurableCallbacksIT {
    static final Duration T = Duration.ofSeconds(90);
    static final String ANNA = "+3612345678";
    static final Map<String, Integer> TECH = Map.of("technical", 3);

    @TempDir
    Path dir;
    FakeAmi ami;
    TcpProxy dbProxy;
    Database db;
    final ScriptedCrm crm = new ScriptedCrm(List.of(), false);
    final String routingName = "callbacks-" + UUID.randomUUID();
    final List<ServerNode> nodes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ami = new FakeAmi("ivr", "manager-secret-for-tests");
        String direct = PostgresServer.get().newDatabase();
        dbProxy = new TcpProxy(PostgresServer.get().port()); // to cut the database when a test says
        db = Database.open(new DatabaseConfig(PostgresServer.url(dbProxy.port(), direct.substring(direct.lastIndexOf('/')
                + 1)), PostgresServer.USER, "", 4, 2, Duration.ofSeconds(2)), dir);
        assertThat(db.awaitReady(Duration.ofSeconds(60))).as(db.health().detail()).isTrue();
        ClusterConfig cluster = TestConfigs.server(dir, Map.of("IVR_CLUSTER_NAME", "cb-" + UUID.randomUUID())).cluster();
        for (String name : List.of("a", "b", "c")) { // each on port 0; b and c join the ones running
            ClusterConfig own = nodes.isEmpty() ? cluster
                    : TestConfigs.joining(cluster, nodes.stream().map(n -> n.member).toArray(ClusterMember[]::new));
            nodes.add(new ServerNode(name, own, dir, ami, db, routingName, crm, hz -> Checkpoints.NONE));
        }
        await().atMost(T).until(() -> nodes.get(0).member.hazelcast().getCluster().getMembers().size() == 3);
        await().atMost(T).until(() -> nodes.get(2).member.hazelcast().getPartitionService().isClusterSafe());
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        db.close();
        dbProxy.close();
        ami.close();
    }

    /** A caller on node b asks for a callback while nobody is ready; answers its id. */
    String bookOn(ServerNode node) throws Exception {
        node.service().login(new AgentProfile("tina", "Tina", "PJSIP/3002", TECH, Set.of("en")));
        FakePbx pbx = new FakePbx("127.0.0.1", node.listener.port());
        CallResult r = pbx.call("queue-test").callerId(ANNA).caller(Caller.script().press("2").press("1")).run(T);
        String callId = r.uniqueId();
        assertThat(interactions(callId)).singleElement().extracting(Interaction::outcome)
                .isEqualTo(Interaction.Outcome.CALLBACK_REQUESTED);
        await().atMost(T).until(() -> callback(nodes.get(0), callId).state().equals("WAITING"));
        return callId;
    }

    @Test
    void theOwnerDiesBeforeAnAgentIsFreeAnotherNodeTakesTheCallbackOverWithItsPlaceAndDialsItOnce() throws Exception {
        ServerNode a = nodes.get(0);
        ServerNode b = nodes.get(1);
        String callId = bookOn(b);
        WaitingCall before = waiting(a, callId);
        StoredCallback booked = callback(a, callId);
        assertThat(booked.owner()).isEqualTo(b.service().nodeId());
        stored(callId, "WAITING");

        b.kill();

        await("another node claims the callback").atMost(T).until(() -> {
            StoredCallback c = callback(a, callId);
            return c.owner() != null && !c.owner().equals(booked.owner()) && c.state().equals("WAITING")
                    && c.owner().equals(waiting(a, callId).ownerNode());
        });
        WaitingCall after = waiting(a, callId);
        assertThat(after.enqueuedAt()).as("the place in the queue is kept").isEqualTo(before.enqueuedAt());

        ami.originateOutcomes(x -> FakeAmi.OriginateOutcome.ANSWERED);
        a.service().ready("tina");
        await().atMost(T).until(() -> a.service().agent("tina").orElseThrow().state() == AgentState.ON_CALL);
        assertThat(ami.originated()).singleElement().satisfies(o -> {
            assertThat(o.action()).containsEntry("Channel", "PJSIP/3002").containsEntry("Exten", ANNA);
            assertThat(o.variables()).containsEntry("IVR_CALL_ID", callId);
        });
        FakeAmi.Originated o = ami.originated().get(0);
        ami.hangup(o.channel(), o.uniqueId());
        await().atMost(T).until(() -> callback(a, callId).state().equals("DONE"));
        assertThat(interactions(callId + "-callback")).singleElement().satisfies(i -> {
            assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ROUTED);
            assertThat(i.agentId()).isEqualTo("tina");
        });
        assertThat(stored(callId, "DONE").attempts()).isEqualTo(1);
        assertThat(ami.originated()).as("dialled exactly once").hasSize(1);
    }

    /**
     * The callback ends while the database is away: its owner keeps the save for later, in memory, and dies before
     * the database is back. The server that holds the entry writes the final state to the table.
     */
    @Test
    void aFinishedStateThatCouldNotBeSavedBeforeItsOwnerDiedReachesTheTable() throws Exception {
        ServerNode a = nodes.get(0);
        ServerNode b = nodes.get(1);
        String callId = bookOn(b);
        ami.originateOutcomes(x -> FakeAmi.OriginateOutcome.ANSWERED);
        b.service().ready("tina");
        await().atMost(T).until(() -> callback(a, callId).state().equals("CONNECTED"));
        await().atMost(T).until(() -> new JdbcCallbackStore(db).get(callId).map(StoredCallback::state)
                .filter("CONNECTED"::equals).isPresent());

        dbProxy.cut();
        FakeAmi.Originated o = ami.originated().get(0);
        ami.hangup(o.channel(), o.uniqueId());
        await().atMost(T).until(() -> callback(a, callId).state().equals("DONE"));
        b.kill();
        dbProxy.restore();

        // the pool may hand out a connection the cut killed, used again too soon after to be checked: a read fails
        await("the final state in the table").atMost(T).ignoreExceptions().until(() -> new JdbcCallbackStore(db).get(callId)
                .map(StoredCallback::state).filter("DONE"::equals).isPresent());
        assertThat(ami.originated()).as("dialled exactly once").hasSize(1);
    }

    @Test
    void theOwnerDiesWhileTheAgentIsRungTheCallbackIsNotDialledAgain() throws Exception {
        ServerNode a = nodes.get(0);
        ServerNode b = nodes.get(1);
        String callId = bookOn(b);
        ami.originateDelay(Duration.ofMinutes(5)); // the agent's phone rings on and on
        b.service().ready("tina");
        await().atMost(T).until(() -> ami.originated().size() == 1);
        await().atMost(T).until(() -> callback(a, callId).state().equals("DIALING"));

        b.kill();

        await("the dial in flight is taken over, not repeated").atMost(T).until(() -> callback(a, callId).state()
                .equals("DONE"));
        assertThat(callback(a, callId).reason()).contains("node lost");
        assertThat(interactions(callId + "-callback")).singleElement().satisfies(i ->
                assertThat(i.path()).endsWith("callback", "node-lost"));
        assertThat(ami.actions("Status")).as("the survivor asked the PBX for the callback's channel").isNotEmpty()
                .allSatisfy(s -> assertThat(s).containsEntry("Variables", "IVR_CALL_ID"));
        assertThat(ami.liveChannels()).as("the agent's phone still rings").hasSize(1);
        assertThat(ami.originated()).as("dialled exactly once").hasSize(1);
    }

    /**
     * The owner marked the callback DIALING and died before its Originate reached the PBX (here: the Originate is lost
     * on the way): the survivor finds no channel with the callback's IVR_CALL_ID on the PBX and dials it, once.
     */
    @Test
    void theOwnerDiesBeforeItsOriginateReachesThePbxTheSurvivorDialsItOnce() throws Exception {
        ServerNode a = nodes.get(0);
        ServerNode b = nodes.get(1);
        String callId = bookOn(b);
        ami.loseOriginates(true);
        b.service().ready("tina");
        await().atMost(T).until(() -> ami.actions("Originate").size() == 1);
        assertThat(callback(a, callId).state()).isEqualTo("DIALING");

        b.kill();
        ami.loseOriginates(false);
        ami.originateOutcomes(x -> FakeAmi.OriginateOutcome.ANSWERED);
        // tina is held in wrap-up (her phone may ring for the dead node's call); tom takes the callback
        a.service().login(new AgentProfile("tom", "Tom", "PJSIP/3003", TECH, Set.of("en")));
        a.service().ready("tom");

        await("the survivor dials it").atMost(T).until(() -> ami.originated().size() == 1);
        assertThat(ami.originated().get(0).action()).containsEntry("Channel", "PJSIP/3003").containsEntry("Exten", ANNA);
        assertThat(ami.originated().get(0).variables()).containsEntry("IVR_CALL_ID", callId);
        assertThat(ami.actions("Status")).as("after asking the PBX").isNotEmpty();
        await().atMost(T).until(() -> a.service().agent("tom").orElseThrow().state() == AgentState.ON_CALL);
        FakeAmi.Originated o = ami.originated().get(0);
        ami.hangup(o.channel(), o.uniqueId());
        await().atMost(T).until(() -> callback(a, callId).state().equals("DONE"));
        assertThat(interactions(callId + "-callback")).singleElement().satisfies(i -> {
            assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ROUTED);
            assertThat(i.agentId()).isEqualTo("tom");
        });
        assertThat(stored(callId, "DONE").attempts()).isEqualTo(1);
        assertThat(ami.actions("Originate")).as("the lost one and the survivor's").hasSize(2);
        assertThat(ami.originated()).as("placed exactly once").hasSize(1);
    }

    @Test
    void aScheduledCallbackIsQueuedWhenDueAndCanBeCancelledBeforeThat() throws Exception {
        ServerNode a = nodes.get(0);
        ServerNode c = nodes.get(2);
        StoredCallback later = a.callbacks().schedule(ANNA, "support", Instant.now().plus(Duration.ofHours(2)), 0, null, "en");
        StoredCallback now = c.callbacks().schedule("+3698765432", "support", null, 0, null, "en");
        assertThat(a.callbacks().list()).extracting(StoredCallback::id).contains(later.id(), now.id());
        await().atMost(T).until(() -> callback(a, now.id()).state().equals("WAITING"));
        assertThat(waiting(a, now.id())).isNotNull();
        assertThat(callback(a, later.id()).state()).isEqualTo("SCHEDULED");

        assertThat(c.callbacks().cancel(later.id())).isEqualTo(CallbackService.Cancel.CANCELLED);
        assertThat(a.callbacks().cancel(now.id())).isEqualTo(CallbackService.Cancel.CANCELLED);
        assertThat(a.callbacks().cancel(now.id())).isEqualTo(CallbackService.Cancel.ALREADY_OVER);
        assertThat(a.callbacks().cancel("nope")).isEqualTo(CallbackService.Cancel.NOT_FOUND);
        await().atMost(T).until(() -> a.service().waitingCalls("support").isEmpty());
        assertThat(new JdbcCallbackStore(db).open()).isEmpty();
        assertThat(ami.originated()).isEmpty();
    }

    /**
     * The callback's row in the table once it says {@code state}. Waited for: its owner changes the cluster's entry
     * first and writes the row after (CallbackDispatcher.update, adopt), so a row read as soon as the entry shows a
     * state can still hold the one before.
     */
    StoredCallback stored(String id, String state) {
        JdbcCallbackStore table = new JdbcCallbackStore(db);
        await("the table says " + state).atMost(T).until(() -> table.get(id).map(StoredCallback::state)
                .filter(state::equals).isPresent());
        return table.get(id).orElseThrow();
    }

    StoredCallback callback(ServerNode node, String id) {
        return node.callbacks().list().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElse(new StoredCallback(id, id, "", "", "ABSENT", null, null, null, 0, null, null, "", null));
    }

    static WaitingCall waiting(ServerNode node, String callId) {
        return node.service().waitingCalls("support").stream().filter(w -> w.callId().equals(callId)).findFirst()
                .orElseThrow();
    }

    List<Interaction> interactions(String callId) {
        await().atMost(T).until(() -> crm.recorded().stream().anyMatch(i -> i.callId().equals(callId)));
        return crm.recorded().stream().filter(i -> i.callId().equals(callId)).toList();
    }
}
