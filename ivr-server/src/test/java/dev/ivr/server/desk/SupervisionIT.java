package dev.ivr.server.desk;

import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.routing.hazelcast.HazelcastRouting;
import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpApi;
import dev.ivr.server.call.AgentLegControl;
import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.config.AmiConfig;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.crm.wrapup.JdbcTransferLog;
import dev.ivr.server.crm.wrapup.JdbcWrapUps;
import dev.ivr.server.db.Database;
import dev.ivr.server.desk.exits.IvrExits;
import dev.ivr.server.desk.users.UserSpec;
import dev.ivr.server.health.HealthRegistry;
import dev.ivr.server.metrics.Metrics;
import dev.ivr.server.pbx.AmiConnection;
import dev.ivr.server.pbx.AmiSupervision;
import dev.ivr.server.testing.Closer;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Supervision over the desk's API and the fake PBX's AMI: listen, whisper and barge ring the supervisor's own phone
 * into ChanSpy with the mode's options; forcing an agent not ready with a reason; a skill change at run time that
 * the next offer uses. Only supervisors may.
 */
@Tag("integration")
class SupervisionIT {
    static final Duration T = Duration.ofSeconds(60);
    static final String PASSWORD = "correct horse battery";
    final Closer open = new Closer();

    @AfterEach
    void stop() {
        open.close();
    }

