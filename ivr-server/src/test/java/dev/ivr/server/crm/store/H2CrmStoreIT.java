package dev.ivr.server.crm.store;

import org.h2.tools.Server;

import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/** The CRM store contract on H2: the default embedded file database (and H2 in server mode behind a proxy). */
@Tag("integration")
class H2CrmStoreIT extends CrmStoreContract {
    @Override
    protected String newDatabaseUrl() {
        return ""; // the server's default: an H2 file database under <data-dir>/db, created on first start
    }

    @Override
    protected String user() {
        return "sa";
    }

    @Override
    protected Served serve(Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Server h2 = Server.createTcpServer("-tcpPort", String.valueOf(port), "-baseDir", dir.toString(), "-ifNotExists")
                .start();
        int served = h2.getPort();
        return new Served() {
            @Override
            public int port() {
                return served;
            }

            @Override
            public String url(int viaPort) {
                return "jdbc:h2:tcp://127.0.0.1:" + viaPort + "/crm;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
            }

            @Override
            public void close() {
                h2.stop();
            }
        };
    }
}
