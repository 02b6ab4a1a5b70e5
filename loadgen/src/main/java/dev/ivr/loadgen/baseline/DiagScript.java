package dev.ivr.loadgen.baseline;

import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.BaseAgiScript;

/** Hand-written equivalent of ivr's built-in diagnostic script. */
final class DiagScript extends BaseAgiScript {
    @Override
    public void service(AgiRequest request, AgiChannel channel) throws AgiException {
        channel.setVariable("IVR_NODE", "baseline");
        channel.answer();
        channel.verbose("ivr diag: node baseline took call " + request.getUniqueId(), 1);
        channel.setVariable("IVR_STATUS", "OK");
        channel.streamFile("beep", "");
        channel.sayAlpha("baseline", "");
        channel.hangup();
    }
}
