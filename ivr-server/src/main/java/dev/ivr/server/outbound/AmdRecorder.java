package dev.ivr.server.outbound;

import dev.ivr.server.call.CallInfo;
import dev.ivr.server.flow.engine.CallObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Records a campaign call's answering machine detection in its attempt: the ivr-outbound dialplan
 * runs {@code AMD()} on the answered leg and starts the campaign's flow with {@code campaign},
 * {@code customer}, {@code attempt}, {@code amd} ({@code AMDSTATUS}) and {@code amdcause}
 * ({@code AMDCAUSE}) in the AGI URL's query; when such a call starts, the result goes into
 * {@code campaign_attempts} ({@link CampaignStore#recordAmd}: the open attempt of that number whose
 * call this is). Values other than Asterisk's are not stored. One recorder per call.
 */
public final class AmdRecorder implements CallObserver {
    private static final Logger LOG = LoggerFactory.getLogger(AmdRecorder.class);
    /** What app_amd sets AMDSTATUS to. */
    static final Set<String> STATUSES = Set.of("HUMAN", "MACHINE", "NOTSURE", "HANGUP");
    /** AMDCAUSE: a word and its figures, e.g. TOOLONG-5000, INITIALSILENCE-2500-2500, HUMAN-300-300, MAXWORDS-3-3. */
    private static final Pattern CAUSE = Pattern.compile("[A-Z]{2,20}(-[0-9]{1,6}){0,3}");

    private final CampaignStore store;

    public AmdRecorder(CampaignStore store) {
        this.store = store;
    }

    /** The AMD result of a call's query, when it is a campaign call that ran AMD(). */
    record Detection(String campaign, String customer, int attempt, String status, String cause) {
    }

    static Optional<Detection> detection(Map<String, String> query) {
        String campaign = query.get("campaign");
        String customer = query.get("customer");
        String attempt = query.get("attempt");
        String amd = query.get("amd");
        if (campaign == null || customer == null || attempt == null || amd == null
                || !attempt.matches("[0-9]{1,4}") || customer.isBlank() || customer.length() > 64 || campaign.length() > 64) {
            return Optional.empty();
        }
        String status = amd.strip().toUpperCase(Locale.ROOT);
        if (!STATUSES.contains(status)) {
            return Optional.empty();
        }
        String cause = query.get("amdcause");
        cause = cause == null ? null : cause.strip().toUpperCase(Locale.ROOT);
        if (cause != null && !CAUSE.matcher(cause).matches()) {
            cause = null; // not Asterisk's: the status alone is kept
        }
        return Optional.of(new Detection(campaign, customer, Integer.parseInt(attempt), status, cause));
    }

    @Override
    public void started(CallInfo call, String flow, boolean resumed) {
        if (resumed) {
            return; // recorded where the call started
        }
        Optional<Detection> d = detection(call.query());
        if (d.isEmpty()) {
            return;
        }
        Detection x = d.get();
        try {
            if (!store.recordAmd(x.campaign(), x.customer(), x.attempt(), call.uniqueId(), x.status(), x.cause())) {
                LOG.warn("campaign call: AMD {} not recorded: no open attempt {} of that customer in that campaign for this call",
                        x.status(), x.attempt());
            }
        } catch (SQLException e) {
            LOG.warn("campaign call: AMD {} not recorded: the database failed ({})", x.status(), e.getSQLState());
        }
    }
}
