package dev.ivr.server.outbound;

import dev.ivr.server.call.CallInfo;
import dev.ivr.server.flow.engine.CallObserver;
import dev.ivr.server.flow.engine.CallSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * Consent withdrawn in a flow ("press 9 to stop these calls"): when a call ends with the flow
 * variable {@value #VARIABLE} set (a {@code set} node: {@code vars: {opt_out: "'campaign'"}}), the
 * customer's number goes on the do-not-call list with the campaign and the call id. The value
 * says which list: {@code "campaign"} the list of the campaign that called (from the call's
 * {@code campaign} query parameter), {@code true} or {@code "all"} the list of every campaign.
 * The number is the campaign contact's (the called customer), else the caller's number (an
 * inbound caller who asks not to be called). One recorder per call.
 */
public final class OptOutRecorder implements CallObserver {
    /** The flow variable that withdraws consent. */
    public static final String VARIABLE = "opt_out";
    private static final Logger LOG = LoggerFactory.getLogger(OptOutRecorder.class);

    private final DncList dnc;
    private final DataSource dataSource;
    private final Clock clock;
    private CallInfo call;

    public OptOutRecorder(DncList dnc, DataSource dataSource, Clock clock) {
        this.dnc = dnc;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public void started(CallInfo info, String flow, boolean resumed) {
        this.call = info;
    }

    @Override
    public void ended(CallSummary summary) {
        Object v = summary.variables().get(VARIABLE);
        if (call == null || v == null || Boolean.FALSE.equals(v) || "".equals(v) || "false".equals(v)) {
            return;
        }
        String value = v.toString().toLowerCase(Locale.ROOT);
        String campaign = call.query().get("campaign");
        String customer = call.query().get("customer");
        boolean every = !"campaign".equals(value) || campaign == null || campaign.isBlank();
        try {
            Optional<String> number = contactNumber(campaign, customer)
                    .or(() -> call.aniWithheld() ? Optional.empty() : dnc.e164(call.ani()));
            if (number.isEmpty()) {
                LOG.warn("opt-out: no number to put on the do-not-call list (withheld, and no campaign contact)");
                return;
            }
            boolean added = dnc.optOut(number.get(), campaign, every, call.uniqueId(), customer, clock.instant());
            LOG.info("opt-out: the customer's number {} the do-not-call list of {}", added ? "is now on" : "was already on",
                    every ? "every campaign" : "campaign " + campaign);
        } catch (SQLException e) {
            LOG.error("opt-out NOT recorded: the database failed ({}); the customer asked not to be called", e.getSQLState());
        } catch (IllegalArgumentException e) {
            LOG.warn("opt-out not recorded: {}", e.getMessage());
        }
    }

    private Optional<String> contactNumber(String campaign, String customer) throws SQLException {
        if (campaign == null || customer == null) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select phone from campaign_contacts where campaign = ? and customer_id = ?")) {
            ps.setString(1, campaign);
            ps.setString(2, customer);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
