package dev.ivr.server.ports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ivr.server.secrets.PrivateFiles;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a running server reports about the addresses it bound: {@code <data-dir>/ports.json}, written once the server
 * is ready (every listener bound, the cluster joined), so that an operator, {@code status}, {@code doctor} or a test
 * learns the ports a server given port 0 took, and which process took them.
 *
 * <p>Written atomically (a temporary file in the data directory, then moved over the old one), readable by the
 * server's own user only (0600, in the 0700 data directory); removed when the server stops, after its listeners
 * closed and before it releases the data directory's lock; removed at the start too, when a server that was killed
 * left one behind. A report whose process is gone, or is another process that reuses its PID, is stale:
 * {@link #read} does not return it.
 *
 * @param pid     the server's process
 * @param node    its node name ({@code node.name})
 * @param version its build's version
 * @param started when it was ready (the report's time)
 * @param agi     the FastAGI listener
 * @param http    the HTTP(S) listener, or null when {@code http.enabled} is false
 * @param httpTls whether {@code http} speaks HTTPS
 * @param httpRedirect the plain-HTTP port that redirects to HTTPS ({@code http.tls.redirect-port}), or null
 * @param speech  the AudioSocket listener for speech input, or null when none is open
 * @param cluster the Hazelcast member's address, as the other members reach it
 */
public record PortsReport(long pid, String node, String version, Instant started, Listener agi, Listener http,
                          boolean httpTls, Listener httpRedirect, Listener speech, Listener cluster) {
    /** The report's file name in the data directory. */
    public static final String FILE = "ports.json";
    /**
     * How much later than the report a process with its PID may have started and still be the server that wrote it:
     * the kernel gives a process's start time to the tick, from a boot time rounded to the second.
     */
    static final Duration START_TIME_SLACK = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An address a server listens on: the configured bind address (or the member's address) and the bound port. */
    public record Listener(String host, int port) {
    }

    /** The report's file of a data directory. */
    public static Path file(Path dataDir) {
        return dataDir.resolve(FILE);
    }

    /** Writes the report into the data directory: a reader sees the old file or the new one, never a part. */
    public void write(Path dataDir) throws IOException {
        Path tmp = Files.createTempFile(dataDir, ".ports-", ".tmp", PrivateFiles.fileAttributes(dataDir));
        try {
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()) + "\n");
            try {
                Files.move(tmp, file(dataDir), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(dataDir), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The report of the server running on this data directory now; empty when there is none (no server, one still
     * starting, or a report a killed server left behind), or when it cannot be read.
     */
    public static Optional<PortsReport> read(Path dataDir) {
        return readAny(dataDir).filter(PortsReport::live);
    }

    /** The report in the data directory, live or stale; empty when there is none or it cannot be read. */
    static Optional<PortsReport> readAny(Path dataDir) {
        try {
            return Optional.of(fromJson(JSON.readTree(file(dataDir).toFile())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Removes the data directory's report (a server stopping, or one starting where a killed server left its report);
     * answers whether there was one.
     */
    public static boolean remove(Path dataDir) throws IOException {
        return Files.deleteIfExists(file(dataDir));
    }

    /** Whether the process that wrote the report still runs (and is not another one with its PID). */
    boolean live() {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        Optional<Instant> start = process.get().info().startInstant();
        return start.isEmpty() || !start.get().isAfter(started.plus(START_TIME_SLACK));
    }

    private ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode().put("pid", pid).put("node", node).put("version", version)
                .put("started", started.toString());
        put(o, "agi", agi);
        put(o, "http", http);
        if (http != null) {
            ((ObjectNode) o.get("http")).put("tls", httpTls);
        }
        put(o, "http-redirect", httpRedirect);
        put(o, "speech", speech);
        put(o, "cluster", cluster);
        return o;
    }

    private static void put(ObjectNode o, String name, Listener l) {
        if (l != null) {
            o.putObject(name).put("host", l.host()).put("port", l.port());
        }
    }

    private static PortsReport fromJson(JsonNode o) {
        if (!o.path("pid").canConvertToLong() || !o.path("started").isTextual()) {
            throw new IllegalArgumentException("not a ports report");
        }
        if (listener(o, "agi") == null || listener(o, "cluster") == null) {
            throw new IllegalArgumentException("a ports report without agi or cluster");
        }
        return new PortsReport(o.path("pid").asLong(), o.path("node").asText(""), o.path("version").asText(""),
                Instant.parse(o.path("started").asText()), listener(o, "agi"), listener(o, "http"),
                o.path("http").path("tls").asBoolean(false), listener(o, "http-redirect"), listener(o, "speech"),
                listener(o, "cluster"));
    }

    private static Listener listener(JsonNode o, String name) {
        JsonNode l = o.get(name);
        return l == null || !l.path("port").canConvertToInt() ? null : new Listener(l.path("host").asText(""), l.path("port").asInt());
    }
}
