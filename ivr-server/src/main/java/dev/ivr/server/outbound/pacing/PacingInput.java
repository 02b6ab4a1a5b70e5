package dev.ivr.server.outbound.pacing;

/**
 * What the dialer sees at one pacing decision.
 *
 * @param readyAgents     agents with the campaign's skills who are ready now
 * @param busyAgents      agents with those skills on a call, being offered one or in wrap-up (they free up)
 * @param ringing         calls of the campaign placed and not answered yet
 * @param waitingForAgent calls of the campaign answered and not connected to an agent yet
 */
public record PacingInput(int readyAgents, int busyAgents, int ringing, int waitingForAgent) {
    public PacingInput {
        if (readyAgents < 0 || busyAgents < 0 || ringing < 0 || waitingForAgent < 0) {
            throw new IllegalArgumentException("pacing counts cannot be negative: " + readyAgents + ", " + busyAgents
                    + ", " + ringing + ", " + waitingForAgent);
        }
    }
}
