package dev.ivr.server.desk;

import dev.ivr.routing.QueueDefinition;
import dev.ivr.server.IvrServer;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.TopicScreenPops;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Agent desktop figures for docs/benchmarks.md, on two servers in one cluster: sign-in
 * (Argon2id), an agent's state change over REST, a screen pop published on server A until the
 * desktop's WebSocket on server B has it, and a supervisor dashboard snapshot. Run:
 * <pre>
 * ./ivr mvn -q -pl ivr-server -am install -DskipTests
 * ./ivr mvn -q -pl ivr-server exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.ivr.server.desk.DeskBenchmark
 * </pre>
 * System properties: {@code agents} (desktops connected, default 200), {@code pops} (default 4000).
 */
public final class DeskBenchmark {
    static final String PASSWORD = "benchmark password";

    public static void main(String[] args) throws Exception {
        int agents = Integer.parseInt(System.getProperty("agents", "200"));
        int pops = Integer.parseInt(System.getProperty("pops", "4000"));
        Path dir = Files.createTempDirectory("desk-bench");
        Map<String, String> common = Map.of("IVR_CLUSTER_NAME", "desk-bench-" + UUID.randomUUID(), "IVR_FLOWS_WATCH", "false",
                "IVR_PROMPTS_PRERENDER", "false", "IVR_DESK_LOGIN_ATTEMPTS", "1000");
        try (IvrServer a = IvrServer.start(TestConfigs.server(Files.createDirectories(dir.resolve("a")), common))) {
            Map<String, String> bEnv = new HashMap<>(common);
            bEnv.put("IVR_CLUSTER_MEMBERS", "127.0.0.1:" + a.hazelcast().getCluster().getLocalMember().getAddress().getPort());
            try (IvrServer b = IvrServer.start(TestConfigs.server(Files.createDirectories(dir.resolve("b")), bEnv))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> b.hazelcast().getPartitionService().isClusterSafe()
                        && b.hazelcast().getCluster().getMembers().size() == 2);
                run(a, b, Files.readString(dir.resolve("a/admin-token")).trim(), agents, pops);
            }
        }
        System.exit(0);
    }

    static void run(IvrServer a, IvrServer b, String admin, int agents, int pops) throws Exception {
        List<QueueDefinition> queues = new ArrayList<>();
        for (String q : List.of("billing", "support", "sales", "retention", "vip")) {
            queues.add(QueueDefinition.builder(q).requireSkill(q, 3).build());
        }
        a.routing().service().defineQueues(queues);
        DeskClient onA = new DeskClient(a.httpPort());
        DeskClient onB = new DeskClient(b.httpPort());

        // users and sign-ins (Argon2id on every sign-in)
        Histogram signIn = new Histogram();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            onA.createUser(admin, new JsonObject().put("id", "agent" + i).put("password", PASSWORD)
                    .put("roles", new JsonArray().add("agent")).put("endpoint", "PJSIP/" + (1000 + i))
                    .put("skills", new JsonObject().put(queues.get(i % queues.size()).id(), 5)));
            long t0 = System.nanoTime();
            tokens.add(onA.login("agent" + i, PASSWORD));
            signIn.recordValue((System.nanoTime() - t0) / 1000);
        }

        // every agent logs in to routing; state changes over REST
        Histogram change = new Histogram();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < agents; i++) {
                String path = round == 0 ? "/login" : round == 1 ? "/ready" : "/not-ready";
                JsonObject body = round == 2 ? new JsonObject().put("reason", "break") : null;
                long t0 = System.nanoTime();
                DeskClient.Reply r = onA.post("/api/agents/agent" + i + path, tokens.get(i), body);
                if (round > 0) {
                    change.recordValue((System.nanoTime() - t0) / 1000);
                }
                if (r.status() != 200) {
                    throw new IllegalStateException(path + ": " + r);
                }
            }
        }

        // every desktop on B; screen pops published on A
        List<DeskClient.Live> desktops = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            DeskClient.Live live = onB.live(tokens.get(i));
            live.awaitType("agent");
            desktops.add(live);
        }
        TopicScreenPops topic = new TopicScreenPops(a.hazelcast());
        Histogram pop = new Histogram();
        int warmup = Math.min(500, pops / 4);
        for (int n = 0; n < pops + warmup; n++) {
            int i = n % agents;
            String callId = "bench." + n;
            CallContext ctx = new CallContext(callId, "+3612345678", "customer-service", "C-" + n, "Customer " + n, "gold",
                    Map.of("segment", "retail"), "OK", "billing", Map.of("reason", "invoice"),
                    List.of("check-hours", "identify-caller", "main-menu", "verify-caller/ask-pin", "route-billing"),
                    Map.of("account", "12345678", "pin", "****"), Duration.ofSeconds(60), Duration.ofSeconds(5), "billing",
                    "agent" + i, Instant.now(), false);
            DeskClient.Live live = desktops.get(i);
            int before = live.messages.size();
            long t0 = System.nanoTime();
            topic.offered("agent" + i, ctx);
            while (live.messages.size() == before || !callId.equals(live.messages.get(live.messages.size() - 1).getString("callId"))) {
                Thread.onSpinWait();
                if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
                    throw new IllegalStateException("screen pop " + callId + " not delivered");
                }
            }
            if (n >= warmup) {
                pop.recordValue((System.nanoTime() - t0) / 1000);
            }
        }

        // the supervisor dashboard with all those agents
        Histogram dashboard = new Histogram();
        for (int n = 0; n < 300; n++) {
            long t0 = System.nanoTime();
            b.desk().hub().dashboard();
            if (n >= 50) {
                dashboard.recordValue((System.nanoTime() - t0) / 1000);
            }
        }
        desktops.forEach(DeskClient.Live::close);

        System.out.printf("agents: %d desktops on server B, screen pops published on server A%n", agents);
        print("sign-in (POST /api/login, Argon2id m=19456 t=2)", signIn);
        print("agent state change (POST /api/agents/{id}/ready|not-ready)", change);
        print("screen pop, publish on A to WebSocket message on B (" + pops + ")", pop);
        print("dashboard snapshot (" + agents + " agents, 5 queues)", dashboard);
    }

    static void print(String what, Histogram h) {
        System.out.printf("| %s | p50 %.2f ms, p99 %.2f ms |%n", what, h.percentile(50) / 1000.0, h.percentile(99) / 1000.0);
    }

    /** Microsecond samples and their percentiles. */
    static final class Histogram {
        private final List<Long> values = new ArrayList<>();

        void recordValue(long micros) {
            values.add(micros);
        }

        long percentile(double p) {
            List<Long> sorted = values.stream().sorted().toList();
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1));
        }
    }
}
