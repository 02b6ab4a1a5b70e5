package dev.ivr.server.flow.engine;

import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.model.Node;
import java.util.Locale;

/** The {@code hangup} node: the call's outcome (its own, or self-served) goes to the dialplan, then the line is cleared. */
final class HangupStep {

    Next run(Node.Hangup n, FlowEngine.Run run) {
        CallState st = run.st;
        if (n.outcome() != null) {
            st.disposition.outcome(Interaction.Outcome.valueOf(n.outcome().toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        run.observer.event("hangs up");
        finishOutcomeBeforeHangup(run);
        run.channel.hangup();
        return Next.END;
    }

    private static void finishOutcomeBeforeHangup(FlowEngine.Run run) {
        CallState st = run.st;
        st.disposition.outcomeUnlessSet(Interaction.Outcome.SELF_SERVED);
        try {
            run.channel.setVariable("IVR_OUTCOME", st.disposition.outcome.name());
            run.channel.setVariable("IVR_STATUS", "OK");
        } catch (CallerHungUpException e) {
            // gone already
        }
    }
}
