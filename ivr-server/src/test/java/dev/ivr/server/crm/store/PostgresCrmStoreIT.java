package dev.ivr.server.crm.store;

import dev.ivr.testsupport.PostgresServer;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/** The CRM store contract on a real PostgreSQL server (started by the test, see {@link PostgresServer}). */
@Tag("integration")
class PostgresCrmStoreIT extends CrmStoreContract {
    @Override
    protected String newDatabaseUrl() {
        return PostgresServer.get().newDatabase();
    }

    @Override
    protected String user() {
        return PostgresServer.USER;
    }

    @Override
    protected Served serve(Path dir) {
        PostgresServer pg = PostgresServer.get();
        String url = pg.newDatabase();
        String name = url.substring(url.lastIndexOf('/') + 1);
        return new Served() {
            @Override
            public int port() {
                return pg.port();
            }

            @Override
            public String url(int viaPort) {
                return PostgresServer.url(viaPort, name);
            }

            @Override
            public void close() {
                // the database goes with the throwaway server
            }
        };
    }
}
