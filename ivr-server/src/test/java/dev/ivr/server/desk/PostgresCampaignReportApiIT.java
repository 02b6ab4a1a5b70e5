package dev.ivr.server.desk;

import dev.ivr.testsupport.PostgresServer;
import java.util.Map;
import org.junit.jupiter.api.Tag;

/** The campaign report over HTTP on a real PostgreSQL server. */
@Tag("integration")
class PostgresCampaignReportApiIT extends CampaignReportApiContract {
    @Override
    protected Map<String, String> database() {
        return Map.of("IVR_DATABASE_URL", PostgresServer.get().newDatabase(), "IVR_DATABASE_USER", PostgresServer.USER);
    }
}
