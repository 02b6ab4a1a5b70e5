package dev.ivr.server.testing;

import dev.ivr.server.IvrServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** Two whole servers in one cluster on loopback (data in {@code dir/a} and {@code dir/b}); closing stops b, then a. */
public final class ServerPair implements AutoCloseable {
    public final IvrServer a;
    public final IvrServer b;

    private ServerPair(IvrServer a, IvrServer b) {
        this.a = a;
        this.b = b;
    }

    /** @param common settings of both (a cluster name of the test's own among them) */
    public static ServerPair start(Path dir, Map<String, String> common) throws java.io.IOException {
        IvrServer a = IvrServer.start(TestConfigs.server(Files.createDirectories(dir.resolve("a")), common));
        Map<String, String> bEnv = new HashMap<>(common);
        bEnv.put("IVR_CLUSTER_MEMBERS", TestConfigs.address(a.hazelcast())); // both on port 0: b is told a's
        IvrServer b;
        try {
            b = IvrServer.start(TestConfigs.server(Files.createDirectories(dir.resolve("b")), bEnv));
        } catch (RuntimeException e) {
            a.stop();
            throw e;
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> b.hazelcast().getCluster().getMembers().size() == 2);
        return new ServerPair(a, b);
    }

    @Override
    public void close() {
        b.stop();
        a.stop();
    }
}
