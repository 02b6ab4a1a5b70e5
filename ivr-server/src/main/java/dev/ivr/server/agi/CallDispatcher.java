package dev.ivr.server.agi;

import dev.ivr.server.call.CallChannel;
import dev.ivr.server.call.CallEnd;
import dev.ivr.server.call.CallFailedException;
import dev.ivr.server.call.CallHandler;
import dev.ivr.server.call.CallInfo;
import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.call.ScriptResolver;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import dev.ivr.server.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.regex.Pattern;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns each AGI request into a call: finds what serves the script name, runs it with the
 * call's id in the logging context, and ends the call cleanly whatever happens: a caller
 * hang-up, a broken connection, a bug in a flow. An unknown script name gets a log line,
 * {@code IVR_STATUS=NOT_FOUND} for the dialplan, which takes its fallback: the call is neither
 * answered nor hung up here. A call the server cannot run ends with {@code IVR_STATUS=FAILED}.
 */
final class CallDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(CallDispatcher.class);

    private final String nodeName;
    private final ScriptResolver scripts;
    private final AgiMetrics metrics;
    private final AtomicInteger activeCalls;

    CallDispatcher(String nodeName, ScriptResolver scripts, AgiMetrics metrics, AtomicInteger activeCalls) {
        this.nodeName = nodeName;
        this.scripts = scripts;
        this.metrics = metrics;
        this.activeCalls = activeCalls;
    }

    AgiScript scriptFor(AgiRequest request) {
        return (req, agi) -> serve(req, agi);
    }

    private void serve(AgiRequest request, AgiChannel agi) {
        AgiSocket socket = AgiSocket.current();
        CallInfo info = callInfo(request);
        MDC.put("call", LogText.callId(info.uniqueId()));
        activeCalls.incrementAndGet();
        long start = System.nanoTime();
        String outcome = "completed";
        CallChannel channel = new AgiCallChannel(info, agi, socket);
        try {
            channel.setVariable("IVR_NODE", nodeName);
            Optional<CallHandler> handler = validName(info.script()) ? scripts.resolve(info.script()) : Optional.empty();
            if (handler.isEmpty()) {
                outcome = "not_found";
                notFound(info, channel);
                return;
            }
            LOG.info("call from {} to {} on {} runs '{}'", printableAni(info), printable(info.dnis()), printable(info.channel()),
                    info.script());
            handler.get().handle(channel);
            if (channel.isHungUp() && socket.hangupReceived()) {
                outcome = "caller_hangup";
            }
        } catch (CallerHungUpException e) {
            outcome = "caller_hangup"; // the "call ended" line below says it
        } catch (CallFailedException e) {
            outcome = socket.protocolError() != null ? "protocol_error" : "failed";
            LOG.warn("call failed: {}", e.getMessage());
        } catch (Exception e) {
            outcome = "failed";
            LOG.error("call failed in '{}': {}", info.script(), e.toString(), e);
            failed(channel);
        } finally {
            // said once what the call's thread does after the connection's close (the journal's force of the call's
            // last events: CallEnd) is done, so that nothing reports the call ended before those events are on the device
            String how = outcome;
            long ms = (System.nanoTime() - start) / 1_000_000;
            CallEnd.later(() -> {
                // counted and said before the call stops being active: whoever waits for no call left (a drain, a
                // test reading ivr.calls) finds it counted
                try {
                    metrics.callEnded(how);
                    LOG.info("call ended: {} after {} ms", how, ms);
                } finally {
                    activeCalls.decrementAndGet(); // whatever the metrics did: a drain waits for this count
                }
            });
        }
    }

    /** The dialplan gets the call back with IVR_STATUS=NOT_FOUND (its fallback runs); the log says why. */
    private void notFound(CallInfo info, CallChannel channel) {
        String name = printable(info.script());
        Optional<String> refusal = validName(info.script()) ? scripts.refusal(info.script()) : Optional.empty();
        if (refusal.isPresent()) {
            LOG.warn("{}; IVR_STATUS=NOT_FOUND: the dialplan's fallback takes the call", refusal.get());
        } else {
            LOG.warn("no flow or script named '{}' (known: {}); IVR_STATUS=NOT_FOUND: the dialplan's fallback takes the call",
                    name, new TreeSet<>(scripts.names()));
        }
        try {
            channel.verbose("ivr: " + (refusal.isPresent() ? "flow '" + name + "' is refused" : "no flow named '" + name + "'")
                    + " on node " + nodeName + ": IVR_STATUS=NOT_FOUND", 1);
            channel.setVariable("IVR_STATUS", "NOT_FOUND");
        } catch (CallerHungUpException | CallFailedException e) {
            // the caller or PBX is gone already
        }
    }

    /** A bug or an unexpected state: the dialplan gets the call back with IVR_STATUS=FAILED (its fallback runs). */
    private static void failed(CallChannel channel) {
        try {
            channel.setVariable("IVR_STATUS", "FAILED");
        } catch (RuntimeException e) {
            // best effort
        }
    }

    private static final Pattern SCRIPT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern NOT_PRINTABLE = Pattern.compile("[^\\x20-\\x7e]");

    static boolean validName(String script) {
        return script != null && SCRIPT_NAME.matcher(script).matches() && !script.contains("..");
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        for (int i = 0; i < cut.length(); i++) {
            char ch = cut.charAt(i);
            if (ch < 0x20 || ch > 0x7e) {
                return NOT_PRINTABLE.matcher(cut).replaceAll("?");
            }
        }
        return cut; // the usual case: nothing to replace, nothing allocated
    }

    private static String printableAni(CallInfo info) {
        return info.aniWithheld() ? "withheld number" : printable(info.ani());
    }

    static CallInfo callInfo(AgiRequest request) {
        Map<String, String> env = request.getRequest();
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, String[]> params = request.getParameterMap();
        if (params != null) {
            params.forEach((k, v) -> query.put(k, v.length == 0 ? "" : v[0]));
        }
        String[] args = request.getArguments();
        String dnid = env.getOrDefault("dnid", "unknown");
        String dnis = dnid == null || dnid.equals("unknown") ? env.getOrDefault("extension", "") : dnid;
        String name = env.getOrDefault("calleridname", "");
        return new CallInfo(
                env.getOrDefault("uniqueid", "no-id-" + System.nanoTime()),
                request.getScript() == null ? "" : request.getScript(),
                query,
                args == null ? List.of() : Arrays.asList(args),
                env.getOrDefault("callerid", "unknown"),
                "unknown".equals(name) ? "" : name,
                dnis,
                env.getOrDefault("channel", ""),
                env.getOrDefault("language", "en"),
                env.getOrDefault("context", ""),
                env.getOrDefault("extension", ""),
                request.getRemoteAddress() == null ? "" : request.getRemoteAddress().getHostAddress());
    }
}
