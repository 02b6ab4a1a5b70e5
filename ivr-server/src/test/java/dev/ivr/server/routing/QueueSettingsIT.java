package dev.ivr.server.routing;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.RoutingOptions;
import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpApi;
import dev.ivr.server.callcontext.TopicScreenPops;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.config.RoutingConfig;
import dev.ivr.server.crm.wrapup.JdbcTransferLog;
import dev.ivr.server.crm.wrapup.JdbcWrapUps;
import dev.ivr.server.db.Database;
import dev.ivr.server.desk.Desk;
import dev.ivr.server.desk.DeskClient;
import dev.ivr.server.desk.exits.IvrExits;
import dev.ivr.server.desk.users.UserSpec;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.health.HealthRegistry;
import dev.ivr.server.metrics.Metrics;
import dev.ivr.server.queue.store.JdbcQueueSettings;
import dev.ivr.server.testing.Closer;
import dev.ivr.server.testing.MemberPair;
import dev.ivr.server.testing.OffCallThreads;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
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

import static dev.ivr.server.routing.RoutingHarness.config;
import static dev.ivr.server.routing.RoutingHarness.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Queue settings changed at run time, across two real cluster members on loopback: a supervisor changes the support
 * queue's ring time and wrap-up time over the API of member A (its desk, its database); the next call, answered on
 * member B (the fake PBX calls B's FastAGI listener), is dialled with the new ring time and its agent's wrap-up lasts
 * the new time. The change is audited, kept in the database (brought back when the cluster has forgotten it), and
 * bad input is refused with nothing changed.
 */
@Tag("integration")
class QueueSettingsIT {
    static final Duration T = Duration.ofSeconds(60);
    static final String PASSWORD = "correct horse battery";
    static final Map<String, Integer> TECH = Map.of("technical", 3);
    final Closer open = new Closer();

    @AfterEach
    void stop() {
        open.close();
    }

    @Test
    void aChangeOnOneMemberDecidesTheNextOfferOnTheOtherAndOutlivesTheCluster(@TempDir Path dir) throws Exception {
        MemberPair members = MemberPair.start(dir);
        open.add(members);
        IvrConfig cfg = TestConfigs.server(dir.resolve("data"));
        Database db = Database.open(cfg.database(), cfg.dataDir());
        open.add(db);
        assertThat(db.awaitReady(T)).isTrue();
        RoutingConfig routing = config("exec", queue("support", Map.of("technical", 1), Duration.ofSeconds(20), Duration.ZERO),
                queue("sales", Map.of("sales", 1), Duration.ofSeconds(20), Duration.ZERO));

        // member B runs the calls
        RoutingHarness onB = new RoutingHarness(members.b.hazelcast(), RoutingHarness.testFlows(),
                RoutingHarness.testPrompts(), dir.resolve("no-calendars.yaml"), routing, new ScriptedCrm(List.of(), false),
                null, Clock.systemUTC());
        open.add(onB);
        // member A runs the supervisor's desk
        RoutingModule onA = RoutingModule.start(members.a.hazelcast(), routing,
                RoutingOptions.defaults().withName(onB.routingName), new ScriptedCrm(List.of(), false),
                new TopicScreenPops(members.a.hazelcast()), RoutingHarness.VOICE, null, Clock.systemUTC(), "node-a2",
                OffCallThreads.SHARED);
        open.add(onA);
        onA.queues().useStore(new JdbcQueueSettings(db.httpDataSource()));
        Vertx vertx = Vertx.vertx();
        open.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        Metrics metrics = new Metrics("ivr-a");
        open.add(metrics);
        Desk desk = Desk.start(vertx, members.a.hazelcast(), db.httpDataSource(), onA.service(),
                new IvrExits(members.a.hazelcast(), cfg.desk().ivrExitsWindow(), Clock.systemUTC()), cfg.desk(), routing,
                new JdbcWrapUps(db.httpDataSource()), new JdbcTransferLog(db.httpDataSource()),
                dev.ivr.server.call.AgentLegControl.NONE, dev.ivr.server.call.Supervision.NONE, cfg.http().idleTimeout(),
                "ivr-a", metrics.registry(), onA.queues());
        open.add(desk);
        HttpApi http = HttpApi.start(vertx, cfg.http(), Auth.of(List.of()).withSessions(desk.sessions()),
                new HealthRegistry(), metrics, desk.routes());
        open.add(http);
        desk.users().create(new UserSpec("sam", "Sam Supervisor", Set.of("supervisor"), "", Map.of(), Set.of("en"), true,
                PASSWORD));
        desk.users().create(new UserSpec("ann", "Ann Agent", Set.of("agent"), "PJSIP/2009", Map.of("technical", 1),
                Set.of("en"), true, PASSWORD));
        DeskClient client = new DeskClient(http.port());
        String sam = client.login("sam", PASSWORD);
        String ann = client.login("ann", PASSWORD);

        // ---- what can change, and the refusals: nothing changes
        DeskClient.Reply list = client.get("/api/queue-settings", sam);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().getJsonArray("changeable")).contains("ring-time", "wrap-up", "priority", "wrap-up-codes")
                .doesNotContain("id");
        assertThat(client.send("PUT", "/api/queues/support/settings", ann, new JsonObject().put("wrap-up", "5s")).status())
                .as("an agent").isEqualTo(403);
        DeskClient.Reply unknownKey = client.send("PUT", "/api/queues/support/settings", sam, new JsonObject().put("colour", "red"));
        assertThat(unknownKey.status()).isEqualTo(400);
        assertThat(unknownKey.error()).contains("'colour' is not a queue setting");
        DeskClient.Reply negative = client.send("PUT", "/api/queues/support/settings", sam, new JsonObject().put("wrap-up", "-5s"));
        assertThat(negative.status()).isEqualTo(400);
        DeskClient.Reply badType = client.send("PUT", "/api/queues/support/settings", sam, new JsonObject().put("priority", "high"));
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.error()).contains("priority: must be a number");
        DeskClient.Reply required = client.send("PUT", "/api/queues/support/settings", sam,
                new JsonObject().put("wrap-up-code-required", true));
        assertThat(required.error()).contains("wrap-up-code-required");
        assertThat(client.send("PUT", "/api/queues/nowhere/settings", sam, new JsonObject()).status()).isEqualTo(404);
        assertThat(client.get("/api/queues/support/settings/history", sam).json().getJsonArray("changes")).isEmpty();

        // ---- sam changes support's ring time and wrap-up time on member A
        DeskClient.Reply changed = client.send("PUT", "/api/queues/support/settings", sam,
                new JsonObject().put("ring-time", "13s").put("wrap-up", "45s").put("wrap-up-codes", new JsonArray().add("fixed")));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().getJsonObject("settings").getString("ring-time")).isEqualTo("13s");
        assertThat(changed.json().getJsonObject("changed").fieldNames()).containsExactlyInAnyOrder("ring-time", "wrap-up",
                "wrap-up-codes");
        // the wrap-up policy the desktops read follows at once on A
        assertThat(client.get("/api/wrap-up/policies", ann).body()).contains("\"fixed\"");

        // ---- the next offer, on member B, uses them (B hears of the change through the cluster)
        await().atMost(T).until(() -> onB.routing.queues().queue("support").orElseThrow().ringTime()
                .equals(Duration.ofSeconds(13)));
        onB.ready("ted", "PJSIP/2001", TECH);
        CallResult r = onB.pbx.call("queue-test").callerId("+3612345678")
                .caller(Caller.script().dial(Caller.DialOutcome.ANSWER)).run(T);
        assertThat(r.execs("Dial")).singleElement().extracting(c -> c.arg(1, "")).asString().startsWith("PJSIP/2001,13,");
        await().atMost(T).until(() -> onB.service().agent("ted").orElseThrow().state() == AgentState.WRAP_UP);
        Agent ted = onB.service().agent("ted").orElseThrow();
        assertThat(Duration.between(ted.stateSince(), ted.wrapUpUntil())).isEqualTo(Duration.ofSeconds(45));

        // ---- audited: who changed what
        JsonArray changes = client.get("/api/queues/support/settings/history", sam).json().getJsonArray("changes");
        assertThat(changes).hasSize(1);
        assertThat(changes.getJsonObject(0).getString("by")).isEqualTo("sam");
        assertThat(changes.getJsonObject(0).getJsonObject("before").isEmpty()).isTrue();
        assertThat(changes.getJsonObject(0).getJsonObject("after").getString("ring-time")).isEqualTo("13s");

        // ---- every member restarted: the cluster map is empty, the configured settings apply; the database brings
        // the change back
        members.a.hazelcast().getMap(LiveQueues.MAP).clear();
        await().atMost(T).until(() -> onB.routing.queues().queue("support").orElseThrow().ringTime()
                .equals(Duration.ofSeconds(20)));
        onA.queues().restore();
        await().atMost(T).until(() -> onB.routing.queues().queue("support").orElseThrow().ringTime()
                .equals(Duration.ofSeconds(13)));

        // ---- back to the configuration
        DeskClient.Reply reset = client.send("DELETE", "/api/queues/support/settings", sam, null);
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.json().getJsonObject("settings").getString("ring-time")).isEqualTo("20s");
        await().atMost(T).until(() -> onB.routing.queues().queue("support").orElseThrow().ringTime()
                .equals(Duration.ofSeconds(20)));
        assertThat(new JdbcQueueSettings(db.httpDataSource()).load()).isEmpty();
        assertThat(client.get("/api/queues/support/settings/history", sam).json().getJsonArray("changes")).hasSize(2);
    }
}
