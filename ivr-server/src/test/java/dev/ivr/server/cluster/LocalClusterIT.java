package dev.ivr.server.cluster;

import dev.ivr.fakepbx.AgiCommand;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.server.testing.Listeners;
import dev.ivr.testsupport.KeptLogs;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The three-node cluster of the README, started with its documented command ({@code ./ivr
 * cluster}): calls are routed through all three nodes to agents they share, node 3 is killed
 * (SIGKILL, no goodbye) while calls keep coming through nodes 1 and 2, and those calls still
 * reach agents; no agent's phone rings for a second call while it is on one (the agents of
 * node 3's calls are held for {@code routing.owner-lost-hold}, as Asterisk may still bridge
 * them), and those agents come back and take calls again.
 */
@Tag("integration")
class LocalClusterIT {
    static final Duration T = Duration.ofSeconds(90);
    static final int AGENTS = 6;
    static final String PASSWORD = "cluster test password";
    /**
     * The first of the ports the cluster uses ({@code ./ivr cluster --base-port}): FastAGI base..base+2, HTTP
     * base+10..12, Hazelcast base+20..22, H2 base+30, AudioSocket base+40..42; picked where all 13 are free, so the
     * test runs beside a cluster or server on the documented ports.
     */
    final int base = freeBase();
    static final Pattern NODE_PID = Pattern.compile("node(\\d): .* pid (\\d+)");

    @TempDir
    Path dir;
    Process cluster;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ScheduledExecutorService talk = Executors.newScheduledThreadPool(2);

    /** Agents' phones: an endpoint is in here while a call rings or talks on it. */
    final Set<String> phonesInUse = ConcurrentHashMap.newKeySet();
    /** The same, by the FastAGI port of the node whose call rings or talks on it. */
    final Map<Integer, Set<String>> phonesInUseByNode = new ConcurrentHashMap<>();
    final List<String> doubleOffers = new CopyOnWriteArrayList<>();

    /** Set when the test method threw (before {@link #stop}, which copies the logs once the cluster has stopped). */
    volatile String failedTest;

    @RegisterExtension
    final AfterTestExecutionCallback noteFailure = context -> context.getExecutionException()
            .ifPresent(e -> failedTest = context.getRequiredTestMethod().getName());

    @AfterEach
    void stop() throws Exception {
        talk.shutdownNow();
        if (cluster != null) {
            List<ProcessHandle> all = cluster.descendants().toList();
            cluster.destroy(); // SIGTERM: the script stops its nodes, then the database
            if (!cluster.waitFor(60, TimeUnit.SECONDS)) {
                all.forEach(ProcessHandle::destroyForcibly);
                cluster.destroyForcibly();
            }
            all.forEach(ProcessHandle::destroyForcibly);
        }
        if (failedTest != null) {
            Path kept = KeptLogs.keep(LocalClusterIT.class, failedTest, dir);
            System.err.println("LocalClusterIT failed: the cluster's logs are kept in " + kept.toAbsolutePath());
        }
    }

    @Test
    void callsRoutedThroughTheOtherNodesKeepReachingAgentsWhenOneNodeIsKilled() throws Exception {
        Path out = dir.resolve("cluster.out");
        Path repo = Path.of("..").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("ivr").toString(), "cluster", "--dir",
                dir.resolve("cluster").toString(), "--base-port", Integer.toString(base))
                .directory(repo.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("IVR_"));
        env.put("IVR_TTS_ENABLED", "false");
        env.put("IVR_FLOWS_DIR", Path.of("src/test/resources/routing/flows").toAbsolutePath().toString());
        env.put("IVR_PROMPTS_DIR", Path.of("src/test/resources/routing/prompts").toAbsolutePath().toString());
        env.put("IVR_FLOWS_WATCH", "false");
        env.put("IVR_AGI_DRAIN_TIME", "2s");
        // no AMI here: an agent whose call's node dies is held this long (its phone may still be in that call;
        // the fake PBX's agents talk at most 1.5 s)
        env.put("IVR_ROUTING_OWNER_LOST_HOLD", "3s");
        env.put("IVR_JAVA_OPTS", "-Xmx384m -XX:TieredStopAtLevel=1");
        cluster = pb.start();

        Map<Integer, Long> pids = new ConcurrentHashMap<>();
        await("the cluster script starts three nodes (" + out + ")").atMost(T).until(() -> {
            Matcher m = NODE_PID.matcher(Files.readString(out));
            while (m.find()) {
                pids.put(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
            }
            return pids.size() == 3 || !cluster.isAlive();
        });
        assertThat(cluster.isAlive()).as("./ivr cluster is running: %s", Files.readString(out)).isTrue();
        // the shared H2 database server listens on loopback only
        await("the H2 server listens on " + h2()).atMost(T).until(() -> !Listeners.on(h2()).isEmpty());
        assertThat(Listeners.on(h2())).as("addresses the H2 server listens on")
                .allSatisfy(a -> assertThat(a.isLoopbackAddress()).as("%s is loopback", a).isTrue());
        for (int n = 1; n <= 3; n++) {
            int node = n;
            await("node" + node + " sees a cluster of three").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> health(http(node)).contains("3 member(s) in cluster 'ivr-local'"));
        }

