package dev.ivr.server.pbx;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.IvrServer;
import dev.ivr.server.call.Supervision;
import dev.ivr.server.callback.StoredCallback;
import dev.ivr.server.cli.StatusCommand;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * One server, two PBXs: two fake Asterisks with their own manager interfaces, whose FastAGI connections come from two
 * loopback addresses (PBX a from 127.0.0.1, PBX b from 127.0.0.2). A call from b has its callback placed on b's AMI,
 * an agent's phone is rung, hung up and listened to through its own PBX, each PBX keeps its own agents true to
 * their phones, and an outage of one manager interface is that PBX's alone: only {@code ami.b} is down in /health
 * and {@code ./ivr status}, and once b is back its device states are read again.
 */
@Tag("integration")
class SeveralPbxsIT {
    static final Duration T = Duration.ofSeconds(60);
    static final String SECRET = "manager-secret-for-tests";
    static final String ANNA = "+3612345678";
    static final Map<String, Integer> TECH = Map.of("technical", 3);

    @TempDir
    Path data;
    FakeAmi a;
    FakeAmi b;
    IvrServer server;
    RoutingService agents;

    @BeforeEach
    void start() throws Exception {
        a = new FakeAmi("ivr", SECRET);
        b = new FakeAmi("ivr", SECRET);
        a.endpoint("PJSIP/1001", "NOT_INUSE");
        b.endpoint("PJSIP/2001", "NOT_INUSE");
        b.endpoint("PJSIP/2002", "NOT_INUSE");
        Path yaml = Files.writeString(data.resolve("ivr.yaml"), """
                agi:
                  allow: [127.0.0.0/8]
                ami:
                  enabled: true
                  secret: ${IVR_AMI_SECRET}
                  pbxs:
                    - id: a
                      host: 127.0.0.1
                      port: %d
                      agi-from: [127.0.0.1/32]
                    - id: b
                      host: 127.0.0.1
                      port: %d
                      agi-from: [127.0.0.2/32]
                """.formatted(a.port(), b.port()));
        server = IvrServer.start(TestConfigs.server(data, yaml, Map.of(
                "IVR_FLOWS_DIR", resource("routing/flows").toString(),
                "IVR_PROMPTS_DIR", resource("routing/prompts").toString(),
                "IVR_AMI_SECRET", SECRET)));
        agents = server.routing().service();
        await("both PBXs listed their endpoints").atMost(T).until(() ->
                server.pbxs().pbxOfEndpoint("PJSIP/1001").equals(Optional.of("a"))
                        && server.pbxs().pbxOfEndpoint("PJSIP/2001").equals(Optional.of("b")));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        a.close();
        b.close();
    }

    static Path resource(String name) throws Exception {
        return Path.of(SeveralPbxsIT.class.getClassLoader().getResource(name).toURI());
    }

    /** A caller on {@code pbx} (connecting from {@code address}) asks for a callback; answers the call's id. */
    String bookFrom(String address) {
        FakePbx pbx = new FakePbx("127.0.0.1", server.agiPort()).from(address);
        CallResult r = pbx.call("queue-test").callerId(ANNA).caller(Caller.script().press("2").press("1")).run(T);
        await().atMost(T).until(() -> callback(r.uniqueId()).map(c -> c.state().equals("WAITING")).orElse(false));
        return r.uniqueId();
    }

    Optional<StoredCallback> callback(String callId) {
        return server.routing().callbacks().list().stream().filter(c -> c.callId().equals(callId)).findFirst();
    }

    void login(String id, String endpoint) {
        agents.login(new AgentProfile(id, id, endpoint, TECH, Set.of("en")));
    }

    void awaitState(String id, AgentState state, String reason) {
        await().atMost(T).untilAsserted(() -> {
            assertThat(agents.agent(id).orElseThrow().state()).isEqualTo(state);
            assertThat(agents.agent(id).orElseThrow().reasonCode()).isEqualTo(reason);
        });
    }

    @Test
    void aCallbackFromACallOnBIsPlacedOnBWhenNoPbxKnowsTheAgentsPhone() {
        login("carl", "PJSIP/3001"); // a phone neither PBX lists (behind a trunk, say)
        String callId = bookFrom("127.0.0.2");

        agents.ready("carl");
        await().atMost(T).until(() -> b.originated().size() == 1);
        FakeAmi.Originated o = b.originated().get(0);
        assertThat(o.action()).containsEntry("Channel", "PJSIP/3001").containsEntry("Exten", ANNA);
        assertThat(o.variables()).containsEntry("IVR_CALL_ID", callId);
        // the agent answered: once carl is on the call, its channel's hang-up ends the callback
        await().atMost(T).until(() -> agents.agent("carl").orElseThrow().state() == AgentState.ON_CALL);
        b.hangup(o.channel(), o.uniqueId());
        await().atMost(T).until(() -> callback(callId).orElseThrow().state().equals("DONE"));
        assertThat(a.actions("Originate")).as("nothing placed on a").isEmpty();

        // b rang carl's phone, so b reports its state from now on: it is b's. Another phone, a call from a's address:
        await().atMost(T).until(() -> server.pbxs().pbxOfEndpoint("PJSIP/3001").equals(Optional.of("b")));
        await().atMost(T).until(() -> Set.of(AgentState.WRAP_UP, AgentState.READY, AgentState.NOT_READY)
                .contains(agents.agent("carl").orElseThrow().state()));
        agents.logout("carl");
        login("dave", "PJSIP/4001");
        String fromA = bookFrom("127.0.0.1");
        agents.ready("dave");
        await().atMost(T).until(() -> a.originated().size() == 1);
        assertThat(a.originated().get(0).action()).containsEntry("Channel", "PJSIP/4001");
        assertThat(a.originated().get(0).variables()).containsEntry("IVR_CALL_ID", fromA);
        assertThat(b.originated()).hasSize(1);
    }

