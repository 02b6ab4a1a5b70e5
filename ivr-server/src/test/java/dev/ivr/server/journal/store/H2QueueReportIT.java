package dev.ivr.server.journal.store;

import org.junit.jupiter.api.Tag;

import java.nio.file.Path;

/** The queue report summed by H2 (the default file database) against the in-memory calculation. */
@Tag("integration")
class H2QueueReportIT extends QueueReportContract {
    @Override
    protected String[] database(Path dir) {
        return new String[] {"", "sa"};
    }
}
