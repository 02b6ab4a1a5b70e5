package dev.ivr.server.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * What one system-test class runs: a working directory under /tmp that Asterisk's user can
 * read (prompts, sipp logs), the things to stop at the end in reverse order, and, when it ends,
 * a copy of Asterisk's log and the sipp message logs in {@code target/system-tests/<class>/}.
 */
final class SystemRig implements AutoCloseable {
    /**
     * The system test classes run one after the other (each with its Asterisk, servers and
     * phones); a class may run its own tests side by side ({@code @Execution(CONCURRENT)}).
     */
    static final String ONE_AT_A_TIME = "ivr-system-tier";

    final AsteriskInstallation installation;
    final Path dir;
    private final String name;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<PrivateAsterisk> asterisks = new ArrayList<>();

    SystemRig(Class<?> testClass) {
        this.installation = AsteriskInstallation.require();
        this.name = testClass.getSimpleName();
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "ivr-st-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T extends AutoCloseable> T add(T closeable) {
        toClose.add(closeable);
        if (closeable instanceof PrivateAsterisk a) {
            asterisks.add(a);
        }
        return closeable;
    }

    PrivateAsterisk asterisk() {
        return add(PrivateAsterisk.prepare(installation));
    }

    @Override
    public void close() {
        Path keep = Path.of("target", "system-tests", name);
        try {
            Files.createDirectories(keep);
            for (PrivateAsterisk a : asterisks) {
                Files.writeString(keep.resolve("asterisk-" + a.systemName + ".log"), a.logText());
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("system test logs not kept: " + e);
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".log")
                    || p.getFileName().toString().endsWith(".out")).toList()) {
                Files.copy(f, keep.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("sipp logs not kept: " + e);
        }
        if (!Boolean.getBoolean("ivr.system.keep")) {
            Tools.run(List.of("rm", "-rf", dir.toString()), 60);
        }
    }
}
