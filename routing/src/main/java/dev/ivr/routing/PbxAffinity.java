package dev.ivr.routing;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Whether a call goes first to agents whose phone is on the call's own PBX (when there are several PBXs). A call
 * names its PBX in {@link CallRequest#pbx()} (null: no affinity for that call); an agent's PBX is told by
 * {@link #pbxOfEndpoint} from the agent's endpoint, at decision time (what a PBX learns later counts at once).
 *
 * @param mode          {@link Mode#IGNORE} (any eligible agent, as without PBXs), {@link Mode#PREFER} or
 *                      {@link Mode#REQUIRE}
 * @param waitFor       with {@link Mode#PREFER}: how long a call waits for an agent on its PBX before agents on
 *                      other PBXs may take it (zero: at once, when none on its PBX is free)
 * @param pbxOfEndpoint an agent's endpoint to the id of the PBX it is on, null when unknown (an unknown agent is on
 *                      no PBX: never preferred, and refused by {@link Mode#REQUIRE})
 */
public record PbxAffinity(Mode mode, Duration waitFor, Function<String, String> pbxOfEndpoint) {

    /** How a call's PBX weighs in the choice of its agent. */
    public enum Mode {
        /** The PBX plays no part. */
        IGNORE,
        /** Agents on the call's PBX first; others when none of them is free (after {@link #waitFor()}). */
        PREFER,
        /** Only agents on the call's PBX. */
        REQUIRE
    }

    /** No affinity. */
    public static final PbxAffinity NONE = new PbxAffinity(Mode.IGNORE, Duration.ZERO, endpoint -> null);

    public PbxAffinity {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(waitFor, "waitFor");
        Objects.requireNonNull(pbxOfEndpoint, "pbxOfEndpoint");
        if (waitFor.isNegative()) {
            throw new IllegalArgumentException("the PBX affinity wait must not be negative");
        }
    }

    /** The PBX of an agent's endpoint, null when unknown. */
    public String pbxOf(String endpoint) {
        return endpoint == null ? null : pbxOfEndpoint.apply(endpoint);
    }
}
