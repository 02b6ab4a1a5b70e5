package dev.ivr.loadgen.baseline;

import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiHangupException;
import org.asteriskjava.fastagi.command.GetDataCommand;
import org.asteriskjava.fastagi.reply.AgiReply;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.BaseAgiScript;

/**
 * The load generator's simple flow ({@code bench/flows/simple.yaml}) written by hand against the
 * AgiChannel API: the same AGI commands, with the same arguments, in the same order, for any
 * caller (retries and reprompts included). What the ivr server does besides (checkpoints,
 * metrics, logs, the contact-history record) is what this script leaves out.
 */
final class SimpleScript extends BaseAgiScript {
    private static final String KEYS = StockPrompts.ALL_KEYS;
    private final String nodeName;

    SimpleScript(String nodeName) {
        this.nodeName = nodeName;
    }

    @Override
    public void service(AgiRequest request, AgiChannel channel) throws AgiException {
        channel.setVariable("IVR_NODE", nodeName);
        channel.answer();
        channel.streamFile("bench/welcome", "");
        if (menu(channel) != 0) {
            String code = code(channel);
            if (code != null) {
                channel.streamFile("bench/thanks", "");
                channel.setVariable("BENCH_CODE", code);
            }
        }
        channel.setVariable("IVR_OUTCOME", "SELF_SERVED");
        channel.setVariable("IVR_STATUS", "OK");
        channel.hangup();
    }

    /** The menu: 1 or 2; no input or another key gets its prompt and one more try. 0 when both tries failed. */
    private char menu(AgiChannel channel) throws AgiException {
        for (int attempt = 0; attempt < 2; attempt++) {
            char key = channel.streamFile("bench/menu", KEYS);
            if (key == 0) {
                key = channel.waitForDigit(5000);
            }
            if (key == '1' || key == '2') {
                return key;
            }
            if (attempt == 0) {
                channel.streamFile(key == 0 ? "bench/no-input" : "bench/invalid", "");
            }
        }
        return 0;
    }

    /**
     * Four digits (# ends early: too short is invalid); null when both tries failed. Read as ivr reads a digits input
     * (terminator #, timeout 5 s, 3 s between keys): GET DATA with the prompt and the 3 s pause; when no key came
     * within it, WAIT FOR DIGIT for the other 2 s, and GET DATA without a prompt for the keys after that one.
     */
    private String code(AgiChannel channel) throws AgiException {
        for (int attempt = 0; attempt < 2; attempt++) {
            StringBuilder digits = new StringBuilder();
            AgiReply r = getData(channel, "bench/enter-code", 4);
            if (r.getResult().isEmpty() && "timeout".equals(r.getExtra())) {
                char key = channel.waitForDigit(2000);
                if (key != 0 && key != '#') {
                    digits.append(key);
                    digits.append(getData(channel, "", 3).getResult());
                }
            } else {
                digits.append(r.getResult());
            }
            if (digits.length() == 4) {
                return digits.toString();
            }
            if (attempt == 0) {
                channel.streamFile(digits.isEmpty() ? "bench/no-input" : "bench/invalid", "");
            }
        }
        return null;
    }

    /** GET DATA with a 3 s pause between keys; the reply's result is the digits ("" for none). */
    private static AgiReply getData(AgiChannel channel, String prompt, int max) throws AgiException {
        AgiReply r = channel.sendCommand(new GetDataCommand(prompt, 3000, max));
        if ("-1".equals(r.getResult())) {
            throw new AgiHangupException();
        }
        return r;
    }
}
