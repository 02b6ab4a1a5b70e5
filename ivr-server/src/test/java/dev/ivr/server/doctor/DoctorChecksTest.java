package dev.ivr.server.doctor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks of {@code doctor} that need no running server. */
class DoctorChecksTest {
    @TempDir
    Path tmp;

    @Test
    void promptFilesAsteriskMayNotReadAreFoundAlongTheWholePath() throws Exception {
        Path open = Files.createDirectories(tmp.resolve("open"));
        Path cache = Files.createDirectories(open.resolve("prompt-cache"));
        Path file = Files.writeString(Files.createDirectories(cache.resolve("ab")).resolve("ab12.wav"), "RIFF");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        boolean pathOpen = Doctor.closedToAsterisk(tmp.getParent(), Optional.empty()).isEmpty();
        if (pathOpen) { // (the test's own temporary directory may sit below a directory others cannot enter)
            assertThat(Doctor.closedToAsterisk(cache, Optional.of(file))).isEmpty();
        }
        // a prompt written owner-only, as Files.createTempFile makes it: Asterisk cannot open it
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        if (pathOpen) {
            assertThat(Doctor.closedToAsterisk(cache, Optional.of(file))).hasValueSatisfying(p ->
                    assertThat(p).contains("ab12.wav").contains("rw-------"));
        }
        // a directory on the way that others may not enter
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwx------"));
        assertThat(Doctor.closedToAsterisk(cache, Optional.of(file))).hasValueSatisfying(p ->
                assertThat(p).contains(open.toString()).contains("may not be entered"));
    }

    @Test
    void anH2ServerUrlIsDescribedAsTheServerItIs() {
        assertThat(Doctor.h2ServerAddress("jdbc:h2:tcp://127.0.0.1:9123/./ivr;MODE=PostgreSQL"))
                .isEqualTo("127.0.0.1:9123 (database /./ivr)");
        assertThat(Doctor.h2ServerAddress("jdbc:h2:tcp://db.example.com/ivr")).isEqualTo("db.example.com:9092 (database /ivr)");
    }
}
