package dev.ivr.server.testing;

import dev.ivr.server.IvrServer;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.crm.csv.CustomerImport;
import dev.ivr.server.crm.phone.PhoneNumbers;
import dev.ivr.server.crm.pin.PinHasher;

import java.nio.file.Path;
import java.time.Clock;

/** The shipped sample customers ({@code config/sample-customers.csv}: Anna Kovács is C1001), for tests. */
public final class SampleCustomers {
    public static final Path FILE = Path.of("..", "config", "sample-customers.csv").toAbsolutePath().normalize();

    private SampleCustomers() {
    }

    /**
     * Imports them into a running server's database (ready), with its region and PIN hashing, as the
     * {@code import-customers} command does; every row must be taken.
     */
    public static CustomerImport.Report importInto(IvrServer server) throws CustomerImport.ImportFailed {
        IvrConfig config = server.config();
        CustomerImport.Report r = new CustomerImport(server.database().dataSource(), new PhoneNumbers(config.crm().region()),
                new PinHasher(config.crm().pinHash()), Clock.systemUTC())
                .run(FILE, new CustomerImport.Options(false, false), CustomerImport.Progress.NONE);
        if (!r.rejected().isEmpty()) {
            throw new AssertionError("sample customers rejected: " + r.rejected());
        }
        return r;
    }
}
