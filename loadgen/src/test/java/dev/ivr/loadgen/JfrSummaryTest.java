package dev.ivr.loadgen;

import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The profile summary: what a stack is charged to, and a real recording summarised. */
class JfrSummaryTest {
    @Test
    void aStackIsChargedToTheFirstFrameThatIsNotTheJdks() {
        List<String> h2Write = List.of("sun.nio.ch.UnixFileDispatcherImpl.pwrite0", "org.h2.mvstore.FileStore.writeFully",
                "org.h2.mvstore.MVStore.commit", "dev.ivr.server.crm.store.JdbcCrmStore.record",
                "dev.ivr.server.flow.engine.FlowEngine.finish");
        assertThat(JfrSummary.component(h2Write)).isEqualTo("H2 database");
        assertThat(JfrSummary.closestIvr(h2Write)).isEqualTo("server.crm.store.JdbcCrmStore.record");
        assertThat(JfrSummary.component(List.of("java.util.regex.Pattern.compile", "ch.qos.logback.core.Foo.bar")))
                .isEqualTo("logging (Logback)");
        assertThat(JfrSummary.component(List.of("jdk.internal.vm.Continuation.yield", "java.lang.VirtualThread.park")))
                .isEqualTo("JDK: virtual-thread scheduling");
        assertThat(JfrSummary.component(List.of("sun.nio.ch.SocketDispatcher.write0", "sun.nio.ch.NioSocketImpl.write")))
                .isEqualTo("JDK: socket I/O");
        assertThat(JfrSummary.component(List.of("org.example.Thing.run"))).isEqualTo("other library (org.example.Thing)");
        assertThat(JfrSummary.closestIvr(List.of("java.lang.Thread.run"))).isEqualTo("(no ivr frame: JDK, other)");
    }

    @Test
    void summarisesARecordingOfThisJvm(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("r.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ObjectAllocationSample").with("throttle", "1000/s");
            r.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
            r.enable("jdk.GarbageCollection");
            r.start();
            List<byte[]> keep = new ArrayList<>();
            long sum = 0;
            for (int i = 0; i < 20_000; i++) {
                keep.add(new byte[1024]);
                if (keep.size() > 1000) {
                    keep.clear();
                }
                sum += Long.toString(i * 31L).hashCode();
            }
            System.gc();
            r.stop();
            r.dump(file);
            assertThat(sum).isNotZero();
        }
        String md = JfrSummary.markdown(file, 5);
        assertThat(md).contains("### CPU by component").contains("### Allocation by class").contains("[B")
                .contains("### GC").contains("### Blocking");
    }
}
