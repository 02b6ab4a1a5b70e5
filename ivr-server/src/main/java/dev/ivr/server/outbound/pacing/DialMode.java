package dev.ivr.server.outbound.pacing;

import java.util.Locale;

/** How a campaign dials (docs/outbound.md). */
public enum DialMode {
    /** The flow alone: calls limited by max-concurrent only. */
    AGENTLESS,
    /** One call per ready agent. */
    PROGRESSIVE,
    /** More calls than ready agents, paced under the abandon-rate cap. */
    PREDICTIVE,
    /** The agent sees the customer first and accepts or skips; then the customer is dialled for that agent. */
    PREVIEW;

    /** The configuration's word for it. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether answered calls go to agents (every mode but agentless). */
    public boolean agentHandled() {
        return this != AGENTLESS;
    }

    /** The mode named {@code word} (any case), or empty. */
    public static java.util.Optional<DialMode> of(String word) {
        for (DialMode m : values()) {
            if (m.word().equalsIgnoreCase(word)) {
                return java.util.Optional.of(m);
            }
        }
        return java.util.Optional.empty();
    }
}
