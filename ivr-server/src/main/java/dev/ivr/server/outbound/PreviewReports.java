package dev.ivr.server.outbound;

import dev.ivr.server.call.CallChannel;
import dev.ivr.server.call.CallHandler;
import dev.ivr.server.call.ScriptResolver;
import dev.ivr.server.routing.AgentPreviews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The dialplan's report on a preview's call to the customer, {@value #SCRIPT}: run by the hangup handler of the
 * agent's channel (so also when the agent hangs up first) with Dial's {@code DIALSTATUS}; any server of the cluster
 * may get it. Acts only on a valid signed {@code IVR_CONTEXT} of an accepted preview, once; sets {@code IVR_STATUS}
 * to the recorded result, or UNKNOWN.
 */
public final class PreviewReports implements ScriptResolver {
    private static final Logger LOG = LoggerFactory.getLogger(PreviewReports.class);
    public static final String SCRIPT = "campaign-preview-result";
    private static final Map<String, String> RESULTS = Map.of("ANSWER", "answered", "BUSY", "busy", "NOANSWER", "no-answer",
            "CANCEL", "no-answer", "CONGESTION", "congestion", "CHANUNAVAIL", "failed");

    private final Supplier<AgentPreviews> previews;
    private final PreviewStore store;

    public PreviewReports(Supplier<AgentPreviews> previews, javax.sql.DataSource dataSource) {
        this.previews = previews;
        this.store = new PreviewStore(dataSource);
    }

    @Override
    public Optional<CallHandler> resolve(String script) {
        return SCRIPT.equals(script) ? Optional.of(this::report) : Optional.empty();
    }

    @Override
    public Collection<String> names() {
        return List.of(SCRIPT);
    }

    /** Dial's status as an attempt's result: CANCEL (the agent hung up while it rang) is no answer; anything else failed. */
    static String result(String dialStatus) {
        return RESULTS.getOrDefault(dialStatus.toUpperCase(Locale.ROOT), "failed");
    }

    private void report(CallChannel ch) throws SQLException {
        AgentPreviews p = previews.get();
        Optional<String> callId = p == null ? Optional.empty()
                : ch.getVariable(AgentPreviews.CONTEXT_VARIABLE).flatMap(p::verify);
        Optional<Long> attempt = callId.filter(id -> id.matches("preview-[0-9]{1,18}"))
                .map(id -> Long.parseLong(id.substring("preview-".length())));
        if (attempt.isEmpty()) {
            LOG.warn("{} without a valid {} on {}: ignored", SCRIPT, AgentPreviews.CONTEXT_VARIABLE, ch.info().channel());
            ch.setVariable("IVR_STATUS", "UNKNOWN");
            return;
        }
        String status = ch.getVariable("DIALSTATUS").orElse("");
        String result = result(status);
        boolean recorded = store.reported(attempt.get(), result);
        LOG.info("preview {}: the customer's line answered {} ({}){}", callId.get(), status.isEmpty() ? "(no status)" : status,
                result, recorded ? "" : ": not recorded (reported already, or not an accepted preview)");
        ch.setVariable("IVR_STATUS", recorded ? result.toUpperCase(Locale.ROOT) : "UNKNOWN");
    }
}
