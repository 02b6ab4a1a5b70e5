package dev.ivr.server;

import dev.ivr.server.ports.PortsReport;
import dev.ivr.testsupport.KeptLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.ivr.server.testing.ServerProcesses.awaitHealthy;
import static dev.ivr.server.testing.ServerProcesses.awaitPorts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distribution as an administrator installs and upgrades it, with the documented commands
 * (the systemd unit's header, README "Running it for real") run into a scratch root instead of
 * /: the tarball has one top-level folder; bin/ivr-install puts the configuration and flows in
 * /etc/ivr, the data in /var/lib/ivr and /opt/ivr pointing at the release; the server started
 * as the installed unit starts it serves the flows of /etc/ivr and the data a tool imported;
 * and the upgrade to another release (the link swapped) keeps every edited flow and setting,
 * the data and the PIN pepper, while files the administrator did not touch follow the release.
 * Needs no container and no root: the tarball is built before the integration tests.
 */
@Tag("integration")
class DistributionIT {
    @TempDir
    Path tmp;
    Process server;

    volatile String failedTest;

    @RegisterExtension
    final AfterTestExecutionCallback noteFailure = context -> context.getExecutionException()
            .ifPresent(e -> failedTest = context.getRequiredTestMethod().getName());

    @AfterEach
    void stop() throws IOException {
        if (server != null && server.isAlive()) {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
        }
        if (failedTest != null) {
            Path kept = KeptLogs.keep(DistributionIT.class, failedTest, tmp);
            System.err.println("DistributionIT failed: the server's output and logs are kept in " + kept.toAbsolutePath());
        }
    }

    @Test
    void theDocumentedInstallAndUpgradeKeepEditedFlowsConfigurationAndData() throws Exception {
        Path tarball;
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            tarball = s.filter(p -> p.getFileName().toString().matches("ivr-.+-dist\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/ivr-*-dist.tar.gz: the dist-for-tests profile builds it"
                            + " before the integration tests (not with -DskipTests)"));
        }
        String release = tarball.getFileName().toString().replace("-dist.tar.gz", "");
        assertThat(sh("tar -tzf " + tarball).lines()).as("every entry of the tarball is in its top-level folder")
                .isNotEmpty().allSatisfy(e -> assertThat(e).startsWith(release + "/"));

        Path root = Files.createDirectories(tmp.resolve("root"));
        Path opt = Files.createDirectories(root.resolve("opt"));
        Path etc = root.resolve("etc/ivr");
        Path data = root.resolve("var/lib/ivr");

        // install, as documented: tar -xzf ivr-VERSION-dist.tar.gz -C /opt && /opt/ivr-VERSION/bin/ivr-install
        sh("tar -xzf " + tarball + " -C " + opt);
        String installed = sh(opt.resolve(release).resolve("bin/ivr-install").toString());
        assertThat(installed).contains("ivr-install: " + opt.resolve("ivr") + " -> " + release);
        assertThat(opt.resolve("ivr").toRealPath()).isEqualTo(opt.resolve(release).toRealPath());
        for (String f : List.of("ivr.yaml", "logback.xml", "calendars.yaml", "flows/customer-service.yaml",
                "prompts/en/system.yaml", "pin-pepper")) {
            assertThat(etc.resolve(f)).as("installed").isRegularFile();
        }
        assertThat(mode(etc)).isEqualTo("rwxr-x---");
        assertThat(mode(etc.resolve("pin-pepper"))).isEqualTo("rw-r-----");
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(Files.readString(etc.resolve("ivr.yaml"))).contains("  data-dir: " + data)
                .contains("  dir: " + etc.resolve("flows")).contains("  pin-pepper-file: " + etc.resolve("pin-pepper"));
        Path unit = root.resolve("etc/systemd/system/ivr.service");
        assertThat(Files.readString(unit)).contains("ExecStart=" + opt.resolve("ivr/bin/ivr-server") + " run")
                .contains("Environment=IVR_CONFIG=" + etc.resolve("ivr.yaml")).contains("UMask=0077");

        // the administrator edits a flow and the configuration, adds a flow, removes a flow test
        Files.writeString(etc.resolve("flows/customer-service.yaml"), "# edited by the operator\n",
                java.nio.file.StandardOpenOption.APPEND);
        String config = Files.readString(etc.resolve("ivr.yaml"));
        assertThat(config).contains("  drain-time: 30s");
        Files.writeString(etc.resolve("ivr.yaml"), config.replace("  drain-time: 30s", "  drain-time: 3s"));
        Files.copy(etc.resolve("flows/after-hours.yaml"), etc.resolve("flows/night-line.yaml"));
        Files.delete(etc.resolve("flows/after-hours.test.yaml"));
        // and imports customers with the tool, which finds the installed configuration by itself
        String imported = sh(opt.resolve("ivr/bin/ivr-server") + " import-customers " + opt.resolve("ivr/config/sample-customers.csv"));
        assertThat(imported).contains("imported 12 customer(s)");
        assertThat(data.resolve("db")).isDirectory();

        // the server, started as the installed unit starts it, with the unit's optional AOT cache: the first run makes it
        // when it stops, the next one starts with it
        // (IVR_JAVA_HOME is this JVM: the cache needs Java 25)
        Path aot = data.resolve("ivr.aot");
        boolean withAot = Runtime.version().feature() >= 25;
        aotCache = withAot ? aot : null;
        startAsTheUnitDoes(unit);
        assertThat(get("/api/flows")).contains("\"night-line\"").contains("\"customer-service\"");
        assertThat(get("/api/customers/C1001")).contains("Anna");
        stopAsTheUnitDoes();
        if (withAot) {
            assertThat(Files.readString(tmp.resolve("server.out"))).contains("this run makes " + aot + " when it stops");
            assertThat(aot).as("made by the JVM when the server stopped").isNotEmptyFile();
            assertThat(aot.resolveSibling("ivr.aot.stamp")).content().contains(opt.resolve(release).toString());
            Files.writeString(tmp.resolve("server.out"), "");
            startAsTheUnitDoes(unit);
            assertThat(get("/api/customers/C1001")).contains("Anna");
            stopAsTheUnitDoes();
            assertThat(Files.readString(tmp.resolve("server.out"))).as("the cache used, not made again")
                    .doesNotContain("this run makes").doesNotContain("[error][aot]");
        }
        String pepper = Files.readString(etc.resolve("pin-pepper"));
        String token = Files.readString(data.resolve("admin-token"));

        // a newer release: this one as 9.9.9, with a changed example flow and calendar and a new catalog
        Path build = Files.createDirectories(tmp.resolve("build"));
        sh("tar -xzf " + tarball + " -C " + build + " && mv " + build.resolve(release) + " " + build.resolve("ivr-9.9.9"));
        Path next = build.resolve("ivr-9.9.9");
        Files.writeString(next.resolve("flows/customer-service.yaml"), "# changed in 9.9.9\n",
                java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(next.resolve("config/calendars.yaml"), "# changed in 9.9.9\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(next.resolve("prompts/en/added-in-9.yaml"), "added-in-nine: New in nine.\n");
        Path newTarball = tmp.resolve("ivr-9.9.9-dist.tar.gz");
        sh("tar -I 'gzip -1' -cf " + newTarball + " -C " + build + " ivr-9.9.9");

        // upgrade, as documented: the same two commands with the new tarball
        sh("tar -xzf " + newTarball + " -C " + opt);
        String upgraded = sh(opt.resolve("ivr-9.9.9/bin/ivr-install").toString());
        assertThat(opt.resolve("ivr").toRealPath()).isEqualTo(opt.resolve("ivr-9.9.9").toRealPath());
        assertThat(opt.resolve(release)).as("the previous release stays for a roll-back").isDirectory();
        assertThat(Files.readString(etc.resolve("flows/customer-service.yaml"))).as("the edited flow")
                .endsWith("# edited by the operator\n").doesNotContain("changed in 9.9.9");
        assertThat(Files.readString(etc.resolve("flows/customer-service.yaml.new"))).endsWith("# changed in 9.9.9\n");
        assertThat(upgraded).contains("kept your " + etc.resolve("flows/customer-service.yaml"));
        assertThat(Files.readString(etc.resolve("ivr.yaml"))).as("the edited configuration").contains("  drain-time: 3s");
        assertThat(etc.resolve("ivr.yaml.new")).as("the release did not change it").doesNotExist();
        assertThat(etc.resolve("flows/night-line.yaml")).isRegularFile();
        assertThat(etc.resolve("flows/after-hours.test.yaml")).as("removed by the administrator").doesNotExist();
        assertThat(Files.readString(etc.resolve("calendars.yaml"))).as("untouched: follows the release")
                .endsWith("# changed in 9.9.9\n");
        assertThat(etc.resolve("prompts/en/added-in-9.yaml")).as("new in the release").isRegularFile();
        assertThat(Files.readString(etc.resolve("pin-pepper"))).isEqualTo(pepper);
        assertThat(Files.readString(data.resolve("admin-token"))).isEqualTo(token);

        // the upgraded server: the same flows, data and customers; the previous release's AOT cache made again
        startAsTheUnitDoes(unit);
        assertThat(get("/api/flows")).contains("\"night-line\"");
        assertThat(get("/api/customers/C1001")).contains("Anna");
        stopAsTheUnitDoes();
        if (withAot) {
            assertThat(Files.readString(tmp.resolve("server.out"))).contains("this run makes " + aot + " when it stops");
            assertThat(aot.resolveSibling("ivr.aot.stamp")).content().contains(opt.resolve("ivr-9.9.9").toString());
            assertThat(aot).isNotEmptyFile();
        }
    }

    // ------------------------------------------------------------------ helpers

    private int httpPort;
    /** IVR_AOT_CACHE for the server (Java 25+), or none. */
    private Path aotCache;

    private Path root() {
        return tmp.resolve("root");
    }

    /** A shell command with the scratch root in place of /, as the administrator would run it as root. */
    private String sh(String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true);
        env(pb.environment());
        pb.environment().put("IVR_INSTALL_ROOT", root().toString());
        pb.environment().put("IVR_INSTALL_USER", System.getProperty("user.name"));
        pb.environment().put("IVR_ETC", root().resolve("etc/ivr").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("%s%n%s", command, out).isZero();
        return out;
    }

    private void env(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("IVR_"));
        env.put("IVR_JAVA_HOME", System.getProperty("java.home"));
    }

    /** Runs ExecStart with the unit's Environment= lines and UMask, on free ports, as systemd would. */
    private void startAsTheUnitDoes(Path unit) throws IOException {
        List<String> lines = Files.readAllLines(unit);
        Map<String, String> env = new LinkedHashMap<>();
        String exec = null;
        String umask = null;
        for (String l : lines) {
            if (l.startsWith("Environment=")) {
                String kv = l.substring("Environment=".length());
                if (kv.length() > 1 && kv.startsWith("\"") && kv.endsWith("\"")) {
                    kv = kv.substring(1, kv.length() - 1); // systemd's quoting of a value with spaces
                }
                env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            } else if (l.startsWith("ExecStart=")) {
                exec = l.substring("ExecStart=".length());
            } else if (l.startsWith("UMask=")) {
                umask = l.substring("UMask=".length());
            }
        }
        assertThat(exec).isNotNull();
        env.put("IVR_JAVA_OPTS", "-Xmx384m -XX:TieredStopAtLevel=1"); // C1 only: a short run starts faster
        // every port 0: the ports bound are read from the report the server writes in its data directory
        env.put("IVR_AGI_PORT", "0");
        env.put("IVR_HTTP_PORT", "0");
        env.put("IVR_CLUSTER_PORT", "0");
        env.put("IVR_CLUSTER_NAME", "dist-" + UUID.randomUUID());
        env.put("IVR_SPEECH_PORT", "0");
        env.put("IVR_TTS_ENABLED", "false");
        if (aotCache != null) {
            env.put("IVR_AOT_CACHE", aotCache.toString());
        }
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "umask " + umask + " && exec " + exec));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("server.out").toFile()));
        env(pb.environment());
        pb.environment().putAll(env);
        server = pb.start();
        httpPort = awaitPorts("the server", root().resolve("var/lib/ivr"), server, tmp.resolve("server.out")).http().port();
        awaitHealthy(httpPort, tmp.resolve("server.out"));
    }

    private void stopAsTheUnitDoes() throws InterruptedException {
        server.destroy(); // SIGTERM, as systemctl stop
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(PortsReport.file(root().resolve("var/lib/ivr"))).as("removed at the stop").doesNotExist();
    }

    private String get(String path) throws Exception {
        String token = Files.readString(root().resolve("var/lib/ivr/admin-token")).trim();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return r.body();
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
