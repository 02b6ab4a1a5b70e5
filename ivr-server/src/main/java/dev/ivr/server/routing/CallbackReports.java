package dev.ivr.server.routing;

import dev.ivr.server.call.CallChannel;
import dev.ivr.server.call.CallHandler;
import dev.ivr.server.call.ScriptResolver;
import dev.ivr.server.callcontext.ContextTokens;
import dev.ivr.server.routing.CallbackEntry.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The dialplan's report on a callback's call to the customer, {@value #CALLBACK_RESULT}: run after the callback
 * context's {@code Dial} on the agent's channel (any server of the cluster may get it), with {@code DIALSTATUS}.
 * Busy, no answer, congestion and an unavailable channel schedule the next try after the retry delay, until the
 * callback's attempts are used up (then it failed). Reads {@code IVR_CONTEXT} and acts only when its signature is
 * right; sets {@code IVR_STATUS} to RETRY, FAILED, COMPLETED or UNKNOWN.
 */
final class CallbackReports implements ScriptResolver {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackReports.class);
    static final String CALLBACK_RESULT = "callback-result";
    private static final Set<String> RETRIED = Set.of("BUSY", "NOANSWER", "CONGESTION", "CHANUNAVAIL");

    private final CallbackDispatcher callbacks;
    private final ContextTokens tokens;
    private final Duration retryDelay;
    private final Clock clock;

    CallbackReports(CallbackDispatcher callbacks, ContextTokens tokens, Duration retryDelay, Clock clock) {
        this.callbacks = callbacks;
        this.tokens = tokens;
        this.retryDelay = retryDelay;
        this.clock = clock;
    }

    @Override
    public Optional<CallHandler> resolve(String script) {
        return CALLBACK_RESULT.equals(script) ? Optional.of(this::result) : Optional.empty();
    }

    @Override
    public Collection<String> names() {
        return List.of(CALLBACK_RESULT);
    }

    private void result(CallChannel ch) {
        Optional<String> id = ch.getVariable(AgentLeg.CONTEXT).flatMap(tokens::verify);
        if (id.isEmpty() || callbacks.get(id.get()) == null) {
            LOG.warn("{} without a valid {} on {}: ignored", CALLBACK_RESULT, AgentLeg.CONTEXT, ch.info().channel());
            ch.setVariable(AgentLeg.STATUS, "UNKNOWN");
            return;
        }
        String status = ch.getVariable("DIALSTATUS").orElse("").toUpperCase(java.util.Locale.ROOT);
        long now = clock.millis();
        if (!RETRIED.contains(status)) {
            // the agent answered (the dialplan got this far): an entry still DIALING (its owner has not heard of the
            // answer, or died) is CONNECTED from now on, so that a server taking it over never dials it again
            callbacks.update(id.get(), false, e -> e.state() == State.DIALING ? e.connected(now) : null);
            ch.setVariable(AgentLeg.STATUS, "COMPLETED");
            LOG.info("callback {}: the customer's line answered {}", id.get(), status.isEmpty() ? "(no status)" : status);
            return;
        }
        CallbackEntry next = callbacks.update(id.get(), false, current -> {
            // DIALING: the agent answered before its owner heard of it (or the owner died): this attempt counts
            CallbackEntry e = current.state() == State.DIALING ? current.connected(now) : current;
            return e.state() != State.CONNECTED ? null
                    : e.attempts() < e.maxAttempts()
                    ? e.retryAt(now + retryDelay.toMillis(), "customer " + status.toLowerCase(java.util.Locale.ROOT), now)
                    : e.with(State.FAILED, "customer " + status.toLowerCase(java.util.Locale.ROOT) + " after "
                    + e.attempts() + " attempt(s)", now);
        });
        if (next == null) {
            ch.setVariable(AgentLeg.STATUS, "UNKNOWN");
            return;
        }
        boolean retry = next.state() == State.SCHEDULED;
        ch.setVariable(AgentLeg.STATUS, retry ? "RETRY" : "FAILED");
        LOG.info("callback {}: customer {} ({} of {} attempts){}", id.get(), status, next.attempts(), next.maxAttempts(),
                retry ? ": tried again in " + retryDelay.toSeconds() + " s" : ": given up");
    }
}
