package dev.ivr.server.outbound;

import org.junit.jupiter.api.Tag;

/** The calling rules on H2 (the default file database). */
@Tag("integration")
class H2CallingRulesIT extends CallingRulesContract {
    @Override
    protected String newDatabaseUrl() {
        return "";
    }

    @Override
    protected String user() {
        return "sa";
    }
}
