package dev.ivr.server.journal.store;

import org.h2.tools.Server;
import org.junit.jupiter.api.Tag;

import java.nio.file.Path;

/** The journal contract on H2 in server mode behind a proxy. */
@Tag("integration")
class H2JournalIT extends JournalContract {
    @Override
    protected Served serve(Path dir) throws Exception {
        // port 0: H2 binds a free port itself (a port picked free and bound later can be taken in between)
        Server h2 = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        int served = h2.getPort();
        return new Served() {
            @Override
            public int port() {
                return served;
            }

            @Override
            public String url(int viaPort) {
                return "jdbc:h2:tcp://127.0.0.1:" + viaPort + "/journal;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
            }

            @Override
            public String user() {
                return "sa";
            }

            @Override
            public void close() {
                h2.stop();
            }
        };
    }
}
