package dev.ivr.server;

import dev.ivr.fakepbx.AgiStatus;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.server.ports.PortsReport;
import dev.ivr.server.testing.ServerProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ivr.server.testing.ServerProcesses.awaitHealthy;
import static dev.ivr.server.testing.ServerProcesses.awaitPorts;
import static dev.ivr.server.testing.ServerProcesses.java;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The packaged server as a real process: start, serve, SIGTERM, drain, exit. */
@Tag("integration")
class ServerProcessIT {
    @TempDir
    Path data;
    Process process;

    @AfterEach
    void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void sigtermStopsNewCallsLetsTheCallInProgressFinishThenExits() throws Exception {
        Path log = data.resolve("server.log");
        process = start(log, Map.of("IVR_AGI_DRAIN_TIME", "60s"));
        PortsReport ports = awaitPorts("the server", data, process, log);
        awaitHealthy(ports.http().port(), log);

        FakePbx pbx = new FakePbx("127.0.0.1", ports.agi().port());
        CompletableFuture<Void> release = new CompletableFuture<>();
        FakeCall inProgress = pbx.call("diag").caller(Caller.script().hold(release)).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(log).contains("took call " + inProgress.uniqueId()));

        process.destroy(); // SIGTERM
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(log).contains("draining"));
        CallResult refused = pbx.call("diag").run(Duration.ofSeconds(10));
        assertThat(refused.agiStatus()).isEqualTo(AgiStatus.FAILURE);
        assertThat(process.isAlive()).isTrue();

        release.complete(null);
        CallResult finished = inProgress.await(Duration.ofSeconds(20));
        assertThat(finished.error()).isNull();
        assertThat(finished.commandNames()).contains("HANGUP");
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(PortsReport.file(data)).as("the ports report, removed at the stop").doesNotExist();
        String out = Files.readString(log);
        assertThat(out).contains("call ended: completed").contains("stopped");
        assertThat(out).doesNotContain("cutting");
        // one line format, the call's id on every line of that call
        assertThat(out.lines().filter(l -> l.contains("[call-")))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l).contains("call=" + inProgress.uniqueId()));
    }

    @Test
    void controlCharactersSentByThePbxAreEscapedInTheLog() throws Exception {
        Path log = data.resolve("server.log");
        process = start(log, Map.of());
        PortsReport ports = awaitPorts("the server", data, process, log);
        awaitHealthy(ports.http().port(), log);

        // a hostile peer on the allowlist: ESC sequences (clear screen, set the terminal title) and NUL
        String id = "1.1\u001b[2J\u0000x";
        CallResult r = new FakePbx("127.0.0.1", ports.agi().port()).call("diag").uniqueId(id)
                .callerIdName("\u001b]0;pwned\u0007").dialled("100\u001b[1A").channel("PJSIP/evil\u0000-1")
                .run(Duration.ofSeconds(20));
        assertThat(r.error()).isNull();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(log).contains("call ended"));
        String out = Files.readString(log);
        assertThat(out.chars().filter(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f))
                .as("control characters in the log").isEmpty();
        assertThat(out).contains("call=1.1\\e[2J\\0x - ");

        // killed: the report it leaves behind no longer counts
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(PortsReport.file(data)).exists();
        assertThat(PortsReport.read(data)).as("a killed server's report").isEmpty();
    }

    @Test
    void weakSettingsStopTheStartUnlessAcceptedByNameAndAreWarnedAboutWhenAccepted() throws Exception {
        Path cfg = data.resolve("weak.yaml");
        Files.writeString(cfg, """
                node:
                  data-dir: %s
                agi:
                  bind: 0.0.0.0
                  allow: [0.0.0.0/0]
                crm:
                  pin-hash: {memory: 8, iterations: 1, parallelism: 1}
                """.formatted(data.resolve("weak-data")));
        Path refusedLog = data.resolve("refused.log");
        ProcessBuilder pb = new ProcessBuilder(java(), "-jar", jar().toString(), "run", "--config", cfg.toString())
                .redirectErrorStream(true).redirectOutput(refusedLog.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("IVR_"));
        pb.environment().put("IVR_NODE_ACCEPT_WEAK_SETTINGS", "crm.pin-hash"); // one accepted, one not
        process = pb.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readString(refusedLog)).contains("refusing to start with weak settings")
                .contains("agi.allow: agi.allow [0.0.0.0/0] admits every address to the FastAGI port 4573")
                .contains("node.accept-weak-settings: [agi.allow]")
                .doesNotContain("crm.pin-hash: Argon2id");
        assertThat(data.resolve("weak-data")).doesNotExist();

        // accepted by name: the server starts, and says so loudly
        Path log = data.resolve("server.log");
        process = start(log, Map.of("IVR_CRM_PIN_HASH_MEMORY", "8", "IVR_CRM_PIN_HASH_ITERATIONS", "1",
                "IVR_NODE_ACCEPT_WEAK_SETTINGS", "crm.pin-hash"));
        awaitHealthy(awaitPorts("the server", data, process, log).http().port(), log);
        assertThat(Files.readString(log)).contains("WARN ").contains("WEAK SETTING accepted by node.accept-weak-settings:"
                + " crm.pin-hash: Argon2id with 8 KiB and 1 pass(es) is below OWASP's minimum");
    }

    @Test
    void badConfigurationIsReportedAndTheServerDoesNotStart() throws Exception {
        Path cfg = data.resolve("bad.yaml");
        Files.writeString(cfg, "agi:\n  port: 99999\n  allow: [nowhere]\n");
        Path log = data.resolve("server.log");
        ProcessBuilder pb = new ProcessBuilder(java(), "-jar", jar().toString(), "run", "--config", cfg.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        process = pb.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log))
                .contains(cfg + ":2:3: agi.port: must be a TCP port")
                .contains(cfg + ":3:11: agi.allow[0]: 'nowhere' is not an IPv4 or IPv6 address block");
    }

    /** Starts the packaged server on this test's data directory, every listener on port 0 (see {@link ServerProcesses#awaitPorts}). */
    private Process start(Path log, Map<String, String> extra) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", jar().toString(), "run")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("IVR_"));
        env.put("IVR_NODE_DATA_DIR", data.toString());
        env.put("IVR_AGI_PORT", "0");
        env.put("IVR_HTTP_PORT", "0");
        env.put("IVR_CLUSTER_NAME", "proc-" + UUID.randomUUID());
        env.put("IVR_CLUSTER_PORT", "0");
        env.put("IVR_TTS_ENABLED", "false");
        env.put("IVR_SPEECH_PORT", "0");
        env.put("IVR_FLOWS_DIR", Path.of("..", "flows").toAbsolutePath().normalize().toString());
        env.putAll(extra);
        return pb.start();
    }

    static Path jar() {
        Path jar = Path.of("target", "ivr-server.jar");
        assertThat(jar).as("the packaged server (mvn package runs before integration tests)").exists();
        return jar;
    }

}
