package dev.ivr.server.cli;

import dev.ivr.server.cluster.ClusterSecret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ivr-server cluster-key FILE}: writes a new cluster secret (32 random bytes) readable by its owner only. */
@Command(name = "cluster-key", mixinStandardHelpOptions = true,
        description = "Write a new cluster secret into FILE (32 random bytes, base64, mode 600) for cluster.secret-file;"
                + " copy the same file to every member. Never overwrites.")
public final class ClusterKeyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Where to write the secret, e.g. /etc/ivr/cluster.key.")
    Path file;

    @Override
    public Integer call() {
        try {
            ClusterSecret.generate(file);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof FileAlreadyExistsException) {
                System.err.println("cluster-key: " + file + " exists; it is not overwritten (a new key needs every member"
                        + " restarted with it: see docs/security.md)");
                return 1;
            }
            System.err.println("cluster-key: cannot write " + file + ": " + e.getCause().getMessage());
            return 1;
        }
        System.out.println("cluster secret written to " + file + " (mode 600): set cluster.secret-file to it on every"
                + " member, owned by the service user");
        return 0;
    }
}
