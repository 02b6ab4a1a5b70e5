package dev.ivr.server.desk;

import java.util.Map;
import org.junit.jupiter.api.Tag;

/** The campaign report over HTTP on the default H2 file database. */
@Tag("integration")
class H2CampaignReportApiIT extends CampaignReportApiContract {
    @Override
    protected Map<String, String> database() {
        return Map.of();
    }
}
