package dev.ivr.server.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivr.server.config.DurationText;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.doctor.HttpTls;
import dev.ivr.server.net.HostPort;
import dev.ivr.server.ports.PortsReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ivr-server status}: is the server up, and each component, in words; says so plainly
 * when nothing answers (where {@code curl -s .../health} prints nothing). {@code --wait} waits
 * for a server that is still starting (the first {@code ./ivr run} builds first). Asks the HTTP port the running
 * server reported in {@code <data-dir>/ports.json} ({@code http.port} 0 included), else the configured one.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Say whether the server answers and the status of each component (from /health).",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:up (or degraded: it serves calls)", "1:down, or nothing answers", "2:bad usage or configuration"})
public final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ConfigOption config;

    @Option(names = "--wait", paramLabel = "DURATION", description = "Wait up to this long for the server to answer (e.g. 3m).")
    String wait;

    @Option(names = "--token", paramLabel = "TOKEN", description = "A token of role monitor, supervisor or admin for the"
            + " components' details (default: the generated admin token, when readable).")
    String token;

    @Override
    public Integer call() throws Exception {
        IvrConfig cfg = config.loadOrReport(new PrintWriter(System.err, true, UTF_8));
        if (cfg == null) {
            return 2;
        }
        Duration patience;
        try {
            patience = wait == null ? Duration.ZERO : DurationText.parse(wait);
        } catch (IllegalArgumentException e) {
            System.err.println("ivr-server: --wait: " + e.getMessage());
            return 2;
        }
        if (!cfg.http().enabled()) {
            System.err.println("ivr-server: the HTTP server is off (http.enabled: false): no status to ask for");
            return 2;
        }
        String host = cfg.http().bind().equals("0.0.0.0") || cfg.http().bind().equals("::") ? "127.0.0.1" : cfg.http().bind();
        String scheme = cfg.http().tls().enabled() ? "https://" : "http://";
        String bearer = token;
        HttpClient http = HttpTls.client(cfg.http().tls());
        long deadline = System.nanoTime() + patience.toNanos();
        boolean told = false;
        while (true) {
            if (bearer == null) { // written by the server on its first start
                bearer = readToken(cfg);
            }
            // the port the running server bound (http.port 0: any free one), else the configured one
            Optional<PortsReport> ports = PortsReport.read(cfg.dataDir());
            int port = ports.map(PortsReport::http).map(PortsReport.Listener::port).orElse(cfg.http().port());
            if (port == 0) {
                if (System.nanoTime() >= deadline) {
                    System.err.println("ivr-server: http.port is 0 (any free port) and no running server reported the port"
                            + " it took in " + PortsReport.file(cfg.dataDir()) + ": is the server running? Start it with"
                            + " ./ivr run, or wait for it with ./ivr status --wait 3m");
                    return 1;
                }
                if (!told) {
                    System.err.println("waiting for the server to report its ports in " + PortsReport.file(cfg.dataDir())
                            + " (up to " + DurationText.format(patience) + ")...");
                    told = true;
                }
                Thread.sleep(1000);
                continue;
            }
            String base = scheme + HostPort.format(host, port);
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(10));
            if (bearer != null) {
                req.header("Authorization", "Bearer " + bearer);
            }
            try {
                HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode body = JSON.readTree(r.body());
                String status = body.path("status").asText("?");
                System.out.println("ivr at " + base + ": " + status);
                ports.ifPresent(p -> System.out.println("  listening: " + listening(p) + " (" + PortsReport.file(cfg.dataDir()) + ")"));
                Iterator<Map.Entry<String, JsonNode>> it = body.path("components").properties().iterator();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> c = it.next();
                    String detail = c.getValue().path("detail").asText("");
                    System.out.printf("  %-12s %-9s %s%n", c.getKey(), c.getValue().path("status").asText(), detail);
                }
                if (bearer == null) {
                    System.out.println("  (details with a token of role monitor, supervisor or admin: --token)");
                }
                return "DOWN".equals(status) ? 1 : 0;
            } catch (ConnectException e) {
                if (System.nanoTime() >= deadline) {
                    System.err.println("ivr-server: nothing answers at " + base + " (connection refused): is the server"
                            + " running? Start it with ./ivr run (the first start builds for a minute or two), or wait"
                            + " for it with ./ivr status --wait 3m");
                    return 1;
                }
                if (!told) {
                    System.err.println("waiting for the server at " + base + " (up to " + DurationText.format(patience) + ")...");
                    told = true;
                }
                Thread.sleep(1000);
            } catch (IOException e) {
                System.err.println("ivr-server: " + base + "/health: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                return 1;
            }
        }
    }

    /** "FastAGI 127.0.0.1:4573, HTTP 127.0.0.1:8080, ...": the listeners a running server reported. */
    static String listening(PortsReport r) {
        List<String> out = new ArrayList<>();
        out.add("FastAGI " + address(r.agi()));
        if (r.http() != null) {
            out.add((r.httpTls() ? "HTTPS " : "HTTP ") + address(r.http()));
        }
        if (r.httpRedirect() != null) {
            out.add("HTTP redirect " + address(r.httpRedirect()));
        }
        if (r.speech() != null) {
            out.add("AudioSocket " + address(r.speech()));
        }
        out.add("cluster " + address(r.cluster()) + "; process " + r.pid());
        return String.join(", ", out);
    }

    private static String address(PortsReport.Listener l) {
        return HostPort.format(l.host(), l.port());
    }

    private static String readToken(IvrConfig cfg) {
        try {
            return Files.readString(cfg.http().adminTokenPath(cfg.dataDir())).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
