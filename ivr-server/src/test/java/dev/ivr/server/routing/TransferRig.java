package dev.ivr.server.routing;

import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpApi;
import dev.ivr.server.callcontext.DeskMessage;
import dev.ivr.server.callcontext.TopicScreenPops;
import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.config.AmiConfig;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.config.RoutingConfig;
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
import dev.ivr.server.pbx.AmiOriginator;
import dev.ivr.server.callcontext.Consults;
import dev.ivr.server.testing.Closer;
import dev.ivr.server.testing.TestConfigs;
import dev.ivr.fakepbx.FakeAmi;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.ivr.server.routing.RoutingHarness.config;
import static dev.ivr.server.routing.RoutingHarness.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the transfer tests share: one cluster member, its database, the routing module over the fake PBX and its AMI
 * (AMI Originate, the agents' legs over AMI, the sample's consult context), the desk's API, screen pops collected;
 * Tess (support, PJSIP/2001) and Sid (sales, PJSIP/2002) signed in, Sid logged in to routing.
 */
final class TransferRig implements AutoCloseable {
    static final Duration T = Duration.ofSeconds(60);
    static final String PASSWORD = "correct horse battery";
    final Closer open = new Closer();
    RoutingHarness h;
    FakeAmi ami;
    JdbcTransferLog transferLog;
    List<DeskMessage> pops;
    String base;
    String tess;
    String sid;

    static TransferRig start(Path dir, boolean tessStartsShift) throws Exception {
        TransferRig r = new TransferRig();
        Closer open = r.open;
        IvrConfig cfg = TestConfigs.server(dir.resolve("data"));
        ClusterMember member = ClusterMember.start(cfg.cluster(), "consult", cfg.dataDir());
        open.add(member);
        Database db = Database.open(cfg.database(), cfg.dataDir());
        open.add(db);
        assertThat(db.awaitReady(T)).isTrue();
        RoutingConfig routing = config("exec", queue("support", Map.of("technical", 1), Duration.ofSeconds(20),
                Duration.ofSeconds(30)), queue("sales", Map.of("sales", 1), Duration.ofSeconds(20), Duration.ZERO));
        r.ami = new FakeAmi("ivr", "ami-secret");
        open.add(r.ami);
        AmiConnection connection = AmiConnection.start(new AmiConfig(true, "127.0.0.1", r.ami.port(), "ivr", "ami-secret"));
        open.add(connection);
        await().atMost(T).until(connection::available);
        r.h = new RoutingHarness(member.hazelcast(), RoutingHarness.testFlows(), RoutingHarness.testPrompts(),
                dir.resolve("no-calendars.yaml"), routing, new ScriptedCrm(List.of(), false),
                new AmiOriginator(connection, Clock.systemUTC()), Clock.systemUTC());
        open.add(r.h);
        r.ami.channelsOf(r.h.pbx);
        r.h.pbx.bridgeContext(Consults.CONTEXT, Consults.PEER_VARIABLE, "IVR_CONSULT_DONE");
        AmiAgentLegs legs = new AmiAgentLegs(connection);
        r.h.routing.agentLegs(legs);

        Vertx vertx = Vertx.vertx();
        open.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        Metrics metrics = new Metrics("ivr-1");
        open.add(metrics);
        r.transferLog = new JdbcTransferLog(db.httpDataSource());
        Desk desk = Desk.start(vertx, member.hazelcast(), db.httpDataSource(), r.h.service(),
                new IvrExits(member.hazelcast(), cfg.desk().ivrExitsWindow(), Clock.systemUTC()), cfg.desk(), routing,
                new JdbcWrapUps(db.httpDataSource()), r.transferLog, legs,
                dev.ivr.server.call.Supervision.NONE, cfg.http().idleTimeout(),
                "ivr-1", metrics.registry());
        open.add(desk);
        HttpApi http = HttpApi.start(vertx, cfg.http(), Auth.of(List.of()).withSessions(desk.sessions()),
                new HealthRegistry(), metrics, desk.routes());
        open.add(http);
        r.pops = new CopyOnWriteArrayList<>();
        TopicScreenPops topic = new TopicScreenPops(member.hazelcast());
        var subscription = topic.subscribe(r.pops::add);
        open.add(() -> topic.unsubscribe(subscription));

        desk.users().create(new UserSpec("tess", "Tess Tech", Set.of("agent"), "PJSIP/2001", Map.of("technical", 3),
                Set.of("en"), true, PASSWORD));
        desk.users().create(new UserSpec("sid", "Sid Sales", Set.of("agent"), "PJSIP/2002", Map.of("sales", 3),
                Set.of("en"), true, PASSWORD));
        r.base = "http://127.0.0.1:" + http.port();
        r.tess = TransferIT.login(r.base, "tess");
        r.sid = TransferIT.login(r.base, "sid");
        assertThat(post(r.base, "/api/agents/sid/login", r.sid, new JsonObject()).statusCode()).isEqualTo(200);
        if (tessStartsShift) {
            assertThat(post(r.base, "/api/agents/tess/login", r.tess, new JsonObject()).statusCode()).isEqualTo(200);
            assertThat(post(r.base, "/api/agents/tess/ready", r.tess, null).statusCode()).isEqualTo(200);
        }
        return r;
    }

    static HttpResponse<String> post(String base, String path, String token, JsonObject body) throws Exception {
        return TransferIT.post(base, path, token, body);
    }

    @Override
    public void close() {
        open.close();
    }
}
