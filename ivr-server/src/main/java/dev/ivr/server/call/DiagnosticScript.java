package dev.ivr.server.call;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * {@code agi://ivr:4573/diag}: the first thing an admin wires to test the dialplan. Answers,
 * writes a line to the Asterisk console, sets {@code IVR_STATUS=OK} and {@code IVR_NODE},
 * tells the caller the server is reachable and which node took the call (text to speech when
 * available, else a beep and the node name spelled with Asterisk's own sounds), hangs up.
 */
public final class DiagnosticScript implements CallHandler {
    public static final String NAME = "diag";
    private static final Logger LOG = LoggerFactory.getLogger(DiagnosticScript.class);

    private final String nodeName;
    private final String version;
    private final IntSupplier activeCalls;
    private final Speaker speaker;

    public DiagnosticScript(String nodeName, String version, IntSupplier activeCalls, Speaker speaker) {
        this.nodeName = nodeName;
        this.version = version;
        this.activeCalls = activeCalls;
        this.speaker = speaker;
    }

    @Override
    public void handle(CallChannel channel) {
        CallInfo info = channel.info();
        channel.answer();
        String line = "ivr diag: node " + nodeName + " (ivr " + version + ") took call " + info.uniqueId()
                + " from " + (info.aniWithheld() ? "a withheld number" : info.ani()) + " via " + info.pbx()
                + "; calls in progress: " + activeCalls.getAsInt();
        channel.verbose(line, 1);
        LOG.info(line);
        channel.setVariable("IVR_STATUS", "OK");
        String spoken = "The I V R server is reachable. Node " + spell(nodeName) + " took this call.";
        Optional<String> file = speaker.fileFor(spoken, info.language());
        if (file.isPresent()) {
            channel.play(file.get(), "");
        } else {
            channel.play("beep", "");
            channel.sayAlpha(nodeName, "");
        }
        channel.hangup();
    }

    /** "ivr-1" reads better to a TTS voice as "i v r 1". */
    private static String spell(String name) {
        return String.join(" ", name.replaceAll("[^A-Za-z0-9]", " ").split("")).replaceAll("\\s+", " ").trim();
    }
}
