package dev.ivr.server.recording;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Whether a queue's calls are recorded: {@code always}, {@code never}, {@code on-demand} (the agent
 * starts it from the desktop) or a percentage of calls ({@code 25%}, drawn per call).
 *
 * @param kind    what the policy is
 * @param percent for {@link Kind#PERCENT}: 0..100
 */
public record RecordingPolicy(Kind kind, int percent) {
    public enum Kind { ALWAYS, NEVER, ON_DEMAND, PERCENT }

    public static final RecordingPolicy NEVER = new RecordingPolicy(Kind.NEVER, 0);

    public RecordingPolicy {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be 0..100: " + percent);
        }
    }

    /** always, never, on-demand or NN%. */
    public static RecordingPolicy parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "always" -> new RecordingPolicy(Kind.ALWAYS, 100);
            case "never" -> NEVER;
            case "on-demand" -> new RecordingPolicy(Kind.ON_DEMAND, 0);
            default -> {
                if (!t.matches("(100|[1-9]?[0-9])%")) {
                    throw new IllegalArgumentException("not a recording policy (always, never, on-demand, NN%): " + text);
                }
                yield new RecordingPolicy(Kind.PERCENT, Integer.parseInt(t.substring(0, t.length() - 1)));
            }
        };
    }

    /** Whether a call answered in this queue is recorded from the answer on (a percentage draws from random). */
    public boolean recordsOnAnswer(RandomGenerator random) {
        return switch (kind) {
            case ALWAYS -> true;
            case NEVER, ON_DEMAND -> false;
            case PERCENT -> random.nextInt(100) < percent;
        };
    }

    /** Whether the agent may start (and stop) a recording from the desktop. */
    public boolean onDemand() {
        return kind == Kind.ON_DEMAND;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ALWAYS -> "always";
            case NEVER -> "never";
            case ON_DEMAND -> "on-demand";
            case PERCENT -> percent + "%";
        };
    }
}
