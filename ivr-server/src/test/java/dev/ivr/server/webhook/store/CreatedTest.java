package dev.ivr.server.webhook.store;

import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.webhook.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A new subscription's secret is shown once, by the API or the command line, never by a {@code toString()}. */
class CreatedTest {
    @Test
    void theSecretIsNotInToString() {
        Subscription s = new Subscription("w1", "https://hooks.example.com/in", Set.of(JournalEvent.Type.values()[0]), null,
                "crm", Instant.parse("2026-12-06T20:00:00Z"), "admin");
        Webhooks.Created c = new Webhooks.Created(s, "s3cret-signing-key");
        assertThat(c.toString()).doesNotContain("s3cret").contains("secret=***", "https://hooks.example.com/in");
    }
}
