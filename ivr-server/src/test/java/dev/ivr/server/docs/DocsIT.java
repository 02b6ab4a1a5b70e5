package dev.ivr.server.docs;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented commands, run as a newcomer runs them, in a fresh clone of the repository (with
 * the server jar this build made: {@code IVR_SERVER_JAR}, so the clone is not built again): the
 * README's five-minute tour end to end, and every other {@code ./ivr} example of the README
 * and docs/ that runs without a server, a PBX or a cluster.
 */
@Tag("integration")
class DocsIT {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path JAR = Path.of("target", "ivr-server.jar").toAbsolutePath();
    /** Commands a documented example may run here (the rest need a server, a PBX, a cluster or a build). */
    static final List<String> RUNNABLE = List.of("validate", "simulate", "test-flows", "graph", "import-customers",
            "export-customers", "users", "help", "config-reference", "flow-reference", "check-prompts");

    @TempDir
    static Path tmp;
    static Path clone;

    @BeforeAll
    static void freshClone() throws Exception {
        clone = tmp.resolve("ivr");
        Process p = new ProcessBuilder("git", "clone", "-q", REPO.toString(), clone.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    record Result(int exit, String out) {
    }

    static Result bash(String script, Map<String, String> env, long minutes) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(clone.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))); // no one types
        pb.environment().keySet().removeIf(k -> k.startsWith("IVR_"));
        pb.environment().put("IVR_JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("IVR_SERVER_JAR", JAR.toString());
        // C1 only: each documented command is a short-lived JVM, started faster without C2 compiling beside it
        pb.environment().put("IVR_JAVA_OPTS", "-Xmx512m -XX:TieredStopAtLevel=1");
        pb.environment().put("IVR_TTS_ENABLED", "false"); // the tour needs no voice; prerendering would only cost CPU
        pb.environment().putAll(env);
        Path log = Files.createTempFile(tmp, "bash", ".log");
        Process p = pb.redirectOutput(log.toFile()).start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("did not end in " + minutes + " min: " + script + "\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    /** The code blocks' lines of a page, continuation lines joined. */
    static List<String> commands(Path page) throws IOException {
        List<String> out = new ArrayList<>();
        boolean code = false;
        StringBuilder pending = null;
        for (String line : Files.readAllLines(page)) {
            if (line.startsWith("```")) {
                code = !code;
                continue;
            }
            if (!code) {
                continue;
            }
            if (pending != null) {
                pending.append(' ').append(line.strip());
            } else if (line.startsWith("./ivr ")) {
                pending = new StringBuilder(line.strip());
            } else {
                continue;
            }
            if (pending.toString().endsWith("\\")) {
                pending.setLength(pending.length() - 1);
            } else {
                out.add(pending.toString().replaceAll("\\s+#.*$", "").strip());
                pending = null;
            }
        }
        return out;
    }

    /** The README's tour, without Asterisk: its code blocks in order, then the pages. */
    @Test
    void theFiveMinuteTourWorksFromAFreshClone() throws Exception {
        List<String> tour = new ArrayList<>();
        String readme = Files.readString(clone.resolve("README.md"));
        String part = readme.substring(readme.indexOf("### Without Asterisk"), readme.indexOf("### With Asterisk"));
        Path partFile = tmp.resolve("tour.md");
        Files.writeString(partFile, part);
        tour.addAll(commands(partFile));
        assertThat(tour).contains("./ivr run &").anyMatch(c -> c.startsWith("./ivr simulate"))
                .anyMatch(c -> c.startsWith("./ivr status"));
        // every port 0: status reads the ports the server bound from data/ports.json, and so does this script
        Map<String, String> env = new LinkedHashMap<>();
        env.put("IVR_HTTP_PORT", "0");
        env.put("IVR_AGI_PORT", "0");
        env.put("IVR_SPEECH_PORT", "0");
        env.put("IVR_CLUSTER_PORT", "0");
        env.put("IVR_CLUSTER_NAME", "tour-" + System.nanoTime());
        StringBuilder script = new StringBuilder("set -e\n");
        for (String c : tour) {
            script.append("echo \"### ").append(c.replace("\"", "'").replace("$", "")).append("\"\n").append(c).append('\n');
            if (c.equals("./ivr run &")) {
                script.append("server=$!\ntrap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT\n");
            }
        }
        // the pages answer while the server runs, on the HTTP port it reported
        script.append("http=$(sed -n '/\"http\" : {/,/}/s/.*\"port\" : \\([0-9]*\\).*/\\1/p' data/ports.json)\n");
        script.append("echo \"http port $http\"\n");
        script.append("curl -sf -o /dev/null -w 'supervisor %{http_code}\\n' http://127.0.0.1:$http/supervisor/\n");
        script.append("curl -sf -o /dev/null -w 'agent %{http_code}\\n' http://127.0.0.1:$http/agent/\n");
        script.append("curl -sf -o /dev/null -w 'login %{http_code}\\n' -H 'Content-Type: application/json'"
                + " -d '{\"id\":\"sam\",\"password\":\"sam password\"}' http://127.0.0.1:$http/api/login\n");
        Result r = bash(script.toString(), env, 12);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("imported 12 customer(s)", "0 error(s)", "identify: IDENTIFIED (customer C1003)",
                "authenticate account 10003: OK", "route billing: connected to agent", "= outcome ROUTED",
                "alice can take calls of queue(s) billing, sales, support",
                "supervisor 200", "agent 200", "login 200");
        // up; degraded here only because this test turns text to speech off
        java.util.regex.Matcher port = java.util.regex.Pattern.compile("http port ([1-9][0-9]*)\n").matcher(r.out());
        assertThat(port.find()).as(r.out()).isTrue();
        assertThat(r.out()).containsPattern("ivr at http://127.0.0.1:" + port.group(1) + ": (UP|DEGRADED)\n")
                .containsPattern("  listening: FastAGI 127\\.0\\.0\\.1:[1-9][0-9]*, HTTP 127\\.0\\.0\\.1:" + port.group(1) + ", ");
    }

    /** Every runnable ./ivr example of the README and docs/ exits 0, each in a data directory of its own. */
    @Test
    void theDocumentedCommandsRun() throws Exception {
        List<String> run = new ArrayList<>();
        List<Path> pages = new ArrayList<>(List.of(clone.resolve("README.md")));
        try (var s = Files.list(clone.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        for (Path page : pages) {
            for (String c : commands(page)) {
                String command = c.split("\\s+")[1];
                boolean placeholder = c.matches(".*(\\[|\\bFILE\\b|\\bDIR\\b|VERSION|\\.\\.\\.|local-cluster).*");
                if (RUNNABLE.contains(command) && !placeholder && !run.contains(c)) {
                    run.add(c);
                }
            }
        }
        assertThat(run).anyMatch(c -> c.startsWith("./ivr validate")).anyMatch(c -> c.startsWith("./ivr simulate"))
                .anyMatch(c -> c.startsWith("./ivr test-flows")).anyMatch(c -> c.startsWith("./ivr graph"));
        // two at a time: each is a JVM of its own with a data directory of its own, and reads the clone only
        List<java.util.concurrent.Future<String>> outcomes = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            int i = 0;
            for (String c : run) {
                Map<String, String> env = Map.of("IVR_NODE_DATA_DIR", tmp.resolve("data-" + i++).toString());
                outcomes.add(pool.submit(() -> {
                    Result r = bash(c, env, 5);
                    return r.exit() == 0 ? null : c + "\n  exit " + r.exit() + ": " + r.out().strip().replace("\n", "\n  ");
                }));
            }
        }
        List<String> failed = new ArrayList<>();
        for (var o : outcomes) {
            if (o.get() != null) {
                failed.add(o.get());
            }
        }
        assertThat(failed).as("documented commands that fail").isEmpty();
    }
}
