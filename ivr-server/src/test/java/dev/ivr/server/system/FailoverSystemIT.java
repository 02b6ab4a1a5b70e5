package dev.ivr.server.system;

import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import dev.ivr.server.doctor.Doctor;
import dev.ivr.server.doctor.Finding;
import dev.ivr.server.testing.ServerProcesses;
import dev.ivr.server.testing.TestConfigs;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scenario 10 and findings 6, 7 and 11 (doctor): two ivr nodes in one cluster sharing an H2
 * database server, the sample dialplan with IVR pointing at node A and IVR_BACKUP at node B (both on port 0: the test
 * sets the two globals over AMI to the ports they bound).
 * Node A (a process of its own) is killed with SIGKILL in the middle of a call: Asterisk gets
 * the call back, the sample's [ivr-agi] calls node B, which resumes the call where it was; the
 * agent's answer report, and new calls, reach node B while node A is down.
 */
@ExtendWith(AsteriskInstallation.Required.class)
@ResourceLock(SystemRig.ONE_AT_A_TIME)
@Tag("system")
class FailoverSystemIT {
    static final Duration CALL = Duration.ofSeconds(120);
    static SystemRig rig;
    static PrivateAsterisk asterisk;
    static Server h2;
    static String dbUrl;
    static Process nodeA;
    static Path nodeALog;
    static int agiA;
    static int agiB;
    static IvrNode nodeB;
    static AgentPhone phone;

    @BeforeAll
    static void start() throws Exception {
        rig = new SystemRig(FailoverSystemIT.class);
        asterisk = rig.asterisk();
        phone = rig.add(new AgentPhone(asterisk, rig.dir, "1001"));
        Path db = Files.createDirectories(rig.dir.resolve("db"));
        h2 = Server.createTcpServer("-tcp", "-tcpPort", "0", "-ifNotExists", "-baseDir", db.toString()).start();
        rig.add(h2::stop);
        dbUrl = "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/./ivr;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        String cluster = "failover-" + UUID.randomUUID();
        asterisk.agents("1001").start();
        asterisk.cli("agi set debug on");
        phone.behave(new AgentPhone.Answer(Duration.ofSeconds(1), Duration.ofSeconds(4)));
        assertThat(phone.register()).isTrue();
        // node B, in this JVM, every listener on port 0 and alone in its cluster: it migrates the shared database and
        // imports the sample customers
        nodeB = rig.add(IvrNode.start(rig.dir, "node-b", asterisk.amiPort, "database:\n  url: " + dbUrl + "\n", Map.of(
                "IVR_TTS_ENABLED", "false", "IVR_CLUSTER_NAME", cluster)));
        agiB = nodeB.agiPort();
        // node A, a process of its own (so it can be killed), on port 0 too: it joins node B at the address B bound, and
        // says the ports it bound in its ports.json
        nodeALog = rig.dir.resolve("node-a.log");
        Path dataA = Files.createDirectories(rig.dir.resolve("node-a"));
        nodeA = startNodeA(dataA, cluster, TestConfigs.address(nodeB.server.hazelcast()));
        rig.add(() -> {
            if (nodeA.isAlive()) {
                nodeA.destroyForcibly();
            }
        });
        agiA = ServerProcesses.awaitPorts("node A", dataA, nodeA, nodeALog).agi().port();
        asterisk.ivr(agiA, agiB);
        await().atMost(Duration.ofSeconds(30)).until(() -> nodeB.server.hazelcast().getCluster().getMembers().size() == 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> countMatches(asterisk.logText(), "Manager 'ivr' logged on") >= 2);
    }

