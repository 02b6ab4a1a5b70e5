package dev.ivr.server.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18 (2): the README's {@code curl -s localhost:8080/health} printed nothing while the
 * server was not up yet; {@code ./ivr status} says so, waits with {@code --wait}, and shows
 * each component in words.
 */
@Tag("integration")
class StatusCommandIT {
    static final String HEALTH = """
            {"status": "UP", "components": {"agi": {"status": "UP", "detail": "listening on 127.0.0.1:4573"},
             "database": {"status": "DEGRADED", "detail": "writes fail"}}}""";

    static Path config(Path dir, int port) throws Exception {
        Path cfg = dir.resolve("ivr.yaml");
        Files.writeString(cfg, "node:\n  data-dir: " + dir.resolve("data") + "\nhttp:\n  port: " + port + "\n");
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/admin-token"), "the-token\n");
        return cfg;
    }

    static HttpServer health(int port, AtomicReference<String> bearer) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        s.createContext("/health", ex -> {
            bearer.set(ex.getRequestHeaders().getFirst("Authorization"));
            byte[] b = HEALTH.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        s.start();
        return s;
    }

    @Test
    void saysEachComponentInWords(@TempDir Path dir) throws Exception {
        AtomicReference<String> bearer = new AtomicReference<>();
        HttpServer server = health(0, bearer);
        try {
            int port = server.getAddress().getPort();
            IvrScript.Result r = IvrScript.run(dir, Map.of(), "", "status", "--config", config(dir, port).toString());
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out()).startsWith("ivr at http://127.0.0.1:" + port + ": UP\n")
                    .containsPattern("  agi +UP +listening on 127.0.0.1:4573")
                    .containsPattern("  database +DEGRADED +writes fail");
            assertThat(bearer.get()).isEqualTo("Bearer the-token"); // the generated admin token, for the details
        } finally {
            server.stop(0);
        }
    }

    @Test
    void nothingAnsweringIsSaidAndWaitWaitsForAServerStillStarting(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free again: nothing answers there
        }
        Path cfg = config(dir, port);
        IvrScript.Result none = IvrScript.run(dir, Map.of(), "", "status", "--config", cfg.toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("nothing answers at http://127.0.0.1:" + port, "./ivr run", "--wait");

        // a server that comes up while status waits: started once status has said it waits
        IvrScript.Running waiting = IvrScript.start(dir, Map.of(), "", "status", "--wait", "2m", "--config", cfg.toString());
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (!waiting.errSoFar().contains("waiting for the server") && waiting.process().isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(waiting.errSoFar()).contains("waiting for the server at http://127.0.0.1:" + port);
        HttpServer later = health(port, new AtomicReference<>());
        try {
            IvrScript.Result waited = waiting.await();
            assertThat(waited.exit()).as(waited.all()).isZero();
            assertThat(waited.out()).startsWith("ivr at http://127.0.0.1:" + port + ": UP");
        } finally {
            later.stop(0);
        }
    }
}
