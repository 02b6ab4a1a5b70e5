package dev.ivr.server.prompt.render;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.ivr.server.audio.AsteriskFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rendered prompts on disk, by content key: {@code <dir>/<first two hex digits>/<key>.<ext>}
 * for each configured format, written atomically (Asterisk never sees half a file, and
 * servers sharing the directory can write the same key at once). Backed by the cluster's
 * {@link SharedAudio}: a key another server rendered is copied, not synthesised again.
 *
 * <p>Asterisk runs as its own user and must read the files: each file is readable by whoever may
 * enter the cache directory (group and others as the directory's own mode says: the default
 * 0755 lets every user read them, a 0750 directory of a group Asterisk is in only that group),
 * and subdirectories get the directory's mode. Files an older version wrote owner-only are
 * repaired by {@link #repairPermissions()}.
 */
public final class PromptCache {
    private static final Logger LOG = LoggerFactory.getLogger(PromptCache.class);

    private final Path dir;
    private final List<AsteriskFormat> formats;
    private final SharedAudio shared;
    /** The cache directory's mode for new subdirectories, and the mode of files; null without POSIX permissions. */
    private final Set<PosixFilePermission> dirMode;
    private final Set<PosixFilePermission> fileMode;
    /**
     * Keys found complete on this server's disk (or written by it) within the last {@link #SEEN_FOR}: a call asks about
     * its prompts several times (prefetch, play, after a render), callers hear the same greeting and menu, and each
     * answer was one {@code stat} per format (2.6% of the server's CPU in the call-setup benchmark). Only presence is
     * remembered, never absence: a key rendered or copied meanwhile is seen at once; a file deleted by hand is seen
     * missing (and rendered or copied again) at most {@link #SEEN_FOR} later.
     */
    private final Cache<String, Boolean> seen;
    static final Duration SEEN_FOR = Duration.ofSeconds(1);
    static final int SEEN_KEYS = 10_000;

    public PromptCache(Path dir, List<AsteriskFormat> formats, SharedAudio shared) {
        this(dir, formats, shared, Ticker.systemTicker());
    }

    PromptCache(Path dir, List<AsteriskFormat> formats, SharedAudio shared, Ticker ticker) {
        this.seen = CacheBuilder.newBuilder().maximumSize(SEEN_KEYS).expireAfterWrite(SEEN_FOR).ticker(ticker).build();
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
        Set<PosixFilePermission> d;
        try {
            d = Files.getPosixFilePermissions(this.dir);
        } catch (IOException | UnsupportedOperationException e) {
            d = null;
        }
        this.dirMode = d;
        this.fileMode = d == null ? null : fileModeFor(d);
    }

    /** Owner read/write; group and others may read when they may enter the directory. */
    static Set<PosixFilePermission> fileModeFor(Set<PosixFilePermission> dirMode) {
        Set<PosixFilePermission> m = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        if (dirMode.contains(PosixFilePermission.GROUP_EXECUTE)) {
            m.add(PosixFilePermission.GROUP_READ);
        }
        if (dirMode.contains(PosixFilePermission.OTHERS_EXECUTE)) {
            m.add(PosixFilePermission.OTHERS_READ);
        }
        return m;
    }

    /** The mode prompt files get (null where the file system has no POSIX permissions). */
    public Set<PosixFilePermission> fileMode() {
        return fileMode == null ? null : Set.copyOf(fileMode);
    }

    /**
     * Gives the read permissions of {@link #fileMode()} to cached files and subdirectories that
     * lack them (written by an older version, or by hand).
     *
     * @return how many files and directories were changed
     */
    public int repairPermissions() {
        if (fileMode == null) {
            return 0;
        }
        int changed = 0;
        try (Stream<Path> all = Files.walk(dir, 2)) {
            for (Path p : all.toList()) {
                if (p.equals(dir)) {
                    continue;
                }
                Set<PosixFilePermission> want = Files.isDirectory(p) ? dirMode : fileMode;
                Set<PosixFilePermission> have = Files.getPosixFilePermissions(p);
                if (!have.containsAll(want)) {
                    Set<PosixFilePermission> next = EnumSet.copyOf(have);
                    next.addAll(want);
                    Files.setPosixFilePermissions(p, next);
                    changed++;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot check the permissions of the prompt cache {}: {}", dir, e.toString());
        }
        return changed;
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
     * when another server has rendered it. A key seen there within the last {@link #SEEN_FOR} is not looked at again.
     */
    public boolean contains(String key) {
        if (seen.getIfPresent(key) != null) {
            return true;
        }
        boolean all = true;
        for (AsteriskFormat f : formats) {
            if (!Files.isRegularFile(file(key, f))) {
                all = false;
                break;
            }
        }
        if (all) {
            seen.put(key, Boolean.TRUE);
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
        seen.put(key, Boolean.TRUE);
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
        seen.put(key, Boolean.TRUE);
        for (AsteriskFormat f : formats) {
            shared.put(key + "." + f.extension(), files.get(f));
        }
    }

    /**
     * Whether this server should render a key ahead of calls: false when another server of the
     * cluster claimed it (it will be copied from there when a call needs it).
     */
    public boolean claim(String key) {
        return shared.claim(key);
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
                createSubdirectory(target.getParent());
                Path tmp = Files.createTempFile(target.getParent(), "." + key, ".tmp");
                try {
                    Files.write(tmp, files.get(f));
                    if (fileMode != null) {
                        Files.setPosixFilePermissions(tmp, fileMode); // createTempFile makes it owner-only
                    }
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

    private void createSubdirectory(Path sub) throws IOException {
        if (Files.isDirectory(sub)) {
            return;
        }
        Files.createDirectories(sub);
        if (dirMode != null) {
            Files.setPosixFilePermissions(sub, dirMode);
        }
    }

    private static void requireKey(String key) {
        if (!PromptKey.isKey(key)) {
            throw new IllegalArgumentException("not a prompt key: " + key);
        }
    }
}
