package dev.ivr.server.flow;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.server.flow.engine.Checkpoints;
import dev.ivr.server.flow.tools.ScriptedCrm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A flow changed while a call is in it: that call finishes on its version, the next gets the new one. */
@Tag("integration")
class HotReloadIT {
    static final Duration T = Duration.ofSeconds(30);

    static String flow(String version) {
        return """
                start: first
                nodes:
                  first:
                    type: say
                    text: %1$s first
                    next: second
                  second:
                    type: say
                    text: %1$s second
                    next: bye
                  bye:
                    type: hangup
                """.formatted(version);
    }

    static List<String> played(CallResult r) {
        return r.commands("STREAM FILE").stream().map(c -> c.arg(0, "")).toList();
    }

    @Test
    void callsInProgressKeepTheirVersionNewCallsGetTheNewOneAndABrokenEditIsRefused(@TempDir Path dir) throws Exception {
        Path flows = Files.createDirectories(dir.resolve("flows"));
        Path file = flows.resolve("hello.yaml");
        Files.writeString(file, flow("one"));
        try (FlowHarness h = new FlowHarness(flows, dir.resolve("prompts"), dir.resolve("calendars.yaml"),
                Clock.systemUTC(), new ScriptedCrm(List.of(), false), null, Checkpoints.NONE, true)) {
            String v1 = h.repository.flow("hello").orElseThrow().version();

            CompletableFuture<Void> release = new CompletableFuture<>();
            FakeCall inProgress = h.pbx.call("hello").caller(Caller.script().hold(release)).start();
            await().until(() -> h.listener.activeCalls() == 1);

            Files.writeString(file, flow("two")); // the watcher picks it up: no reload call here
            await().atMost(Duration.ofSeconds(30)).until(() -> !h.repository.flow("hello").orElseThrow().version().equals(v1));

            CallResult next = h.pbx.call("hello").run(T);
            assertThat(played(next)).containsExactly("tts/two_first", "tts/two_second");

            release.complete(null);
            CallResult old = inProgress.await(T);
            assertThat(played(old)).containsExactly("tts/one_first", "tts/one_second");

            // a broken edit: refused, with file:line:column, and version two keeps serving
            String v2 = h.repository.flow("hello").orElseThrow().version();
            Files.writeString(file, flow("three").replace("next: bye", "next: nowhere"));
            await().atMost(Duration.ofSeconds(30)).until(() -> "error".equals(h.repository.status("hello").orElseThrow().state()));
            FlowStatus s = h.repository.status("hello").orElseThrow();
            assertThat(s.version()).isEqualTo(v2);
            assertThat(s.fileVersion()).isNotEqualTo(v2);
            assertThat(s.lastError()).isEqualTo(file + ":10:11: node 'second' goes to 'nowhere' (next), which is not a "
                    + "node of this flow");
            assertThat(played(h.pbx.call("hello").run(T))).containsExactly("tts/two_first", "tts/two_second");

            // fixed again: served at once
            Files.writeString(file, flow("four"));
            await().atMost(Duration.ofSeconds(30)).until(() -> "ok".equals(h.repository.status("hello").orElseThrow().state()));
            assertThat(played(h.pbx.call("hello").run(T))).containsExactly("tts/four_first", "tts/four_second");
        }
    }
}
