package dev.ivr.loadgen;

import dev.ivr.fakepbx.AgiStatus;
import dev.ivr.fakepbx.CallResult;
import java.util.Locale;

/** Sorts a finished call into ok or a failure kind. Every failure is counted, none is hidden. */
public final class Failures {
    private Failures() {
    }

    /** The failure kind of a call, or null when it succeeded. */
    public static String classify(CallResult r, Scenario scenario) {
        String e = r.error() == null ? "" : r.error().toLowerCase(Locale.ROOT);
        if (r.agiStatus() == AgiStatus.FAILURE && e.startsWith("connect")) {
            return "connect_failed";
        }
        if (r.commands().isEmpty()) {
            return "closed_before_service"; // refused, or closed before the first command
        }
        if (r.error() != null) {
            // a connection reset or broken mid-call leaves AGISTATUS=SUCCESS, as in Asterisk 20, with the
            // I/O error; FAILURE after commands is something the fake PBX could not take (a malformed line)
            return r.agiStatus() == AgiStatus.FAILURE ? "protocol_error" : "dropped_mid_call";
        }
        String kind = scenario.check(r);
        return kind == null ? null : "scenario_" + kind;
    }
}
