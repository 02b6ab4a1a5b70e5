package dev.ivr.server.webhook.delivery;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.testsupport.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/** The delivery queue on a real PostgreSQL server. */
@Tag("integration")
class PostgresWebhookQueueIT extends WebhookQueueContract {
    @TempDir
    Path tmp;

    @Override
    protected Database open() {
        return Database.open(new DatabaseConfig(PostgresServer.get().newDatabase(), PostgresServer.USER, "", 5, 2,
                Duration.ofMillis(500)), tmp);
    }
}
