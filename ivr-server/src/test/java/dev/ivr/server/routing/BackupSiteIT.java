package dev.ivr.server.routing;

import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import dev.ivr.server.callback.StoredCallback;
import dev.ivr.server.callback.store.JdbcCallbackStore;
import dev.ivr.server.config.ClusterConfig;
import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.flow.engine.Checkpoints;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.testing.TestConfigs;
import dev.ivr.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The backup site of docs/high-availability.md: two separate clusters (no member of one knows the other) on one
 * PostgreSQL database, as the standby site's cluster finds the promoted replica. The first cluster books callbacks
 * and dies with them open; the standby cluster starts afterwards, reads the open callbacks from the
 * {@code callbacks} table and dials each exactly once, the scheduled one at its time.
 */
@Tag("integration")
class BackupSiteIT {
    static final Duration T = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    FakeAmi ami;
    Database db;
    final ScriptedCrm crm = new ScriptedCrm(List.of(), false);
    final List<ServerNode> nodes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ami = new FakeAmi("ivr", "manager-secret-for-tests");
        db = Database.open(new DatabaseConfig(PostgresServer.get().newDatabase(), PostgresServer.USER, "", 4, 2,
                Duration.ofSeconds(2)), dir);
        assertThat(db.awaitReady(Duration.ofSeconds(60))).as(db.health().detail()).isTrue();
    }

    @AfterEach
    void stop() throws Exception {
        for (ServerNode n : nodes) {
            n.close();
        }
        db.close();
        ami.close();
    }

    ClusterConfig site(String name) {
        return TestConfigs.server(dir.resolve(name), Map.of("IVR_CLUSTER_NAME", name + "-" + UUID.randomUUID())).cluster();
    }

    @Test
    void theStandbySiteTakesTheOpenCallbacksOverFromTheDatabaseAndDialsEachOnce() throws Exception {
        String routingName = "backup-" + UUID.randomUUID();
        ServerNode primary = new ServerNode("primary-1", site("primary"), dir, ami, db, routingName, crm, hz -> Checkpoints.NONE);
        nodes.add(primary);
        // nobody is ready at the primary site: one callback waits in the queue, one is for a few seconds later
        StoredCallback waiting = primary.callbacks().schedule("+3611111111", "support", null, 0, null, "en");
        StoredCallback later = primary.callbacks().schedule("+3622222222", "support", Instant.now().plusSeconds(20), 0,
                null, "en");
        JdbcCallbackStore table = new JdbcCallbackStore(db);
        await("both written to the table").atMost(T).until(() -> state(table, waiting.id()).equals("WAITING")
                && state(table, later.id()).equals("SCHEDULED"));

        primary.kill(); // the primary site is lost: its cluster with it

        // the standby site's cluster: its own members, its own cluster name, the same database
        ServerNode standby = new ServerNode("standby-1", site("standby"), dir, ami, db, routingName, crm,
                hz -> Checkpoints.NONE);
        nodes.add(standby);
        await("the standby cluster reads the open callbacks").atMost(T).until(() -> standby.callbacks().list().stream()
                .map(StoredCallback::id).toList().containsAll(List.of(waiting.id(), later.id())));
        assertThat(ami.originated()).as("nobody to ring yet").isEmpty();

        // an agent signs in at the standby site: the waiting callback is dialled, then the scheduled one when due
        standby.service().login(new AgentProfile("tina", "Tina", "PJSIP/3002", Map.of("technical", 3), Set.of("en")));
        standby.service().ready("tina");
        await("the waiting callback is dialled").atMost(T).until(() -> ami.originated().size() == 1);
        FakeAmi.Originated first = ami.originated().get(0);
        assertThat(first.variables()).containsEntry("IVR_CALL_ID", waiting.callId());
        await("the agent talks").atMost(T).until(() -> standby.service().agent("tina").orElseThrow().state()
                == AgentState.ON_CALL);
        ami.hangup(first.channel(), first.uniqueId());
        await().atMost(T).until(() -> state(table, waiting.id()).equals("DONE"));

        await("the scheduled callback is dialled when due").atMost(T).until(() -> ami.originated().size() == 2);
        FakeAmi.Originated second = ami.originated().get(1);
        assertThat(second.variables()).containsEntry("IVR_CALL_ID", later.callId());
        await("the agent talks").atMost(T).until(() -> standby.service().agent("tina").orElseThrow().state()
                == AgentState.ON_CALL);
        ami.hangup(second.channel(), second.uniqueId());
        await().atMost(T).until(() -> state(table, later.id()).equals("DONE"));

        assertThat(ami.originated()).as("each dialled exactly once").hasSize(2);
        assertThat(table.get(waiting.id())).hasValueSatisfying(s -> assertThat(s.attempts()).isEqualTo(1));
        assertThat(table.get(later.id())).hasValueSatisfying(s -> assertThat(s.attempts()).isEqualTo(1));
    }

    static String state(JdbcCallbackStore table, String id) {
        Optional<StoredCallback> s = table.get(id);
        return s.map(StoredCallback::state).orElse("ABSENT");
    }
}
