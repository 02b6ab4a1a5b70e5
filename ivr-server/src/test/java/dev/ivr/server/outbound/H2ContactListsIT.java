package dev.ivr.server.outbound;

import org.junit.jupiter.api.Tag;

/** CSV contact lists and segment refresh on H2. */
@Tag("integration")
class H2ContactListsIT extends ContactListsContract {
    @Override
    protected String newDatabaseUrl() {
        return "";
    }

    @Override
    protected String user() {
        return "sa";
    }
}
