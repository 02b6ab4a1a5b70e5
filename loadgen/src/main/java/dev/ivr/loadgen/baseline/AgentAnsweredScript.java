package dev.ivr.loadgen.baseline;

import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.BaseAgiScript;

/**
 * The answer report the dialplan's {@code U()} subroutine runs on the agent's channel
 * ({@code agent-answered}), as ivr serves it: reads the signed call reference, checks it, tells
 * the dialplan.
 */
final class AgentAnsweredScript extends BaseAgiScript {
    private final String nodeName;
    private final ContextSignature signature;

    AgentAnsweredScript(String nodeName, ContextSignature signature) {
        this.nodeName = nodeName;
        this.signature = signature;
    }

    @Override
    public void service(AgiRequest request, AgiChannel channel) throws AgiException {
        channel.setVariable("IVR_NODE", nodeName);
        String callId = signature.verify(channel.getFullVariable("${IVR_CONTEXT}"));
        channel.setVariable("IVR_STATUS", callId != null ? "OK" : "INVALID");
    }
}
