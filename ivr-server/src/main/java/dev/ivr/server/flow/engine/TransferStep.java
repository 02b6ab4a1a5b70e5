package dev.ivr.server.flow.engine;

import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.model.Node;

/** The {@code transfer} node: Dial to a dialplan extension; an answered transfer ends the flow as TRANSFERRED. */
final class TransferStep {

    Next run(Node.Transfer n, FlowEngine.Run run) {
        CallState st = run.st;
        String to = FlowEngine.safe(run.render(n.to(), n), "[A-Za-z0-9*#+_-]+");
        run.observer.event("transfer to " + to + "@" + n.context());
        int r = run.channel.exec("Dial", "Local/" + to + "@" + n.context() + "," + Math.max(1, n.timeout().toSeconds()));
        String status;
        try {
            status = run.channel.getVariable("DIALSTATUS").orElse("");
        } catch (CallerHungUpException e) {
            status = ""; // the caller's channel is gone and the PBX no longer answers: the outcome is unknown
        }
        run.observer.event("dial status " + (status.isEmpty() ? "unknown" : status));
        run.observer.transferred(to + "@" + n.context(), status);
        if (status.equals("ANSWER")) {
            st.disposition.outcome(Interaction.Outcome.TRANSFERRED);
            // Dial answers -1 also when the far end hung up first (no option g): only a caller who is gone ends here
            return run.channel.isHungUp() || n.next() == null ? Next.END : Next.to(n.next());
        }
        if (r == -1) {
            throw new CallerHungUpException();
        }
        if (n.onFailure() != null) {
            return Next.to(n.onFailure());
        }
        st.disposition.outcome(Interaction.Outcome.FAILED);
        return Next.END;
    }
}
