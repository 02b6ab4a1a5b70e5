package dev.ivr.server.routing;

import dev.ivr.routing.AgentState;
import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpApi;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.DeskMessage;
import dev.ivr.server.callcontext.TopicScreenPops;
import dev.ivr.server.callcontext.Transfer;
import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.config.AmiConfig;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.config.RoutingConfig;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.crm.TransferLog;
import dev.ivr.server.crm.wrapup.JdbcTransferLog;
import dev.ivr.server.crm.wrapup.JdbcWrapUps;
import dev.ivr.server.db.Database;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.desk.Desk;
import dev.ivr.server.desk.exits.IvrExits;
import dev.ivr.server.desk.users.UserSpec;
import dev.ivr.server.health.HealthRegistry;
import dev.ivr.server.metrics.Metrics;
import dev.ivr.server.pbx.AmiAgentLegs;
import dev.ivr.server.pbx.AmiConnection;
import dev.ivr.server.testing.TestConfigs;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.DialedLeg;
import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.fakepbx.FakeCall;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.ivr.server.routing.RoutingHarness.config;
import static dev.ivr.server.routing.RoutingHarness.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A blind transfer from the agent desktop's API over the fake PBX and its AMI: the agent on a support call transfers
 * it to the sales queue with a note; the server asks the PBX (AMI Hangup of the agent's channels, Asterisk's
 * regular-expression form) to end the agent's leg; the call's server sees Dial return with the caller still there
 * and offers the call anew in sales; the sales agent's screen pop shows the same caller, path and inputs plus who
 * transferred and why; the first agent's wrap-up starts as they leave; the interaction has the last agent and the
 * first wait, and the transfer log has the first leg.
 */
