package dev.ivr.server.routing;

import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.routing.AgentProfile;
import dev.ivr.server.cluster.HazelcastCheckpoints;
import dev.ivr.server.cluster.LostCallRecorder;
import dev.ivr.server.config.ClusterConfig;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.crm.Authentication;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.crm.Customer;
import dev.ivr.server.crm.Identification;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.crm.pin.PinHasher;
import dev.ivr.server.crm.store.JdbcCrmStore;
import dev.ivr.server.db.Database;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.testing.OffCallThreads;
import dev.ivr.server.testing.TestConfigs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A record for every call under a double failure: three members on loopback, callers waiting on b, which dies; a
 * claims b's calls and dies too before it is done with them. c claims a's unfinished claims and the contact
 * history (a real H2 database) has every call of b exactly once.
 */
@Tag("integration")
class LostClaimerIT {
    static final Duration T = Duration.ofSeconds(90);
    static final String ANNA = "+3612345678";
    static final int CALLS = 12;

    @TempDir
    Path dir;
    final String routingName = "claims-" + UUID.randomUUID();
    final CompletableFuture<Void> never = new CompletableFuture<>();
    final List<AutoCloseable> toClose = new ArrayList<>();
    IvrConfig config;
    ServerNode a;
    ServerNode b;
    ServerNode c;
    Database db;
    HazelcastCheckpoints checkpoints;

    /** Where a is when it dies. */
    enum Death {
        /** It claimed b's calls and had written none of their interactions. */
        BEFORE_THE_WRITE,
        /** It had committed every interaction and removed none of the claimed checkpoints. */
        BEFORE_THE_REMOVAL
    }

    /**
     * The CRM store a recorder writes to: a server's real store, or what is left of one that dies at {@code death}
     * (the test kills its member there; nothing the dead process would have done after is done).
     */
    static final class RecorderStore implements CrmStore {
        final JdbcCrmStore real;
        final Death death;
        final List<String> recorded = Collections.synchronizedList(new ArrayList<>());
        final List<String> durable = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch killed = new CountDownLatch(1);

        RecorderStore(JdbcCrmStore real, Death death) {
            this.real = real;
            this.death = death;
        }

        @Override
        public void record(Interaction interaction) {
            record(interaction, () -> { });
        }

        @Override
        public void record(Interaction interaction, Runnable whenDurable) {
            recorded.add(interaction.callId());
            if (death == null) {
                real.record(interaction, () -> {
                    durable.add(interaction.callId());
                    whenDurable.run();
                });
            } else if (death == Death.BEFORE_THE_WRITE) {
                try {
                    killed.await(); // the write never happens: the process is killed meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                real.record(interaction, () -> durable.add(interaction.callId())); // killed before its removal
            }
        }

        @Override
        public Identification identify(String ani) {
            throw new UnsupportedOperationException("the recorder only records");
        }

        @Override
        public Authentication authenticate(String accountNumber, String pin, String callId) {
            throw new UnsupportedOperationException("the recorder only records");
        }

        @Override
        public Optional<Customer> customer(String customerId) {
            throw new UnsupportedOperationException("the recorder only records");
        }
    }

    @BeforeEach
    void start() throws Exception {
        config = TestConfigs.server(dir, Map.of("IVR_CLUSTER_NAME", "claims-" + UUID.randomUUID()));
        ClusterConfig cluster = config.cluster(); // port 0: b and c are told the ports of the ones running
        a = node("a", cluster);
        b = node("b", TestConfigs.joining(cluster, a.member));
        c = node("c", TestConfigs.joining(cluster, a.member, b.member));
        await().atMost(T).until(() -> c.member.hazelcast().getCluster().getMembers().size() == 3);
        checkpoints = new HazelcastCheckpoints(c.member.hazelcast(), Duration.ofMinutes(5), OffCallThreads.SHARED);
        c.service().login(new AgentProfile("tina", "Tina", "PJSIP/3002", Map.of("technical", 3), Set.of("en")));
        db = Database.open(config.database(), dir.resolve("data"));
        toClose.add(db);
        assertThat(db.awaitReady(T)).isTrue();
    }

