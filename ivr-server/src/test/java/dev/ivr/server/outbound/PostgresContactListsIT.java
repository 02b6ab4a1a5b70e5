package dev.ivr.server.outbound;

import dev.ivr.testsupport.PostgresServer;
import org.junit.jupiter.api.Tag;

/** CSV contact lists and segment refresh on Postgres. */
@Tag("integration")
class PostgresContactListsIT extends ContactListsContract {
    @Override
    protected String newDatabaseUrl() {
        return PostgresServer.get().newDatabase();
    }

    @Override
    protected String user() {
        return PostgresServer.USER;
    }
}
