package dev.ivr.server.outbound;

import dev.ivr.testsupport.PostgresServer;
import org.junit.jupiter.api.Tag;

/** The calling rules on a real PostgreSQL server. */
@Tag("integration")
class PostgresCallingRulesIT extends CallingRulesContract {
    @Override
    protected String newDatabaseUrl() {
        return PostgresServer.get().newDatabase();
    }

    @Override
    protected String user() {
        return PostgresServer.USER;
    }
}
