package dev.ivr.server.desk;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.server.IvrServer;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.callcontext.ContextTokens;
import dev.ivr.server.desk.DeskClient.Reply;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The desk API on a real server: tokens and roles (401 without a token on every protected
 * route, 403 for an agent acting on another agent), sessions, agent state, supervisors, call
 * contexts, users, and IVR exits counted from a real call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class DeskApiIT {
    static final String PASSWORD = "correct horse battery";
    /** Routes anyone may call: sign-in, this document, the WebSocket (which wants a ticket instead). */
    static final Set<String> OPEN = Set.of("POST /api/login", "GET /api/openapi.yaml", "GET /api/ws");

    Path dir;
    IvrServer server;
    DeskClient api;
    String admin;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        Path calendars = dir.resolve("calendars.yaml"); // open around the clock
        Files.writeString(calendars, "calendars:\n  support:\n    time-zone: UTC\n    open:\n      mon-sun: \"00:00-24:00\"\n");
        server = IvrServer.start(TestConfigs.server(dir.resolve("data"), Map.of("IVR_FLOWS_CALENDARS", calendars.toString(),
                "IVR_FLOWS_WATCH", "false", "IVR_AGI_DRAIN_TIME", "1s", "IVR_DESK_LOGIN_ATTEMPTS", "3",
                "IVR_DESK_LOGIN_ADDRESS_ATTEMPTS", "20")));
        server.routing().service().defineQueues(List.of(QueueDefinition.builder("billing").requireSkill("billing", 5).build()));
        api = new DeskClient(server.httpPort());
        admin = Files.readString(dir.resolve("data/admin-token")).trim();
        api.createUser(admin, agent("alice", "PJSIP/1001").put("skills", new JsonObject().put("billing", 7).put("support", 5)));
        api.createUser(admin, agent("bob", "PJSIP/1002").put("skills", new JsonObject().put("support", 6)));
        api.createUser(admin, new JsonObject().put("id", "sam").put("name", "Sam Super").put("password", PASSWORD)
                .put("roles", new JsonArray().add("supervisor")));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    static JsonObject agent(String id, String endpoint) {
        return new JsonObject().put("id", id).put("name", id.substring(0, 1).toUpperCase() + id.substring(1) + " Agent")
                .put("password", PASSWORD).put("roles", new JsonArray().add("agent")).put("endpoint", endpoint)
                .put("languages", new JsonArray().add("en"));
    }

    @Test
    void everyProtectedRouteRefusesCallsWithoutAValidToken() {
        List<String> routes = server.http().apiRoutes();
        assertThat(routes).contains("POST /api/agents/{id}/ready", "GET /api/queues", "GET /api/flows");
        int checked = 0;
        for (String route : routes) {
            if (OPEN.contains(route)) {
                continue;
            }
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "x");
            JsonObject body = method.equals("GET") || method.equals("DELETE") ? null : new JsonObject();
            assertThat(api.send(method, path, null, body).status()).as("%s without a token", route).isEqualTo(401);
            assertThat(api.send(method, path, "not-a-token-at-all", body).status()).as("%s with a bad token", route).isEqualTo(401);
            checked++;
        }
        assertThat(checked).isGreaterThan(20);
        // the WebSocket: no ticket, or a made-up one
        assertThat(api.get("/api/ws?ticket=made-up", null).status()).isEqualTo(400); // not an upgrade
        assertThat(api.post("/api/ws-ticket", null, null).status()).isEqualTo(401);
    }

    @Test
    void anAgentChangesOnlyTheirOwnState() {
        String alice = api.login("alice", PASSWORD);
        String bob = api.login("bob", PASSWORD);
        String sam = api.login("sam", PASSWORD);

        // alice on bob: refused, whatever the action
        for (String action : List.of("login", "ready", "not-ready", "wrap-up-done", "logout")) {
            Reply r = api.post("/api/agents/bob/" + action, alice, new JsonObject().put("reason", "break"));
            assertThat(r.status()).as(action).isEqualTo(403);
            assertThat(r.error()).contains("only on their own agent id");
        }
        assertThat(api.get("/api/agents/bob", alice).status()).isEqualTo(403);
        assertThat(api.get("/api/agents", alice).status()).isEqualTo(403);
        assertThat(api.get("/api/queues", alice).status()).isEqualTo(403);

        // alice on alice
        JsonObject me = api.get("/api/me", alice).json();
        assertThat(me.getString("agentId")).isEqualTo("alice");
        assertThat(me.getJsonObject("profile").getJsonObject("skills").getMap()).containsEntry("billing", 7);
        assertThat(me.getJsonArray("notReadyReasons").stream().toList()).contains("break", "lunch");
        assertThat(api.get("/api/agents/alice", alice).json().getString("state")).isEqualTo("LOGGED_OUT");
        Reply unknownSkill = api.post("/api/agents/alice/login", alice, new JsonObject().put("skills", new JsonArray().add("french")));
        assertThat(unknownSkill.status()).isEqualTo(400);
        assertThat(unknownSkill.error()).contains("not in your profile");
        JsonObject loggedIn = api.post("/api/agents/alice/login", alice, new JsonObject().put("skills", new JsonArray().add("billing"))).json();
        assertThat(loggedIn.getString("state")).isEqualTo("NOT_READY");
        assertThat(loggedIn.getJsonObject("skills").getMap()).containsOnlyKeys("billing");
        assertThat(loggedIn.getString("endpoint")).isEqualTo("PJSIP/1001");
        assertThat(api.post("/api/agents/alice/ready", alice, null).json().getString("state")).isEqualTo("READY");
        Reply badReason = api.post("/api/agents/alice/not-ready", alice, new JsonObject().put("reason", "nap"));
        assertThat(badReason.status()).isEqualTo(400);
        assertThat(badReason.error()).contains("break, lunch");
        JsonObject notReady = api.post("/api/agents/alice/not-ready", alice, new JsonObject().put("reason", "lunch")).json();
        assertThat(notReady.getString("state")).isEqualTo("NOT_READY");
        assertThat(notReady.getString("reason")).isEqualTo("lunch");
        assertThat(api.post("/api/agents/alice/wrap-up-done", alice, null).status()).isEqualTo(409); // not in wrap-up

        // bob, logged in, is still bob's business only
        api.post("/api/agents/bob/login", bob, null);
        assertThat(api.post("/api/agents/bob/ready", alice, null).status()).isEqualTo(403);

        // a supervisor reads everything, may log an agent out, but not set an agent ready
        JsonObject queues = api.get("/api/queues", sam).json();
        assertThat(queues.getJsonArray("queues")).anyMatch(q -> ((JsonObject) q).getString("id").equals("billing"));
        assertThat(api.get("/api/agents", sam).json().getJsonArray("agents"))
                .anyMatch(a -> ((JsonObject) a).getString("id").equals("alice"));
        assertThat(api.get("/api/agents/alice", sam).json().getString("reason")).isEqualTo("lunch");
        assertThat(api.post("/api/agents/alice/ready", sam, null).status()).isEqualTo(403);
        assertThat(api.post("/api/agents/alice/logout", sam, null).json().getString("state")).isEqualTo("LOGGED_OUT");
        assertThat(api.post("/api/agents/bob/logout", bob, null).json().getString("state")).isEqualTo("LOGGED_OUT");
        // the admin token may do anything
        assertThat(api.get("/api/agents/bob", admin).status()).isEqualTo(200);
    }

    @Test
    void signInRefusesWrongPasswordsLocksOutAndSignsOut() {
        assertThat(api.post("/api/login", null, new JsonObject().put("id", "bob")).status()).isEqualTo(400);
        assertThat(api.post("/api/login", null, new JsonObject().put("id", "nobody").put("password", "whatever1")).status())
                .isEqualTo(401);
        // a user created for this test, so that the lockout does not touch the others
        api.createUser(admin, agent("carol", "PJSIP/1003"));
        for (int i = 0; i < 3; i++) {
            Reply wrong = api.post("/api/login", null, new JsonObject().put("id", "carol").put("password", "wrong password"));
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.error()).isEqualTo("wrong user id or password");
        }
        Reply locked = api.post("/api/login", null, new JsonObject().put("id", "carol").put("password", PASSWORD));
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.error()).contains("too many wrong passwords");

        String bob = api.login("bob", PASSWORD);
        assertThat(api.get("/api/me", bob).status()).isEqualTo(200);
        assertThat(api.post("/api/logout", bob, null).status()).isEqualTo(204);
        assertThat(api.get("/api/me", bob).status()).isEqualTo(401);
        assertThat(api.post("/api/logout", admin, null).status()).isEqualTo(400); // a configured token is no session
    }

    @Test
    void parallelWrongPasswordsAreCheckedNoMoreThanTheLimitAndDoNotLockTheUserOut() throws Exception {
        api.createUser(admin, agent("dora", "PJSIP/1004"));
        double checkedBefore = signIns("refused");
        int parallel = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(parallel);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            answers.add(pool.submit(() -> {
                go.await();
                return Integer.parseInt(postFrom("127.0.0.5", "/api/login", new JsonObject().put("id", "dora")
                        .put("password", "guess " + Math.random())).substring(0, 3));
            }));
        }
        go.countDown();
        List<Integer> statuses = new java.util.ArrayList<>();
        for (var f : answers) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertThat(statuses).allMatch(st -> st == 401 || st == 429 || st == 503);
        assertThat(signIns("refused") - checkedBefore).as("passwords checked").isLessThanOrEqualTo(3);
        assertThat(statuses).contains(429);
        // the guesses came from 127.0.0.5: dora signs in from her own address
        assertThat(postFrom("127.0.0.2", "/api/login", new JsonObject().put("id", "dora").put("password", PASSWORD)))
                .startsWith("200");
        assertThat(postFrom("127.0.0.5", "/api/login", new JsonObject().put("id", "dora").put("password", PASSWORD)))
                .as("still refused from the guessing address").startsWith("429");
    }

    @Test
    void oneAddressGuessingManyIdsIsStoppedAndOthersAreNot() {
        String guesser = "127.0.0.3";
        List<String> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) { // login-address-attempts: 20 here
            answers.add(postFrom(guesser, "/api/login", new JsonObject().put("id", "nobody-" + i).put("password", "guess")));
        }
        assertThat(answers.subList(0, 20)).allMatch(a -> a.startsWith("401"));
        assertThat(answers.subList(20, 25)).allMatch(a -> a.startsWith("429"));
        assertThat(postFrom(guesser, "/api/login", new JsonObject().put("id", "bob").put("password", PASSWORD)))
                .startsWith("429");
        assertThat(postFrom("127.0.0.4", "/api/login", new JsonObject().put("id", "bob").put("password", PASSWORD)))
                .startsWith("200");
    }

    @Test
    void overlongIdsAndBodiesAreRefusedAtTheEdgeAndNothingIsStoredForThem() {
        Reply longId = api.post("/api/login", null, new JsonObject().put("id", "x".repeat(10_000)).put("password", "p"));
        assertThat(longId.status()).isEqualTo(400);
        assertThat(longId.error()).contains("at most 64");
        Reply huge = api.post("/api/login", null, new JsonObject().put("id", "x".repeat(2_000_000)).put("password", "p"));
        assertThat(huge.status()).isEqualTo(413);
        api.post("/api/login", null, new JsonObject().put("id", "y".repeat(64)).put("password", "wrong"));
        assertThat(server.hazelcast().getMap(dev.ivr.server.desk.sessions.Sessions.FAILURES).keySet())
                .allMatch(k -> k.toString().length() <= 42);
    }

    /** A sign-in sent from another local address (127.0.0.0/8): the status line and body of the answer. */
    String postFrom(String localAddress, String path, JsonObject body) {
        byte[] json = body.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.net.Socket s = new java.net.Socket()) {
            s.bind(new java.net.InetSocketAddress(localAddress, 0));
            s.connect(new java.net.InetSocketAddress("127.0.0.1", server.httpPort()), 5_000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + json.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().write(json);
            String reply = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return reply.substring(reply.indexOf(' ') + 1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    double signIns(String outcome) {
        String metrics = api.get("/metrics", admin).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("ivr_desk_signins_total\\{[^}]*outcome=\"" + outcome
                + "\"[^}]*} ([0-9.E]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void aCallContextIsReadByItsAgentSupervisorsAndTheSignedHeaderOnly() {
        String callId = "1700000000.42";
        CallContext context = new CallContext(callId, "+3612345678", "customer-service", "C-1", "Jane Roe", "gold",
                Map.of("segment", "retail"), "OK", "billing", Map.of("reason", "invoice"), List.of("menu", "verify"),
                Map.of("account", "12345678", "pin", "****"), Duration.ofSeconds(42), Duration.ofSeconds(7), "billing",
                "alice", Instant.now(), false);
        new CallContexts(server.hazelcast(), Duration.ofMinutes(5)).put(context);
        String header = ContextTokens.forCluster(server.hazelcast()).token(callId);

        String alice = api.login("alice", PASSWORD);
        String bob = api.login("bob", PASSWORD);
        String sam = api.login("sam", PASSWORD);
        JsonObject seen = api.get("/api/calls/" + callId + "/context", alice).json();
        assertThat(seen.getString("customerName")).isEqualTo("Jane Roe");
        assertThat(seen.getBoolean("verified")).isTrue();
        assertThat(seen.getJsonObject("inputs").getString("pin")).isEqualTo("****");
        assertThat(seen.getDouble("timeInIvrSeconds")).isEqualTo(42.0);
        // another agent's call and a call that does not exist get the same answer: no oracle of call ids
        Reply othersCall = api.get("/api/calls/" + callId + "/context", bob);
        Reply noSuchCall = api.get("/api/calls/1700000000.43/context", bob);
        assertThat(othersCall.status()).isEqualTo(404);
        assertThat(noSuchCall.status()).isEqualTo(othersCall.status());
        assertThat(noSuchCall.error().replace("1700000000.43", callId)).isEqualTo(othersCall.error());
        assertThat(api.get("/api/calls/" + callId + "/context", sam).status()).isEqualTo(200);
        assertThat(api.send("GET", "/api/calls/" + callId + "/context", null, null, header).status()).isEqualTo(200);
        assertThat(api.send("GET", "/api/calls/" + callId + "/context", null, null, callId + ";sig=forged").status()).isEqualTo(401);
        assertThat(api.send("GET", "/api/calls/other.1/context", null, null, header).status()).isEqualTo(401);
        assertThat(api.get("/api/calls/unknown.1/context", sam).status()).isEqualTo(404);
    }

    @Test
    void adminsManageUsersAndAChangeEndsTheUsersSessions() {
        Reply invalid = api.post("/api/users", admin, new JsonObject().put("id", "dave").put("password", "short")
                .put("roles", new JsonArray().add("agent").add("wizard")).put("skills", new JsonObject().put("billing", 11)));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.error()).contains("password: 8-200 characters", "unknown role 'wizard'",
                "endpoint: required for the agent role", "skills.billing: level 1-10");
        assertThat(api.post("/api/users", admin, agent("alice", "PJSIP/1009")).status()).isEqualTo(409);
        String sam = api.login("sam", PASSWORD);
        assertThat(api.get("/api/users", sam).status()).isEqualTo(403);

        api.createUser(admin, agent("erin", "PJSIP/1005").put("skills", new JsonObject().put("sales", 4)));
        String erin = api.login("erin", PASSWORD);
        JsonObject listed = api.get("/api/users/erin", admin).json();
        assertThat(listed.getString("endpoint")).isEqualTo("PJSIP/1005");
        assertThat(listed.containsKey("password")).isFalse();
        assertThat(api.get("/api/users", admin).body()).doesNotContain("argon2", PASSWORD);

        Reply changed = api.send("PATCH", "/api/users/erin", admin, new JsonObject().put("skills", new JsonObject().put("sales", 8)));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().getJsonObject("skills").getInteger("sales")).isEqualTo(8);
        assertThat(api.get("/api/me", erin).status()).isEqualTo(401); // signed out by the change
        String again = api.login("erin", PASSWORD);
        assertThat(api.get("/api/me", again).json().getJsonObject("profile").getJsonObject("skills").getInteger("sales")).isEqualTo(8);
        assertThat(api.send("DELETE", "/api/users/erin", admin, null).status()).isEqualTo(204);
        assertThat(api.get("/api/me", again).status()).isEqualTo(401);
        assertThat(api.post("/api/login", null, new JsonObject().put("id", "erin").put("password", PASSWORD)).status()).isEqualTo(401);
    }

    @Test
    void callersWhoHangUpInTheIvrAreCountedPerFlowNode() {
        // no TTS and no recordings: prompts are skipped, the first input is the language menu
        CallResult call = new FakePbx("127.0.0.1", server.agiPort()).call("customer-service").callerId("+3619999999")
                .caller(Caller.script().hangUp()).run(Duration.ofSeconds(30));
        assertThat(call.error()).isNull();
        String sam = api.login("sam", PASSWORD);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonObject exits = api.get("/api/ivr/exits", sam).json();
            assertThat(exits.getJsonArray("nodes")).anyMatch(n -> ((JsonObject) n).getString("flow").equals("customer-service")
                    && ((JsonObject) n).getString("node").equals("language-menu") && ((JsonObject) n).getLong("count") == 1);
            assertThat(exits.getJsonObject("calls").getLong("customer-service")).isEqualTo(1);
        });
        assertThat(api.get("/api/dashboard", sam).json().getJsonObject("exits").getLong("totalExits")).isEqualTo(1);
    }

    @Test
    void thePagesAreServedWithAStrictContentSecurityPolicy() {
        for (String page : List.of("/agent/", "/supervisor/")) {
            Reply r = api.get(page, null);
            assertThat(r.status()).as(page).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("text/html");
            assertThat(r.header("Content-Security-Policy")).contains("script-src 'self'", "frame-ancestors 'none'");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r.body()).contains("<html lang=\"en\">", "Sign in").doesNotContain("<script>", "style=");
        }
        assertThat(api.get("/assets/desk.js", null).header("Content-Type")).contains("javascript");
        assertThat(api.get("/agent/../../logback.xml", null).status()).isEqualTo(404);
        Reply root = api.get("/", null);
        assertThat(root.status()).isEqualTo(302);
        assertThat(root.header("Location")).isEqualTo("/agent/");
        assertThat(api.get("/supervisor", null).header("Location")).isEqualTo("/supervisor/");
    }

    @Test
    void signInsAndDesktopConnectionsAreMeasured() {
        String sam = api.login("sam", PASSWORD);
        try (DeskClient.Live live = api.live(sam)) {
            live.awaitType("dashboard");
            String metrics = api.get("/metrics", admin).body();
            assertThat(metrics).contains("ivr_desk_signins_total{", "outcome=\"ok\"", "ivr_desk_websockets{");
            assertThat(metrics).containsPattern("ivr_desk_websockets\\{[^}]*} [1-9]");
        }
    }

    @Test
    void theOpenApiDocumentDescribesEveryMountedRouteAndNothingElse() {
        Reply doc = api.get("/api/openapi.yaml", null);
        assertThat(doc.status()).isEqualTo(200);
        OpenApiRoutes documented = OpenApiRoutes.parse(doc.body());
        assertThat(documented.version()).startsWith("3.");
        List<String> mounted = server.http().apiRoutes();
        assertThat(documented.operations()).as("documented operations").containsAll(mounted);
        // and nothing documented is missing from the server
        for (var e : documented.byTag().entrySet()) {
            assertThat(mounted).as("operations of tag %s", e.getKey()).containsAll(e.getValue());
        }
    }
}