        // agents are created on node 1 and sign in on node 2: users live in the shared database,
        // agent state in the cluster
        // one admin token for the three nodes (issue 18, defect 13: each node had its own, and node 1's got 401 elsewhere)
        String admin1 = Files.readString(dir.resolve("cluster/admin-token")).trim();
        String admin2 = admin1;
        assertThat(dir.resolve("cluster/node2/admin-token")).doesNotExist();
        for (int i = 1; i <= AGENTS; i++) {
            post(http(1), admin1, "/api/users", new JsonObject().put("id", "agent" + i).put("name", "Agent " + i)
                    .put("password", PASSWORD).put("roles", List.of("agent")).put("endpoint", "PJSIP/" + (1000 + i))
                    .put("skills", Map.of("sales", 5)).put("languages", List.of("en")), 201);
            post(http(2), admin2, "/api/agents/agent" + i + "/login", new JsonObject(), 200);
            post(http(2), admin2, "/api/agents/agent" + i + "/ready", new JsonObject(), 200);
        }

        // callers keep coming through all three nodes, two at a time per node
        Map<Integer, FakePbx> pbx = Map.of(agi(1), pbx(agi(1)), agi(2), pbx(agi(2)), agi(3), pbx(agi(3)));
        pbx.keySet().forEach(p -> phonesInUseByNode.put(p, ConcurrentHashMap.newKeySet()));
        Map<Integer, List<FakeCall>> calls = new ConcurrentHashMap<>();
        Map<Integer, AtomicBoolean> placing = new ConcurrentHashMap<>();
        List<Thread> callers = new ArrayList<>();
        for (int port : pbx.keySet()) {
            calls.put(port, new CopyOnWriteArrayList<>());
            placing.put(port, new AtomicBoolean(true));
            for (int lane = 0; lane < 2; lane++) {
                callers.add(Thread.ofVirtual().start(() -> {
                    while (placing.get(port).get()) {
                        FakeCall c = call(pbx.get(port), phonesInUseByNode.get(port));
                        calls.get(port).add(c);
                        c.result().exceptionally(e -> null).join();
                    }
                }));
            }
        }

        // every node routes calls to agents before the kill
        await("calls answered by agents on every node").atMost(T)
                .until(() -> pbx.keySet().stream().allMatch(p -> answered(calls.get(p)) >= 2));

        // node 3 dies without a word while one of its calls talks to an agent; its calls are lost with it
        placing.get(agi(3)).set(false);
        await("a call of node 3 talking to an agent").atMost(T).until(() -> !phonesInUseByNode.get(agi(3)).isEmpty());
        ProcessHandle node3 = ProcessHandle.of(pids.get(3)).orElseThrow();
        List<String> talkingOnNode3 = List.copyOf(phonesInUseByNode.get(agi(3)));
        assertThat(node3.destroyForcibly()).isTrue();
        long killedAt = System.nanoTime();
        await().atMost(T).until(() -> !node3.isAlive());
        long beforeKill1 = answered(calls.get(agi(1)));
        long beforeKill2 = answered(calls.get(agi(2)));

