package dev.ivr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.cluster.ClusterSecret;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.webhook.SecretBox;
import dev.ivr.server.webhook.store.JdbcWebhooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code ivr-server webhooks}: add (the secret once), list, dead letters and replay, remove, on a stopped server's database. */
@Tag("integration")
class WebhooksCliIT {
    @TempDir
    Path dir;
    @RegisterExtension
    final CliRunner cli = new CliRunner();

    @Test
    void addListDeadLettersReplayRemove() throws Exception {
        Path config = dir.resolve("ivr.yaml");
        Files.writeString(config, "node:\n  data-dir: %s\nwebhooks:\n  allowed-hosts: [crm.example.com]\n"
                .formatted(dir.resolve("data")));
        String c = config.toString();
        assertThat(cli.run("webhooks", "add", "http://crm.example.com/in", "--events", "call.ended", "-c", c)).isEqualTo(1);
        assertThat(cli.err()).contains("allow-http");
        assertThat(cli.run("webhooks", "add", "https://crm.example.com/in", "--events", "call.nope", "-c", c)).isEqualTo(1);
        assertThat(cli.err()).contains("unknown event type");
        assertThat(cli.run("webhooks", "add", "https://crm.example.com/in", "--events", "call.queued,call.ended",
                "--queue", "billing", "-c", c)).as(cli.err()).isZero();
        String id = cli.out().replaceAll("(?s).*webhook (wh_[0-9a-f]+) added.*", "$1");
        String secret = cli.out().replaceAll("(?s).*shown once, keep it for checking signatures\\): (\\S+).*", "$1");
        assertThat(secret).startsWith("whsec_");

        assertThat(cli.run("webhooks", "list", "-c", c)).isZero();
        assertThat(cli.out()).contains(id, "https://crm.example.com/in", "events=call.queued,call.ended",
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

        assertThat(cli.run("webhooks", "dead-letters", id, "-c", c)).isZero();
        assertThat(cli.out()).contains("call.ended", "HTTP 500", "1 dead letter(s)");
        assertThat(cli.run("webhooks", "replay", id, "-c", c)).isZero();
        assertThat(cli.out()).contains("1 dead letter(s) back in the queue");
        assertThat(cli.run("webhooks", "list", "-c", c)).isZero();
        assertThat(cli.out()).contains("pending=1 dead=0");
        assertThat(cli.run("webhooks", "remove", id, "-c", c)).isZero();
        assertThat(cli.run("webhooks", "remove", id, "-c", c)).isEqualTo(1);
        assertThat(cli.err()).contains("no webhook " + id);
        assertThat(cli.run("webhooks", "list", "-c", c)).isZero();
        assertThat(cli.out()).contains("no webhooks");
    }
}
