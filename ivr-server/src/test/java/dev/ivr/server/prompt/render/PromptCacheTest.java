package dev.ivr.server.prompt.render;

import dev.ivr.server.audio.AsteriskFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Prompt files Asterisk, running as its own user, can read. */
class PromptCacheTest {
    @TempDir
    Path tmp;

    static Map<AsteriskFormat, byte[]> audio() {
        return Map.of(AsteriskFormat.WAV, new byte[]{1, 2}, AsteriskFormat.SLN16, new byte[]{3, 4});
    }

    @Test
    void filesAreReadableAsTheCacheDirectoryAllowsAndOlderOwnerOnlyFilesAreRepaired() throws Exception {
        Path open = Files.createDirectories(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        PromptCache cache = new PromptCache(open, List.of(AsteriskFormat.WAV, AsteriskFormat.SLN16), SharedAudio.NONE);
        String key = PromptKey.forText("voice", "Hello.");
        cache.put(key, audio());
        for (AsteriskFormat f : AsteriskFormat.values()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.file(key, f)))).isEqualTo("rw-r--r--");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.file(key, AsteriskFormat.WAV)
                .getParent()))).isEqualTo("rwxr-xr-x");
        // written by an older version: owner only
        Files.setPosixFilePermissions(cache.file(key, AsteriskFormat.WAV), PosixFilePermissions.fromString("rw-------"));
        assertThat(cache.repairPermissions()).isEqualTo(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.file(key, AsteriskFormat.WAV))))
                .isEqualTo("rw-r--r--");
        assertThat(cache.repairPermissions()).isZero();
    }

    @Test
    void aCacheDirectoryForOneGroupKeepsTheFilesToThatGroup() throws Exception {
        Path group = Files.createDirectories(tmp.resolve("group"));
        Files.setPosixFilePermissions(group, PosixFilePermissions.fromString("rwxr-x---"));
        PromptCache cache = new PromptCache(group, List.of(AsteriskFormat.WAV), SharedAudio.NONE);
        String key = PromptKey.forText("voice", "Hello.");
        cache.put(key, Map.of(AsteriskFormat.WAV, new byte[]{1}));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.file(key, AsteriskFormat.WAV))))
                .isEqualTo("rw-r-----");
    }
}