    @Test
    void supervisorsListenWhisperBargeForceStatesAndChangeSkills(@TempDir Path dir) throws Exception {
        IvrConfig cfg = TestConfigs.server(dir.resolve("data"));
        ClusterMember member = ClusterMember.start(cfg.cluster(), "supervision", cfg.dataDir());
        open.add(member);
        Database db = Database.open(cfg.database(), cfg.dataDir());
        open.add(db);
        assertThat(db.awaitReady(T)).isTrue();
        RoutingService routing = HazelcastRouting.start(member.hazelcast(), List.of(
                QueueDefinition.builder("billing").requireSkill("billing", 5).build(),
                QueueDefinition.builder("sales").requireSkill("sales", 1).build()));
        open.add(routing);
        FakeAmi ami = new FakeAmi("ivr", "ami-secret");
        open.add(ami);
        AmiConnection connection = AmiConnection.start(new AmiConfig(true, "127.0.0.1", ami.port(), "ivr", "ami-secret"));
        open.add(connection);
        await().atMost(T).until(connection::available);
        Vertx vertx = Vertx.vertx();
        open.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        Metrics metrics = new Metrics("ivr-1");
        open.add(metrics);
        Desk desk = Desk.start(vertx, member.hazelcast(), db.httpDataSource(), routing,
                new IvrExits(member.hazelcast(), cfg.desk().ivrExitsWindow(), Clock.systemUTC()), cfg.desk(), cfg.routing(),
                new JdbcWrapUps(db.httpDataSource()), new JdbcTransferLog(db.httpDataSource()), AgentLegControl.NONE,
                new AmiSupervision(connection), cfg.http().idleTimeout(), "ivr-1", metrics.registry());
        open.add(desk);
        HttpApi http = HttpApi.start(vertx, cfg.http(), Auth.of(List.of()).withSessions(desk.sessions()),
                new HealthRegistry(), metrics, desk.routes());
        open.add(http);
        desk.users().create(new UserSpec("sam", "Sam Supervisor", Set.of("supervisor"), "PJSIP/1900", Map.of(), Set.of(),
                true, PASSWORD));
        desk.users().create(new UserSpec("pat", "Pat Phoneless", Set.of("supervisor"), null, Map.of(), Set.of(), true,
                PASSWORD));
        desk.users().create(new UserSpec("alice", "Alice Martin", Set.of("agent"), "PJSIP/1001", Map.of("billing", 7),
                Set.of("en"), true, PASSWORD));
        DeskClient api = new DeskClient(http.port());
        String sam = api.login("sam", PASSWORD);
        String pat = api.login("pat", PASSWORD);
        String alice = api.login("alice", PASSWORD);

        // ---- alice on a call
        assertThat(api.post("/api/agents/alice/login", alice, new JsonObject()).status()).isEqualTo(200);
        JsonObject whisper = new JsonObject().put("mode", "whisper");
        assertThat(api.post("/api/agents/alice/spy", sam, whisper).status()).as("not on a call").isEqualTo(409);
        assertThat(api.post("/api/agents/alice/ready", alice, null).status()).isEqualTo(200);
        routing.enqueue(CallRequest.builder("call-1", "billing").build());
        Reservation r = ((WaitResult.Offered) routing.awaitAgent("call-1", T)).reservation();
        assertThat(routing.answered(r)).isTrue();

        // ---- only supervisors, with a phone, and a known mode
        assertThat(api.post("/api/agents/alice/spy", alice, whisper).status()).isEqualTo(403);
        assertThat(api.post("/api/agents/alice/spy", pat, whisper).status()).isEqualTo(409);
        assertThat(api.post("/api/agents/alice/spy", sam, new JsonObject().put("mode", "record")).status()).isEqualTo(400);
        for (String[] m : new String[][]{{"listen", "qE"}, {"whisper", "qwE"}, {"barge", "qBE"}}) {
            DeskClient.Reply reply = api.post("/api/agents/alice/spy", sam, new JsonObject().put("mode", m[0]));
            assertThat(reply.status()).as(reply.body()).isEqualTo(202);
            await().atMost(T).until(() -> ami.actions("Originate").stream()
                    .anyMatch(a -> ("PJSIP/1001-," + m[1]).equals(a.get("Data"))));
        }
        assertThat(ami.actions("Originate")).allSatisfy(a -> {
            assertThat(a.get("Channel")).isEqualTo("PJSIP/1900");
            assertThat(a.get("Application")).isEqualTo("ChanSpy");
        });

        // ---- forced not ready during the call: applied after it; a reason is required
        assertThat(api.post("/api/agents/alice/force-state", sam, new JsonObject().put("state", "not-ready")).status())
                .isEqualTo(400);
        assertThat(api.post("/api/agents/alice/force-state", alice, new JsonObject().put("state", "not-ready")
                .put("reason", "break")).status()).isEqualTo(403);
        DeskClient.Reply forced = api.post("/api/agents/alice/force-state", sam, new JsonObject().put("state", "not-ready")
                .put("reason", cfg.desk().notReadyReasons().get(0)));
        assertThat(forced.status()).as(forced.body()).isEqualTo(200);
        assertThat(new JsonObject(forced.body()).getString("pendingReason")).isEqualTo(cfg.desk().notReadyReasons().get(0));
        assertThat(routing.callEnded(r)).isTrue();
        await().atMost(T).until(() -> routing.agent("alice").orElseThrow().state() == AgentState.NOT_READY);

        // ---- skills at run time: a sales call waits until a supervisor gives alice sales
        routing.enqueue(CallRequest.builder("call-2", "sales").build());
        assertThat(api.post("/api/agents/alice/ready", alice, null).status()).isEqualTo(200);
        assertThat(routing.awaitAgent("call-2", Duration.ofMillis(500))).isInstanceOf(WaitResult.Waiting.class);
        assertThat(api.send("PUT", "/api/agents/alice/skills", sam, new JsonObject().put("skills",
                new JsonObject().put("sales", 11))).status()).isEqualTo(400);
        assertThat(api.send("PUT", "/api/agents/alice/skills", alice, new JsonObject().put("skills",
                new JsonObject().put("sales", 3))).status()).isEqualTo(403);
        DeskClient.Reply changed = api.send("PUT", "/api/agents/alice/skills", sam, new JsonObject().put("skills",
                new JsonObject().put("billing", 7).put("sales", 3)));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        WaitResult offered = routing.awaitAgent("call-2", T);
        assertThat(offered).isInstanceOfSatisfying(WaitResult.Offered.class,
                o -> assertThat(o.reservation().agentId()).isEqualTo("alice"));
        routing.login(new AgentProfile("bob", "Bob", "PJSIP/1002", Map.of(), Set.of()));
        assertThat(api.send("PUT", "/api/agents/nobody/skills", sam, new JsonObject().put("skills", new JsonObject()))
                .status()).isEqualTo(404);
        assertThat(api.post("/api/agents/bob/force-state", sam, new JsonObject().put("state", "logout")).status())
                .isEqualTo(200);
    }
}
