package dev.ivr.server.system;

import dev.ivr.routing.AgentState;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.desk.DeskClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The set-up the system tests of routing share: one Asterisk with the sample dialplan and AGI debug on, agents'
 * phones (sipp) registered with the sample's credentials, static phones (a trunk), and one ivr node with TTS, its
 * manager connection up and its first reconciliation with the phones done, and the agents' desk (users created by
 * the admin token). Build it with {@link #prepare}, add phones, then {@link #start}.
 */
final class AgentRig implements AutoCloseable {
    static final String PASSWORD = "agent password 1";

    final SystemRig rig;
    /** The working directory (see {@link SystemRig#dir}). */
    final Path dir;
    final PrivateAsterisk asterisk;
    /** The agents' phones by endpoint, in the order given. */
    final Map<String, AgentPhone> phones = new LinkedHashMap<>();
    private final Map<String, AgentPhone> staticPhones = new LinkedHashMap<>();
    IvrNode node;
    DeskClient desk;
    String admin;

    private AgentRig(Class<?> testClass) {
        this.rig = new SystemRig(testClass);
        this.dir = rig.dir;
        this.asterisk = rig.asterisk();
    }

    /** A rig with an agent phone for each endpoint (not registered yet: Asterisk is not running). */
    static AgentRig prepare(Class<?> testClass, String... agentEndpoints) {
        AgentRig r = new AgentRig(testClass);
        try {
            for (String endpoint : agentEndpoints) {
                r.phones.put(endpoint, r.rig.add(new AgentPhone(r.asterisk, r.rig.dir, endpoint)));
            }
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** A phone that does not register: Asterisk's endpoint of this name sends its calls to it (a trunk). */
    AgentPhone staticPhone(String endpoint, AgentPhone.Behaviour behaviour) {
        AgentPhone p = rig.add(new AgentPhone(asterisk, rig.dir, endpoint)).behave(behaviour);
        staticPhones.put(endpoint, p);
        return p;
    }

    /** Starts Asterisk, registers the agents' phones (answering after a second), starts the node and its desk. */
    AgentRig start(String yaml) throws IOException {
        return start(yaml, UnaryOperator.identity());
    }

    /** @param adjust changes the node's validated configuration (see {@link IvrNode#start}) */
    AgentRig start(String yaml, UnaryOperator<IvrConfig> adjust) throws IOException {
        asterisk.agents(phones.keySet().toArray(String[]::new));
        staticPhones.forEach((endpoint, p) -> asterisk.staticPhone(endpoint, p.port));
        asterisk.start();
        asterisk.cli("agi set debug on");
        for (AgentPhone p : phones.values()) {
            p.behave(new AgentPhone.Answer(Duration.ofSeconds(1), null));
            assertThat(p.register()).as("phone " + p.endpoint + " registers").isTrue();
        }
        node = rig.add(IvrNode.start(rig.dir, "node-a", asterisk.amiPort, yaml, Map.of("IVR_TTS_ENABLED", "true"), null,
                adjust));
        asterisk.ivr(node.agiPort(), node.agiPort());
        node.awaitPrerendered();
        // the server's manager connection, as Asterisk reports it, and its first reconciliation with the phones
        await().atMost(Duration.ofSeconds(60)).until(() -> asterisk.logText().contains("Manager 'ivr' logged on"));
        await().atMost(Duration.ofSeconds(60)).until(() -> node.lines().stream()
                .anyMatch(l -> l.contains("AMI: reconciled")));
        desk = new DeskClient(node.server.httpPort());
        admin = Files.readString(node.dataDir.resolve("admin-token")).trim();
        return this;
    }

    /** Creates the agent's user (role agent, the sample customers' languages) with each skill at level 7. */
    void agent(String id, String endpoint, String... skills) {
        JsonObject s = new JsonObject();
        for (String skill : skills) {
            s.put(skill, 7);
        }
        desk.createUser(admin, new JsonObject().put("id", id).put("name", "Agent " + id).put("password", PASSWORD)
                .put("roles", new JsonArray().add("agent")).put("endpoint", "PJSIP/" + endpoint)
                .put("languages", new JsonArray(List.copyOf(IvrNode.SAMPLE_LANGUAGES))).put("skills", s));
    }

    /** Signs the agent in and logs them in to routing with these skills; returns the session. */
    String shift(String id, String... skills) {
        String token = desk.login(id, PASSWORD);
        assertThat(desk.post("/api/agents/" + id + "/login", token,
                new JsonObject().put("skills", new JsonArray(List.of((Object[]) skills)))).status()).isEqualTo(200);
        return token;
    }

    void ready(String id, String token) {
        assertThat(desk.post("/api/agents/" + id + "/ready", token, null).status()).isEqualTo(200);
    }

    AgentState state(String id) {
        return node.server.routing().service().agent(id).orElseThrow().state();
    }

    /** Logs every agent out (a failed test may leave one ready), so that the next test starts with none. */
    void logEveryoneOut() {
        for (var a : node.server.routing().service().agents()) {
            try {
                if (a.state() != AgentState.LOGGED_OUT) {
                    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                        node.server.routing().service().logout(a.id());
                        return true;
                    });
                }
            } catch (RuntimeException e) {
                System.err.println("agent " + a.id() + " not logged out: " + e);
            }
        }
    }

    /** The caller's Local channel (its first half) of a call placed with {@link LocalCall}. */
    String localChannel(LocalCall call) {
        return asterisk.ami().events(e -> e.is("Newchannel") && call.callId.equals(e.get("Uniqueid"))).get(0)
                .get("Channel");
    }

    @Override
    public void close() {
        rig.close();
    }

    /** Closes the rig if it was made (for {@code @AfterAll}). */
    static void close(AgentRig r) {
        if (r != null) {
            r.close();
        }
    }
}
