package dev.ivr.server.prompt.render;

import dev.ivr.server.audio.AsteriskFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.common.base.Ticker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

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

    @Test
    void aKeySeenOnDiskIsNotLookedAtAgainForASecondAndAbsenceIsNeverRemembered() throws Exception {
        AtomicLong nanos = new AtomicLong();
        Ticker ticker = new Ticker() {
            @Override
            public long read() {
                return nanos.get();
            }
        };
        PromptCache cache = new PromptCache(tmp.resolve("c"), List.of(AsteriskFormat.WAV, AsteriskFormat.SLN16),
                SharedAudio.NONE, ticker);
        String key = PromptKey.forText("voice", "Hello.");
        assertThat(cache.contains(key)).isFalse();
        // written by another server sharing the directory: seen at once (absence was not remembered)
        PromptCache other = new PromptCache(tmp.resolve("c"), List.of(AsteriskFormat.WAV, AsteriskFormat.SLN16), SharedAudio.NONE);
        other.put(key, audio());
        assertThat(cache.contains(key)).isTrue();

        // deleted by hand: still taken as there until SEEN_FOR has passed since it was last looked at, then missing
        Files.delete(cache.file(key, AsteriskFormat.SLN16));
        nanos.addAndGet(PromptCache.SEEN_FOR.toNanos() - 1);
        assertThat(cache.contains(key)).isTrue();
        nanos.addAndGet(1);
        assertThat(cache.contains(key)).isFalse();
        assertThat(cache.contains(key)).isFalse();

        // written again by this server: seen at once
        cache.put(key, audio());
        Files.delete(cache.file(key, AsteriskFormat.WAV));
        assertThat(cache.contains(key)).isTrue();
        nanos.addAndGet(PromptCache.SEEN_FOR.toNanos());
        assertThat(cache.contains(key)).isFalse();
    }
}
