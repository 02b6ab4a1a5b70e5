package dev.ivr.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ami.pbxs}: several PBXs, the single {@code ami} block still the one-PBX form. */
class PbxsConfigTest {
    @TempDir
    Path dir;

    @Test
    void theSingleBlockIsOnePbx() throws IOException {
        Path f = Files.writeString(dir.resolve("ivr.yaml"), """
                ami:
                  enabled: true
                  host: pbx.example
                  secret: ${IVR_AMI_SECRET}
                """);
        AmiConfig ami = ConfigLoader.load(f, Map.of("IVR_AMI_SECRET", "s3cret")).ami();
        assertThat(ami.several()).isFalse();
        assertThat(ami.effectivePbxs()).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo(AmiConfig.SINGLE);
            assertThat(p.connection(ami)).isEqualTo(new AmiConfig(true, "pbx.example", 5038, "ivr", "s3cret"));
        });
    }

    @Test
    void severalPbxsTakeWhatTheyLeaveOutFromTheBlock() throws IOException {
        Path f = Files.writeString(dir.resolve("ivr.yaml"), """
                ami:
                  enabled: true
                  secret: ${IVR_AMI_SECRET}
                  pbxs:
                    - id: a
                      host: 10.0.0.1
                    - id: b
                      host: 10.0.0.2
                      port: %d
                      username: other
                      secret: ${PBX_B_SECRET}
                      agi-from: [10.0.1.0/24]
                      endpoints: [PJSIP/2*]
                outbound:
                  pbx: b
                """.formatted(5039)); // read, never bound
        IvrConfig c = ConfigLoader.load(f, Map.of("IVR_AMI_SECRET", "s3cret", "PBX_B_SECRET", "b-secret"));
        AmiConfig ami = c.ami();
        assertThat(ami.several()).isTrue();
        assertThat(ami.effectivePbxs()).extracting(PbxConfig::id).containsExactly("a", "b");
        assertThat(ami.pbxs().get(0).connection(ami)).isEqualTo(new AmiConfig(true, "10.0.0.1", 5038, "ivr", "s3cret"));
        assertThat(ami.pbxs().get(1).connection(ami)).isEqualTo(new AmiConfig(true, "10.0.0.2", 5039, "other", "b-secret"));
        assertThat(ami.pbxs().get(1).agiFrom()).containsExactly("10.0.1.0/24");
        assertThat(ami.pbxs().get(1).endpoints()).containsExactly("PJSIP/2*");
        assertThat(c.outbound().pbx()).isEqualTo("b");
        assertThat(ami.toString()).doesNotContain("s3cret").doesNotContain("b-secret");
    }

    @Test
    void duplicateIdsUnknownReferencesAndBadEntriesAreRefusedEachWithItsKey() throws IOException {
        Path f = Files.writeString(dir.resolve("ivr.yaml"), """
                ami:
                  enabled: true
                  secret: ""
                  pbxs:
                    - id: a
                      host: 10.0.0.1
                      secret: x
                    - id: a
                      host: 10.0.0.2
                      secret: x
                    - id: Bad Id
                      host: ""
                      secret: x
                      agi-from: [pbx.example]
                      endpoints: ["PJSIP/1,2"]
                    - id: c
                      host: 10.0.0.3
                outbound:
                  pbx: z
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ami.pbxs[1].id: 'a' is configured twice")
                .hasMessageContaining("ami.pbxs[2].id: must be lower-case letters")
                .hasMessageContaining("ami.pbxs[2].host: must not be empty")
                .hasMessageContaining("ami.pbxs[2].agi-from[0]")
                .hasMessageContaining("ami.pbxs[2].endpoints[0]: must be an endpoint pattern")
                .hasMessageContaining("ami.pbxs[3].secret: must not be empty (nor ami.secret)")
                .hasMessageContaining("outbound.pbx: 'z' is not the id of a PBX in ami.pbxs (a, a, Bad Id, c)");
    }

    @Test
    void outboundCanNameTheSinglePbx() {
        assertThat(ConfigLoader.load(Map.of("IVR_OUTBOUND_PBX", AmiConfig.SINGLE)).outbound().pbx())
                .isEqualTo(AmiConfig.SINGLE);
        assertThat(new OutboundConfig(false, "PJSIP/{number}@trunk", "ivr-outbound", java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), List.of()).pbx()).isNull();
    }
}