    @Test
    void anAgentsPhoneIsRungHungUpAndListenedToThroughItsOwnPbx() {
        login("ann", "PJSIP/1001"); // on a
        bookFrom("127.0.0.2"); // a call on b
        agents.ready("ann");
        await().atMost(T).until(() -> a.originated().size() == 1);
        assertThat(a.originated().get(0).action()).as("only a can ring ann's phone").containsEntry("Channel", "PJSIP/1001");
        assertThat(b.actions("Originate")).isEmpty();

        // a transfer ends the agent's leg on the agent's PBX
        assertThat(server.pbxs().hangUpAgentLeg("PJSIP/2001")).isZero();
        assertThat(b.actions("Hangup")).singleElement().satisfies(h ->
                assertThat(h.get("Channel")).isEqualTo("/^PJSIP\\/2001-[0-9a-f]+$/"));
        assertThat(a.actions("Hangup")).isEmpty();

        // listening in: the spy call is placed on the agent's PBX; a supervisor on another PBX is told why not
        server.pbxs().spy("PJSIP/2002", "PJSIP/2001", Supervision.Mode.LISTEN);
        await().atMost(T).until(() -> b.actions("Originate").size() == 1);
        assertThat(b.actions("Originate").get(0)).containsEntry("Application", "ChanSpy")
                .containsEntry("Data", "PJSIP/2001-,qE");
        assertThatThrownBy(() -> server.pbxs().spy("PJSIP/1001", "PJSIP/2001", Supervision.Mode.LISTEN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PJSIP/1001 is on PBX a, the agent's PJSIP/2001 on PBX b");
        assertThat(a.actions("Originate")).hasSize(1);
    }

    @Test
    void eachPbxKeepsItsOwnAgentsTrueAndAnOutageIsThatPbxsAlone() throws Exception {
        Map.of("ann", "PJSIP/1001", "bob", "PJSIP/2001", "dora", "PJSIP/2002", "eve", "PJSIP/9999").forEach((id, e) -> {
            login(id, e);
            agents.ready(id);
        });
        // a logs in again and reconciles: it lists only ann's phone, and leaves b's agents (and eve's) alone
        a.dropConnections();
        await().atMost(T).until(() -> a.actions("PJSIPShowEndpoints").size() >= 2 && a.sessions() == 1);
        a.deviceState("PJSIP/1001", "INUSE"); // after the reconciliation, on the same event thread
        awaitState("ann", AgentState.NOT_READY, AgentPhones.BUSY_ELSEWHERE);
        for (String id : new String[] {"bob", "dora", "eve"}) {
            assertThat(agents.agent(id).orElseThrow().state()).as(id).isEqualTo(AgentState.READY);
        }
        b.deviceState("PJSIP/2001", "INUSE");
        awaitState("bob", AgentState.NOT_READY, AgentPhones.BUSY_ELSEWHERE);
        assertThat(agents.agent("dora").orElseThrow().state()).isEqualTo(AgentState.READY);

        // b's manager interface goes away: ami.b is down, a goes on
        b.goDown();
        await().atMost(T).until(() -> "DOWN".equals(component("ami.b").getString("status")));
        assertThat(component("ami.a").getString("status")).isEqualTo("UP");
        assertThat(component("ami")).as("no single check with several PBXs").isNull();
        assertThat(status()).containsPattern("  ami\\.a +UP +logged in to 127\\.0\\.0\\.1:" + a.port())
                .containsPattern("  ami\\.b +DOWN +not connected to 127\\.0\\.0\\.1:" + b.port());
        a.deviceState("PJSIP/1001", "NOT_INUSE");
        awaitState("ann", AgentState.READY, null);

        // while b was away, dora's phone lost its registration and bob's call ended: read again at the login
        b.endpoint("PJSIP/2002", "UNAVAILABLE");
        b.endpoint("PJSIP/2001", "NOT_INUSE");
        int listed = b.actions("PJSIPShowEndpoints").size();
        b.comeBack();
        await().atMost(T).until(() -> b.actions("PJSIPShowEndpoints").size() > listed);
        awaitState("dora", AgentState.NOT_READY, AgentPhones.UNREGISTERED);
        awaitState("bob", AgentState.READY, null);
        await().atMost(T).until(() -> "UP".equals(component("ami.b").getString("status")));
    }

    JsonObject component(String name) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(r.body()).getJsonObject("components").getJsonObject(name);
    }

    /** What {@code ./ivr status} prints for this server (its configuration: the data directory and the HTTP port). */
    String status() throws Exception {
        Path cfg = Files.writeString(data.resolve("status.yaml"), "node:\n  data-dir: " + data + "\nhttp:\n  port: "
                + server.httpPort() + "\n");
        PrintStream before = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            new CommandLine(new StatusCommand()).execute("--config", cfg.toString());
        } finally {
            System.setOut(before);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