@Tag("integration")
class TransferIT {
    static final Duration T = Duration.ofSeconds(60);
    static final String PASSWORD = "correct horse battery";
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void aTransferToAQueueIsANewOfferWithTheContextAndTheNote(@TempDir Path dir) throws Exception {
        IvrConfig cfg = TestConfigs.server(dir.resolve("data"));
        ClusterMember member = ClusterMember.start(cfg.cluster(), "transfer", cfg.dataDir());
        open.add(member);
        Database db = Database.open(cfg.database(), cfg.dataDir());
        open.add(db);
        assertThat(db.awaitReady(T)).isTrue();
        RoutingConfig routing = config("exec", queue("support", Map.of("technical", 1), Duration.ofSeconds(20),
                Duration.ofSeconds(30)), queue("sales", Map.of("sales", 1), Duration.ofSeconds(20), Duration.ZERO));
        RoutingHarness h = new RoutingHarness(member.hazelcast(), RoutingHarness.testFlows(), RoutingHarness.testPrompts(),
                dir.resolve("no-calendars.yaml"), routing, new ScriptedCrm(List.of(), false), null, Clock.systemUTC());
        open.add(h);
        FakeAmi ami = new FakeAmi("ivr", "ami-secret").channelsOf(h.pbx);
        open.add(ami);
        AmiConnection connection = AmiConnection.start(new AmiConfig(true, "127.0.0.1", ami.port(), "ivr", "ami-secret"));
        open.add(connection);
        await().atMost(T).until(connection::available);

        Vertx vertx = Vertx.vertx();
        open.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        Metrics metrics = new Metrics("ivr-1");
        open.add(metrics);
        JdbcTransferLog transferLog = new JdbcTransferLog(db.httpDataSource());
        Desk desk = Desk.start(vertx, member.hazelcast(), db.httpDataSource(), h.service(),
                new IvrExits(member.hazelcast(), cfg.desk().ivrExitsWindow(), Clock.systemUTC()), cfg.desk(), routing,
                new JdbcWrapUps(db.httpDataSource()), transferLog, new AmiAgentLegs(connection),
                dev.ivr.server.call.Supervision.NONE, cfg.http().idleTimeout(),
                "ivr-1", metrics.registry());
        open.add(desk);
        HttpApi http = HttpApi.start(vertx, cfg.http(), Auth.of(List.of()).withSessions(desk.sessions()),
                new HealthRegistry(), metrics, desk.routes());
        open.add(http);
        List<DeskMessage> pops = new CopyOnWriteArrayList<>();
        TopicScreenPops topic = new TopicScreenPops(member.hazelcast());
        var subscription = topic.subscribe(pops::add);
        open.add(() -> topic.unsubscribe(subscription));

        desk.users().create(new UserSpec("tess", "Tess Tech", Set.of("agent"), "PJSIP/2001", Map.of("technical", 3),
                Set.of("en"), true, PASSWORD));
        desk.users().create(new UserSpec("sid", "Sid Sales", Set.of("agent"), "PJSIP/2002", Map.of("sales", 3),
                Set.of("en"), true, PASSWORD));
        String base = "http://127.0.0.1:" + http.port();
        String tess = login(base, "tess");
        String sid = login(base, "sid");
        for (String[] a : new String[][]{{"tess", tess}, {"sid", sid}}) {
            assertThat(post(base, "/api/agents/" + a[0] + "/login", a[1], new JsonObject()).statusCode()).isEqualTo(200);
        }
        assertThat(post(base, "/api/agents/tess/ready", tess, null).statusCode()).isEqualTo(200);

        // ---- the caller reaches tess in support
        CompletableFuture<Void> secondTalk = new CompletableFuture<>();
        FakeCall call = h.pbx.call("queue-test").callerId("+3612345678")
                .caller(Caller.script().dial(Caller.DialOutcome.ANSWER, new CompletableFuture<>())
                        .dial(Caller.DialOutcome.ANSWER, secondTalk))
                .start();
        String callId = call.uniqueId();
        await().atMost(T).until(() -> h.service().agent("tess").orElseThrow().state() == AgentState.ON_CALL);
        CallContext first = pops.stream().filter(m -> m.kind() == DeskMessage.Kind.OFFERED).findFirst().orElseThrow().context();

        // ---- refusals: not on a call, unknown queue, outside number not allowed, another agent's id
        assertThat(post(base, "/api/agents/sid/transfer", sid, new JsonObject().put("to", "queue").put("target", "support"))
                .statusCode()).as("sid is not on a call").isEqualTo(409);
        assertThat(post(base, "/api/agents/tess/transfer", sid, new JsonObject().put("to", "queue").put("target", "sales"))
                .statusCode()).as("another agent's id").isEqualTo(403);
        assertThat(post(base, "/api/agents/tess/transfer", tess, new JsonObject().put("to", "queue").put("target", "nowhere"))
                .statusCode()).isEqualTo(400);
        assertThat(post(base, "/api/agents/tess/transfer", tess, new JsonObject().put("to", "number").put("target", "0036;evil"))
                .statusCode()).isEqualTo(400);
        assertThat(post(base, "/api/agents/tess/transfer", tess, new JsonObject().put("to", "agent").put("target", "sid"))
                .statusCode()).as("support has no preferred-agent wait").isEqualTo(409);

        // ---- sid gets ready; tess transfers to sales with a note
        assertThat(post(base, "/api/agents/sid/ready", sid, null).statusCode()).isEqualTo(200);
        String note = "Wants to upgrade to <b>Premium</b>; already verified";
        HttpResponse<String> t = post(base, "/api/agents/tess/transfer", tess,
                new JsonObject().put("to", "queue").put("target", "sales").put("note", note));
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        assertThat(ami.actions("Hangup")).singleElement()
                .satisfies(a -> assertThat(a.get("Channel")).isEqualTo("/^PJSIP\\/2001-[0-9a-f]+$/"));

        // ---- the first agent's wrap-up starts as she leaves; sid is offered the call with the same context
        await().atMost(T).until(() -> h.service().agent("sid").orElseThrow().state() == AgentState.ON_CALL);
        assertThat(h.service().agent("tess").orElseThrow().state()).isEqualTo(AgentState.WRAP_UP);
        CallContext second = pops.stream().filter(m -> m.kind() == DeskMessage.Kind.OFFERED && "sid".equals(m.agentId()))
                .findFirst().orElseThrow().context();
        assertThat(second.callId()).isEqualTo(callId);
        assertThat(second.ani()).isEqualTo(first.ani());
        assertThat(second.ivrPath()).isEqualTo(first.ivrPath());
        assertThat(second.inputs()).isEqualTo(first.inputs());
        assertThat(second.queue()).isEqualTo("sales");
        assertThat(second.fields()).containsAllEntriesOf(first.fields())
                .containsEntry(Transfer.FIELD_BY, "tess").containsEntry(Transfer.FIELD_NOTE, note)
                .containsEntry(Transfer.FIELD_FROM_QUEUE, "support");

        secondTalk.complete(null);
        CallResult r = call.await(T);
        assertThat(r.dials()).extracting(DialedLeg::status).containsExactly("ANSWER", "ANSWER");
        assertThat(r.dials()).extracting(d -> d.inherited().get("IVR_AGENT_ID")).containsExactly("tess", "sid");
        // ---- both legs in the history: the interaction (last agent, first wait) and the transfer log
        Interaction i = h.interaction(callId);
        assertThat(i.agentId()).isEqualTo("sid");
        assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ROUTED);
        assertThat(i.waitTime()).isNotNull();
        List<TransferLog.Entry> legs = transferLog.forCalls(List.of(callId)).get(callId);
        assertThat(legs).singleElement().satisfies(e -> {
            assertThat(e.fromAgent()).isEqualTo("tess");
            assertThat(e.fromQueue()).isEqualTo("support");
            assertThat(e.kind()).isEqualTo("QUEUE");
            assertThat(e.target()).isEqualTo("sales");
            assertThat(e.note()).isEqualTo(note);
        });
    }

    static String login(String base, String id) throws Exception {
        HttpResponse<String> r = post(base, "/api/login", null, new JsonObject().put("id", id).put("password", PASSWORD));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body()).getString("token");
    }

    static HttpResponse<String> post(String base, String path, String token, JsonObject body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.encode()))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
