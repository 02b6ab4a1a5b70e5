package dev.ivr.server.crm.pin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PinPepperTest {
    @TempDir
    Path dir;

    @Test
    void withoutAFileOneIsGeneratedInTheDataDirectoryForThisServerAlone() throws IOException {
        Path data = dir.resolve("data");
        PinPepper first = PinPepper.load("", List.of(), data);
        Path file = data.resolve("pin-pepper");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(Files.readString(file).strip()).hasSizeGreaterThanOrEqualTo(PinPepper.MIN_BYTES);
        assertThat(PinPepper.load("", List.of(), data).id()).as("the same file next time").isEqualTo(first.id());
    }

    @Test
    void aConfiguredFileMustExistBeLongEnoughAndPrivate() throws IOException {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> PinPepper.load(missing.toString(), List.of(), dir))
                .hasMessageContaining("crm.pin-pepper-file: the PIN pepper file " + missing + " does not exist")
                .hasMessageContaining("head -c 32 /dev/urandom");
        Path shortFile = write("short", "only 16 bytes!!!", "rw-------");
        assertThatThrownBy(() -> PinPepper.load(shortFile.toString(), List.of(), dir))
                .hasMessageContaining("holds 16 bytes; it needs at least 32");
        Path open = write("open", "x".repeat(44), "rw-r--r--");
        assertThatThrownBy(() -> PinPepper.load(open.toString(), List.of(), dir))
                .hasMessageContaining("may be read or changed by other users; chmod 600");
        Path good = write("good", "y".repeat(44) + "\n", "rw-r-----"); // root:ivr 0640 is fine
        Path older = write("older", "z".repeat(40), "rw-------");
        PinPepper p = PinPepper.load(good.toString(), List.of(older.toString()), dir);
        assertThat(p.id()).isEqualTo(PinPepper.of("y".repeat(44).getBytes()).id());
        assertThat(p.knows(PinPepper.of("z".repeat(40).getBytes()).id())).isTrue();
        assertThat(Files.exists(dir.resolve("pin-pepper"))).as("nothing generated when a file is configured").isFalse();
    }

    private Path write(String name, String content, String mode) throws IOException {
        Path f = Files.writeString(dir.resolve(name), content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }
}
