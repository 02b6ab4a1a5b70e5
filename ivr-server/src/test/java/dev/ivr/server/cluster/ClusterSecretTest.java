package dev.ivr.server.cluster;

import dev.ivr.server.config.ClusterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterSecretTest {
    static ClusterConfig cluster(String bind, List<String> members, boolean multicast, String secretFile) {
        return new ClusterConfig("ivr", bind, 5701, members, multicast, 1, secretFile);
    }

    @Test
    void beyondLoopbackNoClusterStartsWithoutASecretFile(@TempDir Path dir) {
        assertThatThrownBy(() -> ClusterSecret.load(cluster("10.1.2.3", List.of(), false, ""), dir))
                .hasMessageContaining("cluster.bind 10.1.2.3").hasMessageContaining("cluster.secret-file");
        assertThatThrownBy(() -> ClusterSecret.load(cluster("0.0.0.0", List.of(), false, ""), dir))
                .hasMessageContaining("cluster.bind 0.0.0.0");
        assertThatThrownBy(() -> ClusterSecret.load(cluster("127.0.0.1", List.of("127.0.0.1:5702", "10.0.0.12:5701"), false, ""), dir))
                .hasMessageContaining("cluster.members 10.0.0.12:5701");
        assertThatThrownBy(() -> ClusterSecret.load(cluster("127.0.0.1", List.of(), true, ""), dir))
                .hasMessageContaining("multicast");
        assertThat(Files.exists(dir.resolve(ClusterSecret.GENERATED))).isFalse();
    }

    @Test
    void onLoopbackASecretIsGeneratedOnceForTheOwnerOnly(@TempDir Path dir) throws Exception {
        ClusterSecret first = ClusterSecret.load(cluster("127.0.0.1", List.of("127.0.0.1:5702", "localhost"), false, ""), dir);
        Path file = dir.resolve(ClusterSecret.GENERATED);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        ClusterSecret again = ClusterSecret.load(cluster("127.0.0.1", List.of(), false, ""), dir);
        assertThat(again.tag()).isEqualTo(first.tag()).hasSize(16);
        assertThat(again.derive("a")).isEqualTo(first.derive("a")).isNotEqualTo(first.derive("b")).hasSize(32);
    }

    @Test
    void aSecretFileOpenToOthersOrTooShortOrMissingIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cluster.key");
        ClusterSecret.generate(file);
        assertThat(ClusterSecret.load(cluster("10.1.2.3", List.of(), false, file.toString()), dir).file()).isEqualTo(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ClusterSecret.load(cluster("10.1.2.3", List.of(), false, file.toString()), dir))
                .hasMessageContaining("open to others").hasMessageContaining("chmod 600");
        Path weak = dir.resolve("weak.key");
        Files.writeString(weak, "correct horse battery staple\n");
        Files.setPosixFilePermissions(weak, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> ClusterSecret.load(cluster("10.1.2.3", List.of(), false, weak.toString()), dir))
                .hasMessageContaining("at least 32 random bytes");
        assertThatThrownBy(() -> ClusterSecret.load(cluster("10.1.2.3", List.of(), false, dir.resolve("none").toString()), dir))
                .hasMessageContaining("does not exist");
        Path hex = dir.resolve("hex.key");
        Files.writeString(hex, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
        Files.setPosixFilePermissions(hex, PosixFilePermissions.fromString("r--------"));
        assertThat(ClusterSecret.load(cluster("10.1.2.3", List.of(), false, hex.toString()), dir).tag()).hasSize(16);
    }

    @Test
    void aSecretFileOfAnotherUserIsRefused(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "only root can give a file to another user");
        Path file = dir.resolve("cluster.key");
        ClusterSecret.generate(file);
        Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        assertThatThrownBy(() -> ClusterSecret.load(cluster("10.1.2.3", List.of(), false, file.toString()), dir))
                .hasMessageContaining("belongs to nobody");
    }
}
