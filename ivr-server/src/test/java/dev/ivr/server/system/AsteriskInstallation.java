package dev.ivr.server.system;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the real Asterisk of the system tier is: {@code IVR_ASTERISK_HOME} (or the system property
 * {@code ivr.asterisk.home}), by default {@code /opt/asterisk-20.20.1}, as {@code .ci/install-asterisk.sh}
 * builds it. Without it (or without {@code sipp}) the system tests are skipped with a message that
 * says how to get it.
 */
public record AsteriskInstallation(Path prefix) {
    public static final String VERSION = "20.20.1";
    public static final Path DEFAULT = Path.of("/opt/asterisk-" + VERSION);

    public Path binary() {
        return prefix.resolve("sbin/asterisk");
    }

    public Path modules() {
        return prefix.resolve("lib/asterisk/modules");
    }

    /** The configured prefix, whether or not Asterisk is there. */
    public static Path configuredPrefix() {
        String p = System.getProperty("ivr.asterisk.home");
        if (p == null || p.isBlank()) {
            p = System.getenv("IVR_ASTERISK_HOME");
        }
        return p == null || p.isBlank() ? DEFAULT : Path.of(p);
    }

    /** Why the system tier cannot run here, or empty when it can. */
    public static Optional<String> missing() {
        Path prefix = configuredPrefix();
        if (!Files.isExecutable(prefix.resolve("sbin/asterisk"))) {
            return Optional.of("no Asterisk " + VERSION + " at " + prefix
                    + " (set IVR_ASTERISK_HOME, or let .ci/setup build it: .ci/install-asterisk.sh)");
        }
        if (!Files.isRegularFile(prefix.resolve("lib/asterisk/modules/chan_pjsip.so"))) {
            return Optional.of("the Asterisk at " + prefix + " has no PJSIP (chan_pjsip.so)");
        }
        if (Tools.onPath("sipp").isEmpty()) {
            return Optional.of("sipp is not installed (Debian package sip-tester)");
        }
        return Optional.empty();
    }

    /** The installation, or the test (class) is skipped with the reason. */
    public static AsteriskInstallation require() {
        Optional<String> why = missing();
        why.ifPresent(reason -> System.out.println("system tier skipped: " + reason));
        Assumptions.assumeTrue(why.isEmpty(), () -> "system tier skipped: " + why.orElse(""));
        return new AsteriskInstallation(configuredPrefix());
    }

    /**
     * On a system test class: the class is reported skipped, with the reason, where the tier cannot run
     * (an assumption failing in {@code @BeforeAll} would leave Surefire counting nothing at all).
     */
    public static final class Required implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return missing().map(why -> ConditionEvaluationResult.disabled("system tier skipped: " + why))
                    .orElseGet(() -> ConditionEvaluationResult.enabled("Asterisk " + VERSION + " at " + configuredPrefix()));
        }
    }
}