    static Process startNodeA(Path data, String cluster, String members) throws IOException {
        Path config = rig.dir.resolve("node-a.yaml");
        Files.writeString(config, "database:\n  url: " + dbUrl + "\ncrm:\n  pin-hash: {memory: 1024, iterations: 1, parallelism: 1}\n"
                + "node:\n  accept-weak-settings: [crm.pin-hash]\n"); // cheap hashes for the test's sample customers
        List<String> cmd = new ArrayList<>(List.of(ServerProcesses.java(), "-Xmx512m", "-jar", Path.of("target", "ivr-server.jar")
                .toAbsolutePath().toString(), "run", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(nodeALog.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("IVR_"));
        env.put("IVR_NODE_NAME", "node-a");
        env.put("IVR_NODE_DATA_DIR", data.toString());
        env.put("IVR_AGI_PORT", "0");
        env.put("IVR_HTTP_PORT", "0");
        env.put("IVR_CLUSTER_NAME", cluster);
        env.put("IVR_CLUSTER_PORT", "0");
        env.put("IVR_CLUSTER_MEMBERS", members);
        env.put("IVR_CLUSTER_SECRET_FILE", dev.ivr.server.testing.TestConfigs.clusterSecret().toString()); // node B's too
        env.put("IVR_TTS_ENABLED", "false");
        env.put("IVR_SPEECH_PORT", "0");
        env.put("IVR_FLOWS_DIR", Path.of("..", "flows").toAbsolutePath().normalize().toString());
        env.put("IVR_PROMPTS_DIR", Path.of("..", "prompts").toAbsolutePath().normalize().toString());
        env.put("IVR_FLOWS_CALENDARS", IvrNode.resource("system/calendars.yaml").toString());
        env.put("IVR_AMI_ENABLED", "true");
        env.put("IVR_AMI_PORT", Integer.toString(asterisk.amiPort));
        env.put("IVR_AMI_SECRET", PrivateAsterisk.IVR_AMI_SECRET);
        return pb.start();
    }


    static int countMatches(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    /**
     * What the shared database recorded for a call: outcome, node, path, agent. Waited for: the server's writer hands
     * interactions over in batches (it lingers 200 ms for more), so the row comes a moment after the call's end.
     */
    static List<String> interaction(String callId) {
        return await().alias("the interaction of " + callId).atMost(Duration.ofSeconds(30))
                .until(() -> interactionRow(callId), r -> !r.isEmpty());
    }

    private static List<String> interactionRow(String callId) throws Exception {
        try (Connection c = DriverManager.getConnection(dbUrl, "sa", "");
             var ps = c.prepareStatement("select outcome, node, path, agent_id from interactions where call_id = ?")) {
            ps.setString(1, callId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? List.of(rs.getString(1), rs.getString(2), rs.getString(3), String.valueOf(rs.getString(4)))
                        : List.of();
            }
        }
    }

    /**
     * For a failure message when the agent's answer never came: the dial attempts Asterisk reported for the call,
     * the agent as node B has it, what node A logged for the call before it was killed, and the call's own account
     * (ended or not, its AGI commands, Asterisk's lines for its channel, node B's lines for it).
     */
    static String whyNotAnswered(LocalCall call) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n  dial events of the call: ").append(asterisk.ami().events(e -> (e.is("DialBegin") || e.is("DialEnd"))
                && call.callId.equals(e.get("Uniqueid"))).stream().map(e -> e.event() + " " + e.get("DestChannel") + " "
                + e.getOrDefault("DialStatus", "")).toList());
        sb.append("\n  the agent on node B: ").append(nodeB.server.routing().service().agent("bea")
                .map(a -> a.state() + " " + a).orElse("unknown"));
        sb.append("\n  node A's log for the call:");
        try {
            Files.readAllLines(nodeALog).stream().filter(l -> l.contains("call=" + call.callId))
                    .limit(40).forEach(l -> sb.append("\n    ").append(l));
        } catch (IOException e) {
            sb.append(' ').append(e);
        }
        sb.append("\n  AGI commands: ").append(call.commandTexts()).append(call.whatHappened());
        return sb.toString();
    }

