package dev.ivr.server.crm.segment;

import dev.ivr.testsupport.PostgresServer;
import org.junit.jupiter.api.Tag;

/** Segments on a real PostgreSQL server. */
@Tag("integration")
class PostgresSegmentsIT extends SegmentsContract {
    @Override
    protected String newDatabaseUrl() {
        return PostgresServer.get().newDatabase();
    }

    @Override
    protected String user() {
        return PostgresServer.USER;
    }
}