    ServerNode node(String name, ClusterConfig cluster) throws Exception {
        return new ServerNode(name, cluster, dir, null, null, routingName, new ScriptedCrm(List.of(), false),
                hz -> new HazelcastCheckpoints(hz, Duration.ofMinutes(5), OffCallThreads.SHARED));
    }

    JdbcCrmStore store(String node) {
        JdbcCrmStore s = JdbcCrmStore.open(db, config.crm(), new PinHasher(config.crm().pinHash()), dir.resolve(node),
                node, new SimpleMeterRegistry());
        toClose.add(s);
        return s;
    }

    @AfterEach
    void stop() throws Exception {
        never.complete(null);
        for (ServerNode n : List.of(c, b, a)) {
            n.close();
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @ParameterizedTest
    @EnumSource(Death.class)
    void whenTheSurvivorThatClaimedALostServersCallsDiesTooTheThirdRecordsEachCallOnce(Death death) throws Exception {
        List<FakeCall> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            calls.add(new FakePbx("127.0.0.1", b.listener.port()).call("queue-test").callerId(ANNA)
                    .caller(Caller.script().hold(never)).start());
        }
        List<String> ids = calls.stream().map(FakeCall::uniqueId).toList();
        // past pick: its checkpoint's path has it (a checkpoint written as the call enters pick names it only as the
        // frame's node, and the interaction's path is the checkpoint's path)
        await().atMost(T).until(() -> ids.stream().allMatch(id -> checkpoints.load(id)
                .filter(s -> s.contains("\"server\":\"b\"") && s.contains("\"path\":[\"pick\"")).isPresent()));
        await().atMost(T).until(() -> c.member.hazelcast().getPartitionService().isClusterSafe());

        RecorderStore onA = new RecorderStore(store("a"), death);
        RecorderStore onC = new RecorderStore(store("c"), null);
        toClose.add(LostCallRecorder.start(a.member.hazelcast(), onA, Duration.ZERO, Duration.ofMinutes(5),
                Clock.systemUTC()));
        b.kill();
        calls.forEach(FakeCall::hangUpNow);
        // a has claimed every call of b (it records only once its scan has claimed them all)
        if (death == Death.BEFORE_THE_WRITE) {
            await().atMost(T).until(() -> !onA.recorded.isEmpty());
        } else {
            await().atMost(T).until(() -> onA.durable.size() == CALLS);
            assertThat(count("select count(*) from interactions")).as("committed by a").isEqualTo(CALLS);
        }
        assertThat(ids).as("claimed, not removed").allSatisfy(id -> assertThat(checkpoints.load(id)).isPresent());
        // the claims are on c or backed up there before a dies (two members lost at once lose what had no backup)
        await().atMost(T).until(() -> c.member.hazelcast().getPartitionService().isClusterSafe());

        toClose.add(LostCallRecorder.start(c.member.hazelcast(), onC, Duration.ZERO, Duration.ofMinutes(5),
                Clock.systemUTC()));
        a.kill();
        onA.killed.countDown();
        await().atMost(T).until(() -> onC.durable.size() == CALLS);
        await().atMost(T).until(() -> ids.stream().allMatch(id -> checkpoints.load(id).isEmpty()));
        assertThat(onC.recorded).as("c records each call once").containsExactlyInAnyOrderElementsOf(ids);
        assertThat(count("select count(*) from interactions")).isEqualTo(CALLS);
        assertThat(count("select count(distinct call_id) from interactions")).isEqualTo(CALLS);
        for (String id : ids) {
            Interaction i = onC.real.interaction(id).orElseThrow();
            assertThat(i.outcome()).isEqualTo(Interaction.Outcome.FAILED);
            assertThat(i.path()).containsExactly("pick", "node-lost");
            assertThat(i.node()).as("the server the call was on").isEqualTo("b");
            assertThat(i.ani()).isEqualTo(ANNA);
        }
    }

    long count(String sql) throws SQLException {
        try (Connection conn = db.dataSource().getConnection(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