    @Test
    void aCallWhoseNodeIsKilledResumesOnTheOtherWhereItWasAndTheAgentsAnswerReportReachesTheSurvivor() throws Exception {
        nodeB.server.routing().service().login(new AgentProfile("bea", "Bea", "PJSIP/1001", Map.of("billing", 7), IvrNode.SAMPLE_LANGUAGES));
        nodeB.server.routing().service().ready("bea");
        long mark = asterisk.logMark();
        // menu 1 (billing) on node A; the caller is silent at the account input: node A dies there
        LocalCall call = LocalCall.place(asterisk, "1000", "3612345678", "Anna Kovacs",
                LocalCall.Script.of().press("1").thenSilence());
        await().atMost(CALL).pollInterval(Duration.ofMillis(20))
                .until(() -> call.commands().stream().filter(c -> c.text().startsWith("WAIT FOR DIGIT")).count() >= 2);
        nodeA.destroyForcibly(); // SIGKILL
        assertThat(nodeA.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(nodeALog)).contains("call=" + call.callId);
        // the account and the PIN only once node B has the call: typed before, they went to node A when its account
        // input timed out before the kill (6 s, and a loaded machine can be that late), and were lost with it
        await().atMost(CALL).until(() -> nodeB.lines().stream().anyMatch(l -> l.contains("call=" + call.callId)
                && l.contains("resuming call at node")));
        call.andThen(LocalCall.Script.of().press("10001#").press("1234#"));
        // the agent answers on Asterisk while node A is down: the report goes to node B (finding 6)
        Ami.Message answered = asterisk.ami().await(e -> e.is("DialEnd") && "ANSWER".equals(e.get("DialStatus"))
                && call.callId.equals(e.get("Uniqueid")), CALL, () -> whyNotAnswered(call));
        // the answer report reaches node B through Asterisk's AGI to it after the DialEnd: seconds on a loaded machine
        await().atMost(Duration.ofSeconds(30)).until(() -> nodeB.server.routing().service().agent("bea").orElseThrow()
                .state() == AgentState.ON_CALL);
        call.awaitEnd(CALL);
        String log = asterisk.logSince(mark);
        // Asterisk: node A's AGI ended without IVR_STATUS; the sample's [ivr-agi] called node B (finding 7)
        assertThat(log).contains("IVR at agi://127.0.0.1:" + agiA + " did not answer customer-service (AGISTATUS=SUCCESS): "
                + "trying agi://127.0.0.1:" + agiB);
        assertThat(log).contains("did not answer agent-answered").contains("agi://127.0.0.1:" + agiB + "/agent-answered");
        assertThat(answered.get("DestChannel")).startsWith("PJSIP/1001-");
        // node B resumed the call where node A left it, and recorded the whole path
        assertThat(nodeB.lines()).anyMatch(l -> l.contains("call=" + call.callId) && l.contains("resuming call at node 'ask'"));
        List<String> i = interaction(call.callId);
        assertThat(i).isNotEmpty();
        assertThat(i.get(0)).isEqualTo("ROUTED");
        assertThat(i.get(1)).isEqualTo("node-b");
        assertThat(i.get(2)).contains("greet-known").contains("main-menu").contains("billing").contains("to-billing");
        assertThat(i.get(3)).isEqualTo("bea");
        await().atMost(Duration.ofSeconds(10)).until(() -> nodeB.server.routing().service().agent("bea").orElseThrow()
                .state() != AgentState.ON_CALL);

        // new calls go to the survivor
        long next = asterisk.logMark();
        LocalCall later = LocalCall.place(asterisk, "9999", "3612345678", "Anna Kovacs", LocalCall.Script.of());
        later.awaitEnd(CALL);
        LocalCall main = LocalCall.place(asterisk, "1000", "3612345678", "Anna Kovacs", LocalCall.Script.of().hangUp());
        main.awaitEnd(CALL);
        String after = asterisk.logSince(next);
        assertThat(after).contains("Connecting to '127.0.0.1:" + agiA + "' failed")
                .contains("agi://127.0.0.1:" + agiB + "/customer-service");
        assertThat(nodeB.lines()).anyMatch(l -> l.contains("call=" + main.callId) && l.contains("runs 'customer-service'"));
    }

    @Test
    void doctorDescribesTheSharedH2ServerItChecked() {
        List<Finding> findings = new Doctor(nodeB.config, List.of("127.0.0.1")).run();
        assertThat(findings).filteredOn(f -> f.check().equals("database")).singleElement().satisfies(f -> {
            assertThat(f.level()).isEqualTo(Finding.Level.OK);
            assertThat(f.message()).contains("H2 server 127.0.0.1:" + h2.getPort()).contains("schema version")
                    .doesNotContain("file database");
        });
    }
}
