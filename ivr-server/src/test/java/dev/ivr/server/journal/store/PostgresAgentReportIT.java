package dev.ivr.server.journal.store;

import dev.ivr.testsupport.PostgresServer;
import org.junit.jupiter.api.Tag;

import java.nio.file.Path;

/** The agent and campaign reports summed by a real PostgreSQL server, by hand and against the in-memory calculation. */
@Tag("integration")
class PostgresAgentReportIT extends AgentReportContract {
    @Override
    protected String[] database(Path dir) {
        return new String[] {PostgresServer.get().newDatabase(), PostgresServer.USER};
    }
}
