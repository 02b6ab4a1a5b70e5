package dev.ivr.server.doctor;

import dev.ivr.server.IvrServer;
import dev.ivr.server.cli.IvrCli;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.testing.TestConfigs;
import dev.ivr.testsupport.FreePorts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code doctor} against a healthy running server and against a broken configuration. */
@Tag("integration")
class DoctorIT {
    @TempDir
    Path data;

    @Test
    void aHealthyDeploymentPassesAndNamesWhatItChecked() throws Exception {
        // every port 0: the doctor reads the ports the server bound from <data-dir>/ports.json
        Map<String, String> env = Map.of("IVR_AGI_PORT", "0", "IVR_HTTP_PORT", "0", "IVR_CLUSTER_PORT", "0",
                "IVR_TTS_ENABLED", "true", "IVR_SPEECH_SPHINX_ENABLED", "true");
        IvrConfig cfg = TestConfigs.server(data, env);
        try (IvrServer server = IvrServer.start(cfg)) {
            assertThat(server.tts().awaitReady(2, TimeUnit.MINUTES)).isTrue();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2))
                    .until(() -> server.speech().modelStatus("en").available());
            List<Finding> findings = new Doctor(cfg, List.of("127.0.0.1")).run();
            assertThat(findings).noneMatch(f -> f.level() == Finding.Level.FAIL);
            assertThat(findings).anySatisfy(f -> {
                assertThat(f.check()).isEqualTo("agi");
                assertThat(f.message()).contains("FastAGI on 127.0.0.1:" + server.agiPort() + " ran the diag script on node "
                        + server.nodeName());
            });
            assertThat(findings).extracting(Finding::check)
                    .contains("allowlist", "health:hazelcast", "health:database", "health:tts", "cluster", "voices",
                            "flows", "delivery");
            assertThat(findings).filteredOn(f -> f.check().equals("voices"))
                    .anySatisfy(f -> assertThat(f.message()).contains("'hu': eSpeak NG").contains("has voice hu"))
                    .anySatisfy(f -> assertThat(f.message()).contains("'hu':").contains("spoken by espeak-ng voice hu"));
            // which recogniser serves each language
            assertThat(findings).filteredOn(f -> f.check().equals("speech")).extracting(Finding::message)
                    .anySatisfy(m -> assertThat(m).startsWith("Sphinx4 loads US English"))
                    .anySatisfy(m -> assertThat(m).startsWith("'en': sphinx: Sphinx4 US English").endsWith("phrases only"))
                    .anySatisfy(m -> assertThat(m).startsWith("'hu': no recogniser, menus take keys only"));
            assertThat(findings).filteredOn(f -> f.check().equals("health:speech")).singleElement()
                    .satisfies(f -> assertThat(f.message()).contains("recognisers: en: sphinx (ready"));
        }
    }

    @Test
    void aBrokenDeploymentFailsWithWhatToFix() throws Exception {
        Path cfgFile = data.resolve("ivr.yaml");
        Files.writeString(cfgFile, """
                node:
                  data-dir: %s
                agi:
                  port: %d
                  allow: [0.0.0.0/0]
                http:
                  port: %d
                cluster:
                  members: [127.0.0.1:%d]
                speech:
                  models:
                    en: %s
                """.formatted(data.resolve("d"), FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), data.resolve("no-such-model")));
        // FreePorts.pick: ports the doctor is told, where nothing listens
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            code = IvrCli.execute("doctor", "--config", cfgFile.toString(), "--pbx", "127.0.0.1");
        } finally {
            System.setOut(old);
        }
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(report).isEqualTo(1);
        assertThat(report)
                .contains("WARN  allowlist").contains("admits every address")
                .contains("FAIL  agi").contains("nothing answers on 127.0.0.1:")
                .contains("fix: start the server")
                .contains("FAIL  health").contains("cannot read http://127.0.0.1:")
                .contains("FAIL  speech").contains("'en': vosk: speech.models.en:")
                .contains("FAIL  delivery").contains("does not exist")
                .containsPattern("\\d+ ok, \\d+ warning\\(s\\), [1-9]\\d* failure\\(s\\)");
    }
}
