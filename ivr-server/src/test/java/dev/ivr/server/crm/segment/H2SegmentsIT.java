package dev.ivr.server.crm.segment;

import org.junit.jupiter.api.Tag;

/** Segments on H2 (the default file database). */
@Tag("integration")
class H2SegmentsIT extends SegmentsContract {
    @Override
    protected String newDatabaseUrl() {
        return "";
    }

    @Override
    protected String user() {
        return "sa";
    }
}
