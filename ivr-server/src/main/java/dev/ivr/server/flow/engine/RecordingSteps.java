package dev.ivr.server.flow.engine;

import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.model.Node;

/** The nodes that end in Asterisk's own recording: {@code voicemail} and {@code record}. */
final class RecordingSteps {

    Next voicemail(Node.Voicemail n, FlowEngine.Run run) {
        String box = FlowEngine.safe(run.render(n.mailbox(), n), "[A-Za-z0-9_@.-]+");
        run.observer.event("voicemail " + box);
        int r = run.channel.exec("VoiceMail", box + (n.options().isEmpty() ? "" : "," + n.options()));
        run.st.disposition.outcome(Interaction.Outcome.VOICEMAIL);
        if (r == -1 || n.next() == null) {
            return Next.END;
        }
        return Next.to(n.next());
    }

    Next record(Node.Record n, FlowEngine.Run run) {
        if (n.prompt() != null) {
            run.say(n.prompt(), "", n);
        }
        String fallback = "ivr/recordings/" + run.st.info.uniqueId() + "-" + n.into();
        String file = n.file() == null ? fallback : FlowEngine.safe(run.render(n.file(), n), "[A-Za-z0-9_/.-]+");
        if (file.contains("..")) {
            file = fallback;
        }
        run.channel.record(file, n.format(), "#", n.maxDuration(), n.silence(), n.beep());
        run.st.inputs.input(n.into(), file + "." + n.format(), false);
        run.observer.event("recorded " + file + "." + n.format());
        return Next.to(n.next());
    }
}
