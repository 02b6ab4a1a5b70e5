package dev.ivr.server.webhook.delivery;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** The delivery queue on the embedded H2 file database. */
class H2WebhookQueueTest extends WebhookQueueContract {
    @TempDir
    Path tmp;

    @Override
    protected Database open() {
        return Database.open(new DatabaseConfig("", "sa", "", 5, 2, Duration.ofMillis(500)), tmp);
    }
}
