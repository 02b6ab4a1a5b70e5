package dev.ivr.server.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every test that listens binds port 0 (or a port the system just found free, where a port must be known before
 * anything binds it), so the suite passes while a server runs on the same machine and while other suites run
 * beside it. This scans the test sources of every module for a fixed port handed to something that binds, a
 * cluster port picked for a server in the test's JVM (port 0 and {@code TestConfigs.joining} instead) and a member
 * list without ports; a file that only parses an address names its reason in {@link #PARSE_ONLY}.
 */
class NoFixedPortsTest {
    static final List<Pattern> FIXED = List.of(
            Pattern.compile("\"IVR_[A-Z_]*PORT\",\\s*\"[1-9]"),
            Pattern.compile("setPort\\(\\s*[1-9]"),
            Pattern.compile("new (Server)?Socket\\(\\s*[1-9]"),
            Pattern.compile("new InetSocketAddress\\([^)]*,\\s*[1-9][0-9]*\\)"),
            Pattern.compile("members: \\[[^]]*:[1-9]"),
            Pattern.compile("^\\s*port: [1-9]", Pattern.MULTILINE),
            Pattern.compile("-tcpPort\",\\s*\"[1-9]"),
            // a cluster member of a test binds port 0 (TestConfigs' default); one that joins is told the bound port
            // (TestConfigs.joining): a picked port can be taken before the member binds it
            Pattern.compile("\"IVR_CLUSTER_PORT\",\\s*Integer\\.toString\\(\\s*FreePorts\\."),
            // a member list of bare hosts joins on the base port and the ones after it, whoever listens there
            Pattern.compile("\"IVR_CLUSTER_MEMBERS\",\\s*\"[^\":\\[]*\""));
    /** Files whose fixed ports are never bound: file name → why. */
    static final Map<String, String> PARSE_ONLY = Map.of(
            "ConfigLoaderTest.java", "parses configuration files (ports are read, never bound)",
            "ServerProcessIT.java", "an invalid configuration (port 99999) that must be refused",
            "NoFixedPortsTest.java", "the patterns themselves");

    @Test
    void testsBindPortZero() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ArchitectureRules.REPOSITORY)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/test/"))
                    .filter(p -> !p.toString().contains("/target/")).toList()) {
                if (PARSE_ONLY.containsKey(f.getFileName().toString())) {
                    continue;
                }
                String text = Files.readString(f);
                for (Pattern p : FIXED) {
                    var m = p.matcher(text);
                    while (m.find()) {
                        int line = text.substring(0, m.start()).split("\n", -1).length;
                        found.add(ArchitectureRules.REPOSITORY.relativize(f) + ":" + line + ": " + m.group().strip());
                    }
                }
            }
        }
        assertThat(found).as("fixed or picked ports in tests: bind 0 (a member that joins: TestConfigs.joining; FreePorts.pick()"
                + " only where a port must be known before anything binds it)").isEmpty();
    }

    @Test
    void thePatternsCatchAFixedPort() {
        String sample = "env.put(\"IVR_SPEECH_PORT\", \"9092\");\nnew ServerSocket(4573);\n  port: 4573\n"
                + "Map.of(\"IVR_CLUSTER_PORT\", Integer.toString(FreePorts.pick()));\n"
                + "Map.of(\"IVR_CLUSTER_MEMBERS\", \"127.0.0.1\");\n";
        assertThat(FIXED.stream().filter(p -> p.matcher(sample).find()).count()).isEqualTo(5);
        String allowed = "env.put(\"IVR_SPEECH_PORT\", \"0\");\nnew ServerSocket(0);\n  port: 0\n"
                + "Map.of(\"IVR_CLUSTER_PORT\", \"0\");\nMap.of(\"IVR_CLUSTER_MEMBERS\", \"127.0.0.1:\" + port);\n"
                + "Map.of(\"IVR_CLUSTER_MEMBERS\", \"[::1]:5701\");\n";
        assertThat(FIXED).noneMatch(p -> p.matcher(allowed).find());
    }
}
