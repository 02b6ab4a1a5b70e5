package dev.ivr.server.testing;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import com.hazelcast.core.HazelcastInstance;
import dev.ivr.server.cluster.ClusterMember;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A cluster of one member of the server's own kind ({@link ClusterMember}, the test configuration's cluster on a
 * temporary data directory of its own), as a JUnit extension. In a static field it serves the class's tests, started
 * before the first and closed after the last:
 * <pre>{@code @RegisterExtension static final OneMember CLUSTER = new OneMember("sessions");}</pre>
 * in an instance field each test gets a member of its own, closed after it. (Two members: {@link MemberPair}.)
 */
public final class OneMember implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final String nodeName;
    private Path dir;
    private ClusterMember member;
    /** Whether the member serves the whole class (started by {@link #beforeAll}), not one test. */
    private boolean perClass;

    /** @param nodeName the member's node name */
    public OneMember(String nodeName) {
        this.nodeName = nodeName;
    }

    /** The member's Hazelcast instance. */
    public HazelcastInstance hazelcast() {
        if (member == null) {
            throw new IllegalStateException("the member of " + nodeName + " is not started: register the extension"
                    + " with @RegisterExtension");
        }
        return member.hazelcast();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        perClass = true;
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stop();
    }

    private void start() throws IOException {
        dir = Files.createTempDirectory("ivr-" + nodeName);
        member = ClusterMember.start(TestConfigs.server(dir).cluster(), nodeName, dir);
    }

    private void stop() throws IOException {
        try {
            if (member != null) {
                member.close();
            }
        } finally {
            member = null;
            if (dir != null) {
                MoreFiles.deleteRecursively(dir, RecursiveDeleteOption.ALLOW_INSECURE);
                dir = null;
            }
        }
    }
}
