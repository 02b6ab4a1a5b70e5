package dev.ivr.server.cli;

import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.db.Database;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What would make a start fail after many seconds and many lines, checked before anything
 * starts: the ports the server listens on and the lock of the embedded H2 database. Each
 * problem is one line that says what to do.
 */
final class Preflight {
    private Preflight() {
    }

    /** Problems that keep a server with this configuration from starting here, now. */
    static List<String> forRun(IvrConfig cfg) {
        List<String> problems = new ArrayList<>();
        h2InUse(cfg).ifPresent(problems::add);
        port(cfg.agi().bind(), cfg.agi().port(), "agi.port").ifPresent(problems::add);
        if (cfg.http().enabled()) {
            port(cfg.http().bind(), cfg.http().port(), "http.port").ifPresent(problems::add);
        }
        if (cfg.speech().enabled()) {
            port(cfg.speech().bind(), cfg.speech().port(), "speech.port").ifPresent(problems::add);
        }
        return problems;
    }

    /** The embedded H2 database is open in another process: a tool or a second server would wait, retry, then fail. */
    static java.util.Optional<String> h2InUse(IvrConfig cfg) {
        Path h2 = Database.h2File(cfg.database(), cfg.dataDir());
        if (!Database.h2FileInUse(h2)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the database " + h2 + " is open in another process (a running ivr server?): an H2"
                + " file database has one user at a time; stop that process, give this one its own node.data-dir ("
                + ConfigLoader.envName("node.data-dir") + "), or use the running server's REST API");
    }

    private static java.util.Optional<String> port(String bind, int port, String key) {
        if (port <= 0) {
            return java.util.Optional.empty();
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(bind, port));
            return java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.of("port " + port + " (" + key + ") on " + bind + " is in use (another ivr server?"
                    + " `ss -ltnp 'sport = :" + port + "'` shows which process): stop it, or set " + key + " ("
                    + ConfigLoader.envName(key) + ")");
        }
    }
}
