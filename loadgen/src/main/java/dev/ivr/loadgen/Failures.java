package dev.ivr.loadgen;

import dev.ivr.fakepbx.AgiStatus;
import dev.ivr.fakepbx.CallResult;

/** Sorts a finished call into ok or a failure kind. Every failure is counted, none is hidden. */
public final class Failures {
    private Failures() {
    }

    /** The failure kind of a call, or null when it succeeded. */
    public static String classify(CallResult r, Scenario scenario) {
        String e = r.error() == null ? "" : r.error().toLowerCase();
        if (r.agiStatus() == AgiStatus.FAILURE && e.startsWith("connect")) {
            return "connect_failed";
        }
        if (r.commands().isEmpty()) {
            return "closed_before_service"; // refused, or closed before the first command
        }
        if (r.agiStatus() == AgiStatus.FAILURE) {
            return "dropped_mid_call"; // reset or broken mid-call
        }
        if (r.error() != null) {
            return "protocol_error";
        }
        String kind = scenario.check(r);
        return kind == null ? null : "scenario_" + kind;
    }
}
