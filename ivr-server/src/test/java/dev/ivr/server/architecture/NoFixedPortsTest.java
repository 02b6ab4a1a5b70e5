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
 * beside it. This scans the test sources of every module for a fixed port handed to something that binds, a port
 * other than 0 given to an ivr server's own listener (FastAGI, HTTP, AudioSocket, cluster: a picked port, where the
 * test should read the bound one; a member that joins: {@code TestConfigs.joining}) and a member list without ports;
 * a file that only parses an address names its reason in {@link #PARSE_ONLY}.
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
            // an ivr server's own listeners bind port 0, whatever the test does with the port: a cluster member that
            // joins is told the bound port (TestConfigs.joining), Asterisk the FastAGI port over AMI (the system tier's
            // PrivateAsterisk.ivr), a client reads it from the server (agiPort(), ports.json). A port picked beforehand
            // can be taken before the server binds it. Allowed besides "0": the port of a socket the test holds bound
            // already (getLocalPort(): a server that must start though its port is taken)
            Pattern.compile("\"IVR_(AGI|HTTP|HTTP_TLS_REDIRECT|SPEECH|CLUSTER)_PORT\","
                    + "(?!\\s*\"0\"|\\s*Integer\\.toString\\(\\s*[\\w.]+\\.getLocalPort\\(\\)\\))"),
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
                + " only where a port must be known before anything binds it, and never for an ivr server's own listener)")
                .isEmpty();
    }

    @Test
    void thePatternsCatchAFixedPort() {
        List<String> caught = List.of("env.put(\"IVR_SPEECH_PORT\", \"9092\");", "new ServerSocket(4573);", "  port: 4573",
                "Map.of(\"IVR_CLUSTER_PORT\", Integer.toString(FreePorts.pick()));",
                "Map.of(\"IVR_CLUSTER_MEMBERS\", \"127.0.0.1\");",
                // the system tier before the FastAGI port was handed to Asterisk at run time
                "int agiPort = Tools.freeTcpPort();\nnode = IvrNode.start(dir, \"a\", ami, \"\", Map.of(\"IVR_AGI_PORT\",\n"
                        + "        Integer.toString(agiPort), \"IVR_TTS_ENABLED\", \"true\"));",
                "env.put(\"IVR_HTTP_PORT\", Integer.toString(FreePorts.pick()));",
                "env.put(\"IVR_HTTP_TLS_REDIRECT_PORT\", String.valueOf(redirect));");
        assertThat(caught).allMatch(line -> FIXED.stream().anyMatch(p -> p.matcher(line).find()), "caught");
        List<String> allowed = List.of("env.put(\"IVR_SPEECH_PORT\", \"0\");", "new ServerSocket(0);", "  port: 0",
                "Map.of(\"IVR_CLUSTER_PORT\", \"0\");", "Map.of(\"IVR_CLUSTER_MEMBERS\", \"127.0.0.1:\" + port);",
                "Map.of(\"IVR_CLUSTER_MEMBERS\", \"[::1]:5701\");",
                // a port held bound by the test (the server must start though it is taken); Asterisk's AMI port
                "\"IVR_SPEECH_PORT\", Integer.toString(audioSocketPortTaken.getLocalPort()))));",
                "env.put(\"IVR_AMI_PORT\", Integer.toString(asterisk.amiPort));");
        assertThat(allowed).noneMatch(line -> FIXED.stream().anyMatch(p -> p.matcher(line).find()));
    }
}
