package dev.ivr.server.prompt.render;

import dev.ivr.server.audio.AsteriskFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rendered prompts on disk, by content key: {@code <dir>/<first two hex digits>/<key>.<ext>}
 * for each configured format, written atomically (Asterisk never sees half a file, and
 * servers sharing the directory can write the same key at once). Backed by the cluster's
 * {@link SharedAudio}: a key another server rendered is copied, not synthesised again.
 */
public final class PromptCache {
    private static final Logger LOG = LoggerFactory.getLogger(PromptCache.class);

    private final Path dir;
    private final List<AsteriskFormat> formats;
    private final SharedAudio shared;

    public PromptCache(Path dir, List<AsteriskFormat> formats, SharedAudio shared) {
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("at least one audio format is needed");
        }
        this.dir = dir.toAbsolutePath().normalize();
        this.formats = List.copyOf(formats);
        this.shared = shared;
        try {
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the prompt cache directory " + this.dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The formats every entry is written in; the first is the one served over HTTP. */
    public List<AsteriskFormat> formats() {
        return formats;
    }

    /** Where a key's file of one format lives (whether or not it exists). */
    public Path file(String key, AsteriskFormat format) {
        requireKey(key);
        return dir.resolve(key.substring(0, 2)).resolve(key + "." + format.extension());
    }

    /** The path without extension, as STREAM FILE wants it. */
    public Path base(String key) {
        requireKey(key);
        return dir.resolve(key.substring(0, 2)).resolve(key);
    }

    /**
     * Whether every format of the key is on this server's disk, copying it from the cluster
     * when another server has rendered it.
     */
    public boolean contains(String key) {
        boolean all = true;
        for (AsteriskFormat f : formats) {
            if (!Files.isRegularFile(file(key, f))) {
                all = false;
                break;
            }
        }
        if (all) {
            return true;
        }
        Map<AsteriskFormat, byte[]> copied = new EnumMap<>(AsteriskFormat.class);
        for (AsteriskFormat f : formats) {
            Optional<byte[]> b = shared.get(key + "." + f.extension());
            if (b.isEmpty()) {
                return false;
            }
            copied.put(f, b.get());
        }
        writeLocal(key, copied);
        return true;
    }

    /** Stores every format of a key, here and in the cluster. */
    public void put(String key, Map<AsteriskFormat, byte[]> files) {
        for (AsteriskFormat f : formats) {
            if (!files.containsKey(f)) {
                throw new IllegalArgumentException("rendered audio lacks the " + f.extension() + " format");
            }
        }
        writeLocal(key, files);
        for (AsteriskFormat f : formats) {
            shared.put(key + "." + f.extension(), files.get(f));
        }
    }

    /** A file's bytes, from disk or the cluster; empty when neither has it. */
    public Optional<byte[]> read(String key, AsteriskFormat format) {
        Path p = file(key, format);
        try {
            if (Files.isRegularFile(p)) {
                return Optional.of(Files.readAllBytes(p));
            }
        } catch (IOException e) {
            LOG.warn("cannot read cached prompt {}: {}", p, e.toString());
        }
        if (contains(key)) {
            try {
                return Optional.of(Files.readAllBytes(p));
            } catch (IOException e) {
                LOG.warn("cannot read cached prompt {}: {}", p, e.toString());
            }
        }
        return Optional.empty();
    }

    private void writeLocal(String key, Map<AsteriskFormat, byte[]> files) {
        for (AsteriskFormat f : formats) {
            Path target = file(key, f);
            try {
                Files.createDirectories(target.getParent());
                Path tmp = Files.createTempFile(target.getParent(), "." + key, ".tmp");
                try {
                    Files.write(tmp, files.get(f));
                    try {
                        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target, e);
            }
        }
    }

    private static void requireKey(String key) {
        if (!PromptKey.isKey(key)) {
            throw new IllegalArgumentException("not a prompt key: " + key);
        }
    }
}
