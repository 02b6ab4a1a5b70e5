package dev.ivr.server.outbound;

/** Sends a call under way elsewhere in the dialplan (AMI {@code Redirect}); implemented in {@code dev.ivr.server.pbx}. */
public interface CallRedirect {

    /**
     * Moves {@code channel} (its name, e.g. {@code PJSIP/trunk-0000002a}) to {@code context},
     * {@code exten}, priority 1.
     *
     * @throws IllegalStateException when the PBX could not be asked or refused
     */
    void redirect(String channel, String context, String exten);
}
