package dev.ivr.server.journal.store;

import org.junit.jupiter.api.Tag;

import java.nio.file.Path;

/** The agent and campaign reports summed by H2 (the default file database), by hand and against the in-memory calculation. */
@Tag("integration")
class H2AgentReportIT extends AgentReportContract {
    @Override
    protected String[] database(Path dir) {
        return new String[] {"", "sa"};
    }
}
