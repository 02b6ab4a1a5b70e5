package dev.ivr.server.process;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way the server is launched ({@code ./ivr run} in development, {@code bin/ivr-server} of the
 * distribution, which the systemd unit and the container run) makes the JVM exit on an OutOfMemoryError, and
 * those options really end a JVM that runs out of heap in a background thread (instead of leaving a process
 * whose cluster member is dead for systemd to keep).
 */
@Tag("integration")
class OutOfMemoryExitIT {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void ivrRunAndTheDistributionScriptExitOnOutOfMemory(@TempDir Path dir) throws Exception {
        for (List<String> launcher : List.of(List.of(REPO.resolve("ivr").toString(), "run"),
                List.of(REPO.resolve("ivr-server/src/dist/bin/ivr-server").toString(), "run"))) {
            List<String> jvmOptions = jvmOptionsOf(launcher, dir);
            assertThat(jvmOptions).as("JVM options of %s", launcher).contains("-XX:+ExitOnOutOfMemoryError");

            List<String> probe = new ArrayList<>(List.of(javaHome().resolve("bin/java").toString()));
            probe.addAll(jvmOptions.stream().filter(o -> o.startsWith("-XX:")).toList());
            probe.addAll(List.of("-Xmx32m", "-cp", System.getProperty("java.class.path"), OomProbe.class.getName()));
            Process p = new ProcessBuilder(probe).redirectErrorStream(true).redirectOutput(dir.resolve("probe.log").toFile()).start();
            assertThat(p.waitFor(50, TimeUnit.SECONDS)).as("the JVM ended instead of living on").isTrue();
            assertThat(p.exitValue()).as("exit status after OutOfMemoryError").isEqualTo(3);
        }
    }

    /** Runs a launcher with a stand-in JDK whose java records its arguments; the options before -jar. */
    static List<String> jvmOptionsOf(List<String> launcher, Path dir) throws IOException, InterruptedException {
        Path jdk = dir.resolve("fake-jdk");
        Path args = dir.resolve("java-args");
        Files.createDirectories(jdk.resolve("bin"));
        String java = """
                #!/usr/bin/env bash
                for a in "$@"; do
                  if [ "$a" = "-XshowSettings:properties" ]; then echo "    java.specification.version = 25" >&2; exit 0; fi
                done
                printf '%s\\n' "$@" > "$FAKE_JAVA_ARGS"
                """;
        for (String tool : List.of("java", "javac")) {
            Path f = jdk.resolve("bin").resolve(tool);
            Files.writeString(f, java);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.deleteIfExists(args);
        ProcessBuilder pb = new ProcessBuilder(launcher).redirectErrorStream(true)
                .redirectOutput(dir.resolve("launcher.log").toFile());
        pb.environment().put("IVR_JAVA_HOME", jdk.toString());
        pb.environment().put("FAKE_JAVA_ARGS", args.toString());
        pb.environment().put("IVR_LOG_DIR", dir.resolve("logs").toString());
        pb.environment().remove("IVR_JAVA_OPTS");
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.exists(args)).as("%s ran java (%s)", launcher, Files.readString(dir.resolve("launcher.log"))).isTrue();
        List<String> all = Files.readAllLines(args);
        return all.subList(0, all.indexOf("-jar"));
    }

    static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }
}
