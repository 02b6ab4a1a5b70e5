package dev.ivr.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * Keeps the logs of a failed test that ran servers in a temporary directory: beside the failsafe reports, which CI
 * keeps when the temporary directory is gone.
 */
public final class KeptLogs {
    /** Where the logs of a failed test of {@code testClass} go: {@code target/failsafe-reports/CLASS-logs}. */
    public static Path folderFor(Class<?> testClass) {
        return Path.of("target", "failsafe-reports", testClass.getSimpleName() + "-logs");
    }

    /**
     * Copies the logs under {@code from} (files named {@code *.log} and {@code *.out}, nothing else, so no token or
     * database file) into {@code folderFor(testClass)/TEST-TIME}, keeping their paths; returns that folder.
     */
    public static Path keep(Class<?> testClass, String test, Path from) throws IOException {
        return copy(from, folderFor(testClass).resolve(test + "-" + Instant.now().toString().replace(':', '-')));
    }

    /** Copies the {@code *.log} and {@code *.out} files under {@code from} to {@code to}, keeping their paths. */
    public static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".log") || name.endsWith(".out")) {
                    Path target = to.resolve(from.relativize(f).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }

    private KeptLogs() {
    }
}
