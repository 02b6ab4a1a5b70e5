package dev.ivr.server.outbound;

import java.util.Map;
import java.util.Set;

/** The agents an agent-handled campaign dials for, as routing sees them now. */
public interface AgentSupply {

    /**
     * @param ready   agents of the queue with the skills who are ready now
     * @param busy    such agents being offered a call, on a call or in wrap-up
     * @param callIds the calls those busy agents hold (to tell which answered calls reached an agent)
     */
    record Agents(int ready, int busy, Set<String> callIds) {
        public static final Agents NONE = new Agents(0, 0, Set.of());

        public Agents {
            callIds = Set.copyOf(callIds);
        }
    }

    /**
     * The agents who meet {@code queue}'s requirements and {@code skills} (name → minimum level).
     *
     * @throws IllegalStateException when routing is off or does not know the queue
     */
    Agents agents(String queue, Map<String, Integer> skills);
}
