package dev.ivr.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The ports an ivr server started with port 0 bound, as it reports them once ready in {@code <data-dir>/ports.json}
 * (the server's {@code PortsReport}: pid, and each listener's host and port). Read by the runs that start servers
 * as processes ({@link ServerProcess#awaitPorts}), so that nothing they start needs a port picked beforehand.
 *
 * @param pid     the process that wrote the report
 * @param agi     the FastAGI port
 * @param http    the HTTP port, -1 when the server has none
 * @param cluster the Hazelcast member's port
 */
public record ServerPorts(long pid, int agi, int http, int cluster) {
    /** The report's file in a data directory (the name the server writes). */
    static final String FILE = "ports.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The report's file of a data directory. */
    public static Path file(Path dataDir) {
        return dataDir.resolve(FILE);
    }

    /**
     * The report in the data directory; empty when there is none yet, or it cannot be read. The server writes it
     * atomically (a reader sees the old file or the new one), so a partial file is never read.
     */
    public static Optional<ServerPorts> read(Path dataDir) {
        try {
            return Optional.of(parse(JSON.readTree(file(dataDir).toFile())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static ServerPorts parse(JsonNode o) {
        if (!o.path("pid").canConvertToLong() || !o.path("agi").path("port").canConvertToInt()
                || !o.path("cluster").path("port").canConvertToInt()) {
            throw new IllegalArgumentException("not a ports report: " + o);
        }
        JsonNode http = o.path("http").path("port");
        return new ServerPorts(o.path("pid").asLong(), o.path("agi").path("port").asInt(),
                http.canConvertToInt() ? http.asInt() : -1, o.path("cluster").path("port").asInt());
    }
}
