package dev.ivr.server.doctor;

import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.IvrConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
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

    @Test
    void theDatabaseFindingNeverShowsTheUrlsPassword() throws Exception {
        Doctor h2 = doctor("jdbc:h2:file:" + tmp.resolve("ivr") + ";MODE=PostgreSQL;PASSWORD=s3cret");
        assertThat(h2.database()).satisfies(f -> {
            assertThat(f.level()).isEqualTo(Finding.Level.OK);
            assertThat(f.message()).contains("H2 file database jdbc:h2:file:", ";PASSWORD=***").doesNotContain("s3cret");
        });
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // nothing listens there once it is closed
        }
        Doctor pg = doctor("jdbc:postgresql://127.0.0.1:" + closed + "/ivr?password=s3cret&sslpassword=s3cret&connectTimeout=2");
        assertThat(pg.database()).satisfies(f -> {
            assertThat(f.level()).isEqualTo(Finding.Level.FAIL);
            assertThat(f.message()).startsWith("PostgreSQL: ").doesNotContain("s3cret");
            assertThat(f.fix()).doesNotContain("s3cret");
        });
    }

    @Test
    void anH2ServerIsCheckedAndItsUrlsPasswordNotShown() throws Exception {
        org.h2.tools.Server h2 = org.h2.tools.Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir",
                tmp.resolve("h2").toString()).start();
        try {
            // no schema yet: the check fails, naming the server and not the password
            Doctor d = doctor("jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/ivr;PASSWORD=s3cret");
            assertThat(d.database()).satisfies(f -> {
                assertThat(f.level()).isEqualTo(Finding.Level.FAIL);
                assertThat(f.message()).startsWith("H2 server 127.0.0.1:" + h2.getPort() + " (database /ivr)")
                        .doesNotContain("s3cret");
            });
        } finally {
            h2.stop();
        }
    }

    private Doctor doctor(String databaseUrl) {
        IvrConfig config = ConfigLoader.load(Map.of("IVR_DATABASE_URL", databaseUrl, "IVR_NODE_DATA_DIR", tmp.toString()));
        return new Doctor(config, List.of(), "token-not-used");
    }
}
