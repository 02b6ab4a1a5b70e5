package dev.ivr.server.crm.outbox;

import dev.ivr.server.crm.Interaction;
import dev.ivr.server.outbox.Outbox;

import java.nio.file.Path;

/**
 * Interactions that could not be written to the database, kept on local disk until it is back
 * (segment files {@code interactions-*.jsonl}; see {@link Outbox}). The sink must be idempotent
 * on the call id.
 */
public final class InteractionOutbox extends Outbox<Interaction> {
    /** Opens (creating if needed) the outbox in {@code dir}; segments left by a previous run are pending. */
    public InteractionOutbox(Path dir) {
        super(dir, "interactions-", Interaction.class, Interaction::callId, "interaction(s)");
    }
}
