package dev.ivr.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the repository's {@code ./ivr} script as a user would, with the server jar this build
 * made ({@code IVR_SERVER_JAR}: the script never builds then), and captures what it prints.
 */
final class IvrScript {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path JAR = Path.of("target", "ivr-server.jar").toAbsolutePath();

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private IvrScript() {
    }

    static Result run(Path dir, Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        return start(dir, env, stdin, args).await();
    }

    /** The script running: what it has printed so far can be read before it ends. */
    record Running(Process process, Path outFile, Path errFile, String[] args) {
        String errSoFar() throws IOException {
            return java.nio.file.Files.readString(errFile);
        }

        Result await() throws IOException, InterruptedException {
            try {
                if (!process.waitFor(5, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("./ivr " + String.join(" ", args) + " did not end in 5 minutes");
                }
                return new Result(process.exitValue(), java.nio.file.Files.readString(outFile),
                        java.nio.file.Files.readString(errFile));
            } finally {
                java.nio.file.Files.deleteIfExists(outFile);
                java.nio.file.Files.deleteIfExists(errFile);
            }
        }
    }

    static Running start(Path dir, Map<String, String> env, String stdin, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", REPO.resolve("ivr").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("IVR_"));
        pb.environment().put("IVR_JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("IVR_SERVER_JAR", JAR.toString());
        // C1 only: a short-lived CLI JVM starts faster without C2 compiling beside it (2 cores in CI)
        pb.environment().put("IVR_JAVA_OPTS", "-Xmx384m -XX:TieredStopAtLevel=1");
        pb.environment().putAll(env);
        Path outFile = java.nio.file.Files.createTempFile("ivr-script", ".out");
        Path errFile = java.nio.file.Files.createTempFile("ivr-script", ".err");
        pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        return new Running(p, outFile, errFile, args);
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(REPO, Map.of(), "", args);
    }
}
