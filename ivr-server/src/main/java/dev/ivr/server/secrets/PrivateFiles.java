package dev.ivr.server.secrets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories only the server's own user may read: the data directory, the
 * database, the interaction outbox, generated secrets. Directories are 0700, files 0600,
 * whatever the umask, and existing ones left more open by an older version are tightened.
 * On a file system without POSIX permissions these are no-ops.
 */
public final class PrivateFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates the directory (and missing parents) as 0700, or makes an existing one 0700. */
    public static Path directory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, attributes(dir.toAbsolutePath().getRoot(), DIRECTORY));
            } catch (FileAlreadyExistsException e) {
                // created at the same time by another thread or process
            }
        }
        restrict(dir, DIRECTORY);
        return dir;
    }

    /** Makes an existing file 0600 (a file written by an older version, or by another tool). */
    public static void file(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            restrict(file, FILE);
        }
    }

    /** The attributes that create a file as 0600 (none where the file system has no POSIX permissions). */
    public static FileAttribute<?>[] fileAttributes(Path anywhereOnTheFileSystem) {
        return attributes(anywhereOnTheFileSystem, FILE);
    }

    private static FileAttribute<?>[] attributes(Path p, Set<PosixFilePermission> perms) {
        return posix(p) ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(perms)} : new FileAttribute<?>[0];
    }

    private static void restrict(Path p, Set<PosixFilePermission> wanted) throws IOException {
        if (!posix(p)) {
            return;
        }
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(p);
        if (!now.equals(wanted)) {
            Files.setPosixFilePermissions(p, wanted);
            LOG.info("{} made private: {} (was {})", p, PosixFilePermissions.toString(wanted), PosixFilePermissions.toString(now));
        }
    }

    private static boolean posix(Path p) {
        return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
