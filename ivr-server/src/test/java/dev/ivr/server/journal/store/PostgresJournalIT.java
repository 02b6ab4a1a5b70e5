package dev.ivr.server.journal.store;

import dev.ivr.testsupport.PostgresServer;
import org.junit.jupiter.api.Tag;

import java.nio.file.Path;

/** The journal contract on a real PostgreSQL server. */
@Tag("integration")
class PostgresJournalIT extends JournalContract {
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
            public String user() {
                return PostgresServer.USER;
            }

            @Override
            public void close() {
                // the database goes with the throwaway server
            }
        };
    }
}
