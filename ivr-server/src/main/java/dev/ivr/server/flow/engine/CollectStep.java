package dev.ivr.server.flow.engine;

import dev.ivr.server.flow.expr.EvalException;
import dev.ivr.server.flow.model.Node;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code collect} node: digits after a prompt, checked (length, pattern, Luhn, condition) before they go
 * into the call's inputs (masked when secret); silence or invalid digits are reprompted until the retries are used up.
 */
final class CollectStep {
    private static final Logger LOG = LoggerFactory.getLogger(FlowEngine.class);

    @SuppressWarnings("try") // the pause is held, not used
    Next run(Node.Collect n, FlowEngine.Run run) {
        int failures = 0;
        while (true) {
            String value;
            if (n.secret()) { // a PIN or a card number: never in a call recording
                try (var paused = run.pauseRecording()) {
                    value = run.digits(n.prompt(), n.bargeIn(), n.maxLength(), n.terminator(), n.timeout(),
                            n.interDigitTimeout(), n);
                }
            } else {
                value = run.digits(n.prompt(), n.bargeIn(), n.maxLength(), n.terminator(), n.timeout(),
                        n.interDigitTimeout(), n);
            }
            String problem = value.isEmpty() ? null : invalid(n, value, run.st);
            if (!value.isEmpty() && problem == null) {
                run.st.inputs.input(n.into(), value, n.secret());
                run.observer.event("collected " + n.into() + " = " + (n.secret() ? CallState.MASK : value));
                return Next.to(n.next());
            }
            Node.Reprompt r = value.isEmpty() ? n.noInput() : n.invalid();
            run.observer.event(value.isEmpty() ? "no input" : "invalid input (" + problem + ")");
            Next after = run.afterFailure(++failures, n.retries(), n.fallback(), r, n);
            if (after != null) {
                return after;
            }
        }
    }

    private static String invalid(Node.Collect n, String value, CallState st) {
        if (value.length() < n.minLength()) {
            return "shorter than " + n.minLength();
        }
        if (n.pattern() != null && !n.pattern().matcher(value).matches()) {
            return "does not match the pattern";
        }
        if (n.luhn() && !Luhn.valid(value)) {
            return "fails the Luhn check";
        }
        if (n.condition() != null) {
            Map<String, Object> a = st.activation();
            a.put("value", value);
            try {
                if (!n.condition().test(a)) {
                    return "fails the condition";
                }
            } catch (EvalException e) {
                LOG.warn("[{}] validation condition failed: {}", n.id(), e.getMessage());
                return "fails the condition";
            }
        }
        return null;
    }
}