        for (int node : List.of(1, 2)) {
            await("node" + node + " sees the cluster shrink to two").atMost(T).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> health(http(node)).contains("2 member(s) in cluster 'ivr-local'"));
        }
        System.out.printf("node 3 killed with %s talking; nodes 1 and 2 saw it leave after %d ms%n", talkingOnNode3,
                (System.nanoTime() - killedAt) / 1_000_000);
        // calls keep reaching agents through nodes 1 and 2, and every agent takes calls again
        int placedAfterKill1 = calls.get(agi(1)).size();
        int placedAfterKill2 = calls.get(agi(2)).size();
        // ... and every agent that was talking on node 3's calls has been dialled again (its hold ends at a maintenance
        // sweep; how many calls the others answer meanwhile depends on the machine's speed, so wait for the event)
        await("calls answered through nodes 1 and 2 after the kill, and " + talkingOnNode3 + " dialled again")
                .atMost(T).until(() -> answered(calls.get(agi(1))) >= beforeKill1 + 6
                        && answered(calls.get(agi(2))) >= beforeKill2 + 6
                        && dialledSince(calls, placedAfterKill1, placedAfterKill2).containsAll(talkingOnNode3));
        placing.get(agi(1)).set(false);
        placing.get(agi(2)).set(false);
        for (Thread t : callers) {
            assertThat(t.join(T)).isTrue();
        }

        for (int port : List.of(agi(1), agi(2))) {
            for (FakeCall c : calls.get(port)) {
                CallResult r = c.await(T);
                assertThat(r.error()).as("call %s through %d", r.uniqueId(), port).isNull();
                assertThat(r.dials()).as("call %s through %d reached an agent", r.uniqueId(), port)
                        .isNotEmpty().allSatisfy(d -> assertThat(d.status()).isEqualTo("ANSWER"));
            }
        }
        List<String> answeredAfterKill = new ArrayList<>();
        calls.get(agi(1)).subList(placedAfterKill1, calls.get(agi(1)).size()).forEach(c -> dialled(c, answeredAfterKill));
        calls.get(agi(2)).subList(placedAfterKill2, calls.get(agi(2)).size()).forEach(c -> dialled(c, answeredAfterKill));
        assertThat(answeredAfterKill).as("agents that were talking on node 3's calls take calls again")
                .containsAll(talkingOnNode3);
        assertThat(doubleOffers).as("an agent offered a call while on another").isEmpty();
        System.out.printf("answered through node 1: %d, node 2: %d, node 3 before it died: %d%n", answered(calls.get(agi(1))),
                answered(calls.get(agi(2))), answered(calls.get(agi(3))));

        // nothing left behind in the shared state: every agent is ready, no call waits
        await("all agents ready again").atMost(T).until(() -> {
            JsonObject agents = new JsonObject(get(http(2), admin2, "/api/agents"));
            return agents.getJsonArray("agents").stream().map(JsonObject.class::cast)
                    .filter(a -> "READY".equals(a.getString("state"))).count() == AGENTS;
        });
    }

    private FakePbx pbx(int port) {
        // the agent's answer is reported by the dialplan's U() subroutine, as config/asterisk/extensions.conf does
        return new FakePbx("127.0.0.1", port).answerGosub("ivr-agent-answered", "agent-answered");
    }

    /** A caller to the sales queue whose agent talks for a second or so; the phone is marked free before it hangs up. */
    private FakeCall call(FakePbx pbx, Set<String> nodePhones) {
        CompletableFuture<Void> hangUp = new CompletableFuture<>();
        String[] phone = new String[1];
        FakeCall call = pbx.call("queue-test").args("sales").language("en")
                .listener((AgiCommand c, long nanos) -> {
                    if (c.isExec("Dial")) {
                        String endpoint = c.arg(1, "").split(",")[0]; // Dial(PJSIP/1001,20,options)
                        phone[0] = endpoint;
                        if (!phonesInUse.add(endpoint)) {
                            doubleOffers.add(endpoint);
                        }
                        nodePhones.add(endpoint);
                        talk.schedule(() -> {
                            nodePhones.remove(endpoint);
                            phonesInUse.remove(endpoint);
                            hangUp.complete(null);
                        }, 800 + (long) (Math.random() * 700), TimeUnit.MILLISECONDS);
                    }
                })
                .caller(Caller.script().dial(Caller.DialOutcome.ANSWER, hangUp).thenSilence())
                .start();
        call.result().whenComplete((r, e) -> {
            if (phone[0] != null && !hangUp.isDone()) {
                // the call ended while the phone still rang or talked (its node died): the PBX frees the phone
                nodePhones.remove(phone[0]);
                phonesInUse.remove(phone[0]);
                hangUp.complete(null);
            }
        });
        return call;
    }

    private static long answered(List<FakeCall> calls) {
        return calls.stream().filter(FakeCall::isEnded).map(c -> c.result().join())
                .filter(r -> r.dials().stream().anyMatch(d -> "ANSWER".equals(d.status()))).count();
    }

    /** The endpoints dialled by the calls placed through nodes 1 and 2 after the kill, so far. */
    private List<String> dialledSince(Map<Integer, List<FakeCall>> calls, int placed1, int placed2) {
        List<String> out = new ArrayList<>();
        List<FakeCall> one = List.copyOf(calls.get(agi(1)));
        List<FakeCall> two = List.copyOf(calls.get(agi(2)));
        one.subList(placed1, one.size()).forEach(c -> dialled(c, out));
        two.subList(placed2, two.size()).forEach(c -> dialled(c, out));
        return out;
    }

    private static void dialled(FakeCall call, List<String> into) {
        call.dials().forEach(d -> into.add(d.target()));
    }

    /** /health with the node's generated admin token: the details (member count) are for tokens only. */
    private String health(int httpPort) throws Exception {
        String token = Files.readString(dir.resolve("cluster/admin-token")).trim();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private String get(int httpPort, String token, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return r.body();
    }

    private void post(int httpPort, String token, String path, JsonObject body, int expected) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isEqualTo(expected);
    }

    private int agi(int node) {
        return base + node - 1;
    }

    private int http(int node) {
        return base + 9 + node;
    }

    private int h2() {
        return base + 30;
    }

    /** A base port whose 43 ports from it are free on loopback just now (an unprivileged, non-ephemeral range). */
    private static int freeBase() {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20000 + 50 * random.nextInt(500);
            if (java.util.stream.IntStream.range(base, base + 43).allMatch(LocalClusterIT::isFree)) {
                return base;
            }
        }
        return fail("no 43 free ports in a row on loopback between 20000 and 45000");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }
}
