package dev.ivr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.ivr.server.cluster.ClusterSecret;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.webhook.SecretBox;
import dev.ivr.server.webhook.store.JdbcWebhooks;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** {@code ivr-server webhooks}: add (the secret once), list, dead letters and replay, remove, on a stopped server's database. */
@Tag("integration")
class WebhooksCliIT {
    @TempDir
    Path dir;
    StringWriter out;
    StringWriter err;
    private final Level rootLevel = root().getLevel();

    @AfterEach
    void restoreLogging() {
        root().setLevel(rootLevel);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = new CommandLine(new IvrCli());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void addListDeadLettersReplayRemove() throws Exception {
        Path config = dir.resolve("ivr.yaml");
        Files.writeString(config, "node:\n  data-dir: %s\nwebhooks:\n  allowed-hosts: [crm.example.com]\n"
                .formatted(dir.resolve("data")));
        String c = config.toString();
        assertThat(run("webhooks", "add", "http://crm.example.com/in", "--events", "call.ended", "-c", c)).isEqualTo(1);
        assertThat(err.toString()).contains("allow-http");
        assertThat(run("webhooks", "add", "https://crm.example.com/in", "--events", "call.nope", "-c", c)).isEqualTo(1);
        assertThat(err.toString()).contains("unknown event type");
        assertThat(run("webhooks", "add", "https://crm.example.com/in", "--events", "call.queued,call.ended",
                "--queue", "billing", "-c", c)).as(err.toString()).isZero();
        String id = out.toString().replaceAll("(?s).*webhook (wh_[0-9a-f]+) added.*", "$1");
        String secret = out.toString().replaceAll("(?s).*shown once, keep it for checking signatures\\): (\\S+).*", "$1");
        assertThat(secret).startsWith("whsec_");

        assertThat(run("webhooks", "list", "-c", c)).isZero();
        assertThat(out.toString()).contains(id, "https://crm.example.com/in", "events=call.queued,call.ended",
                "queue=billing", "pending=0 dead=0").doesNotContain(secret);

        IvrConfig cfg = ConfigLoader.load(config, Map.of());
        try (Database db = Database.open(cfg.database(), cfg.dataDir())) {
            assertThat(db.awaitReady(Duration.ofSeconds(30))).isTrue();
            JdbcWebhooks store = new JdbcWebhooks(db.dataSource());
            // the secret is sealed under the cluster secret, the one the server uses
            SecretBox box = new SecretBox(ClusterSecret.load(cfg.cluster(), cfg.dataDir()).derive(SecretBox.PURPOSE));
            assertThat(box.open(id, store.get(id).orElseThrow().sealedSecret())).isEqualTo(secret);
            JournalEvent ended = JournalEvent.of(Instant.now().plusSeconds(1), JournalEvent.Type.CALL_ENDED, "c1", "main",
                    null, "billing", null, null, "ROUTED", null, "n1");
            try (Connection conn = db.dataSource().getConnection()) {
                conn.setAutoCommit(false);
                store.fanOut(conn, List.of(ended));
                conn.commit();
            }
            Instant now = Instant.now();
            long delivery = store.claim("n1", now, now.plusSeconds(60), 1).getFirst().id();
            assertThat(store.dead(delivery, "n1", now, 500, "HTTP 500")).isTrue();
        }

        assertThat(run("webhooks", "dead-letters", id, "-c", c)).isZero();
        assertThat(out.toString()).contains("call.ended", "HTTP 500", "1 dead letter(s)");
        assertThat(run("webhooks", "replay", id, "-c", c)).isZero();
        assertThat(out.toString()).contains("1 dead letter(s) back in the queue");
        assertThat(run("webhooks", "list", "-c", c)).isZero();
        assertThat(out.toString()).contains("pending=1 dead=0");
        assertThat(run("webhooks", "remove", id, "-c", c)).isZero();
        assertThat(run("webhooks", "remove", id, "-c", c)).isEqualTo(1);
        assertThat(err.toString()).contains("no webhook " + id);
        assertThat(run("webhooks", "list", "-c", c)).isZero();
        assertThat(out.toString()).contains("no webhooks");
    }
}
