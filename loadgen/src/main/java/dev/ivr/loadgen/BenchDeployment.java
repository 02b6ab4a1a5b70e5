package dev.ivr.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ivr server as the benchmark runs it: its own configuration file (the shipped flows and
 * prompts plus the load generator's simple flow and its prompts, a calendar open around the
 * clock so the path does not depend on the hour, queues with a short wrap-up, no speech port),
 * and agents created and made ready through the REST API, as an admin and the agents' desktops
 * would.
 */
final class BenchDeployment {
    private BenchDeployment() {
    }

    /** The load generator's own flows and prompt catalogs (resources under bench/), written next to the shipped ones. */
    static final List<String> BENCH_FILES = List.of("flows/simple.yaml", "prompts/en/bench.yaml");

    /**
     * Writes the flows and prompts the benchmark serves into {@code out}: the repository's
     * {@code flows/} and {@code prompts/} with the load generator's own files added.
     */
    static void writeFlows(Path out, Path repo) throws IOException {
        for (String dir : List.of("flows", "prompts")) {
            Path from = repo.resolve(dir);
            Path to = out.resolve(dir);
            try (var files = Files.walk(from)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path target = to.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        for (String f : BENCH_FILES) {
            try (var in = BenchDeployment.class.getResourceAsStream("/bench/" + f)) {
                if (in == null) {
                    throw new IOException("the load generator lacks its resource bench/" + f);
                }
                Path target = out.resolve(f);
                Files.createDirectories(target.getParent());
                Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Writes the configuration for a server on these ports; returns the file. */
    static Path writeConfig(Path out, Path repo, int agiPort, int httpPort, Duration wrapUp) throws IOException {
        return writeConfig(out, repo, agiPort, httpPort, wrapUp, "async", "virtual");
    }

    /**
     * @param checkpointDurability the server's {@code flows.checkpoint-durability}: async or backup-ack
     * @param callThreads          the server's {@code agi.call-threads}: virtual or platform
     */
    static Path writeConfig(Path out, Path repo, int agiPort, int httpPort, Duration wrapUp, String checkpointDurability,
                            String callThreads) throws IOException {
        Files.createDirectories(out);
        writeFlows(out, repo);
        Path calendars = out.resolve("bench-calendars.yaml");
        Files.writeString(calendars, """
                # the load benchmark's calendar: open around the clock
                calendars:
                  support:
                    time-zone: UTC
                    open:
                      mon-sun: "00:00-24:00"
                """);
        Path cfg = out.resolve("bench-ivr.yaml");
        String queues = String.join("", List.of("support:technical", "sales:sales", "billing:billing").stream().map(q -> {
            String[] p = q.split(":");
            return """
                        - id: %s
                          skills: {%s: 1}
                          ring-time: 20s
                          wrap-up: %ds
                          max-wait: 30m
                          default-handle-time: 30s
                    """.formatted(p[0], p[1], wrapUp.toSeconds());
        }).toList());
        Files.writeString(cfg, """
                # written by the load generator for one benchmark run
                node:
                  name: bench
                  data-dir: %s
                agi:
                  port: %d
                  max-calls: 50000
                  drain-time: 5s
                %shttp:
                  port: %d
                cluster:
                  name: bench-%s
                  port: 17701
                flows:
                  dir: %s
                  calendars: %s
                  watch: false
                %sprompts:
                  dir: %s
                speech:
                  enabled: false
                  port: 0
                routing:
                  queues:
                %s""".formatted(out.resolve("ivr-data"), agiPort,
                "virtual".equals(callThreads) ? "" // the default: a server from before the key reads it too
                        : "  call-threads: " + callThreads + "\n", httpPort, UUID.randomUUID(), out.resolve("flows"),
                calendars, "async".equals(checkpointDurability) ? "" // the default: a server from before the key reads it too
                        : "  checkpoint-durability: " + checkpointDurability + "\n", out.resolve("prompts"), queues));
        return cfg;
    }

    /**
     * Creates {@code count} agents (users with the agent role, every queue's skill), logs them in
     * to routing and makes them ready, through the REST API with the server's admin token.
     */
    static void agents(int httpPort, Path dataDir, int count) throws Exception {
        String token = Files.readString(dataDir.resolve("admin-token")).trim();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String base = "http://127.0.0.1:" + httpPort + "/api";
        AtomicInteger done = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> jobs = new java.util.ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String id = String.format("agent%05d", i);
                String endpoint = String.format("PJSIP/a%05d", i);
                jobs.add(pool.submit(() -> {
                    post(http, token, base + "/users", """
                            {"id":"%s","name":"Agent %s","password":"bench-password-%s","roles":["agent"],
                             "endpoint":"%s","skills":{"technical":5,"sales":5,"billing":5},"languages":["en"]}"""
                            .formatted(id, id, id, endpoint), 201, 409);
                    post(http, token, base + "/agents/" + id + "/login", "{}", 200, 409);
                    post(http, token, base + "/agents/" + id + "/ready", "{}", 200, 409);
                    int n = done.incrementAndGet();
                    if (n % 100 == 0) {
                        System.out.println("agents ready: " + n + "/" + count);
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        }
    }

    private static void post(HttpClient http, String token, String url, String json, int... ok) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (int code : ok) {
            if (r.statusCode() == code) {
                return;
            }
        }
        throw new IOException("POST " + url + ": " + r.statusCode() + " " + r.body());
    }
}
