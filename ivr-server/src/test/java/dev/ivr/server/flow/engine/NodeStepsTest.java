package dev.ivr.server.flow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.flow.tools.CallerSteps;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.flow.tools.ScriptedRouter;
import dev.ivr.server.flow.tools.Simulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node steps of the engine ({@link HoursStep}, {@link JumpSteps}, {@link RouteStep}, {@link RecordingSteps}),
 * each on small flows run on the simulated channel: what the step decides, and what it leaves in the call's
 * record.
 */
class NodeStepsTest {
    /** A Monday morning, when the support calendar is open. */
    static final Instant OPEN = Instant.parse("2025-06-02T08:00:00Z");
    /** A Sunday night, when it is closed. */
    static final Instant CLOSED = Instant.parse("2025-06-01T22:00:00Z");

    @TempDir
    static Path dir;
    static FlowSet flows;

    @BeforeAll
    static void load() throws Exception {
        Files.writeString(dir.resolve("main.yaml"), """
                description: the node steps
                start: hours
                languages: [en]
                nodes:
                  hours:
                    type: hours
                    calendar: support
                    on-open: sub
                    on-closed: closed
                    on-holiday: closed
                  closed:
                    type: goto
                    flow: other
                  sub:
                    type: subflow
                    flow: child
                    outcomes:
                      done: queue
                    next: bye
                  queue:
                    type: route
                    queue: billing
                    announcement:
                      prompt: queue-wait
                      every: 30s
                    wait-options:
                      "1": mailbox
                    on-connected: bye
                    on-timeout: mailbox
                    on-no-agents: mailbox
                    next: bye
                  mailbox:
                    type: voicemail
                    mailbox: 2000@support
                  bye:
                    type: hangup
                    outcome: self-served
                """);
        Files.writeString(dir.resolve("child.yaml"), """
                description: a subflow that returns an outcome
                start: back
                languages: [en]
                nodes:
                  back:
                    type: return
                    outcome: done
                """);
        Files.writeString(dir.resolve("other.yaml"), """
                description: where a goto lands
                start: rec
                languages: [en]
                nodes:
                  rec:
                    type: record
                    into: message
                    next: end
                  end:
                    type: hangup
                """);
        FlowLoader.Loaded loaded = FlowLoader.load(new FlowLoader.Sources(dir, Path.of("../prompts"),
                Path.of("../config/calendars.yaml")));
        assertThat(loaded.hasErrors()).as("%s %s", loaded.problems(), loaded.flows()).isFalse();
        flows = loaded.flowSet();
    }

    static List<String> run(Instant at, CallRouter router) {
        return Simulation.run(flows, new Simulation.Call("main", "+15550000000", "1000", "en", List.of(), at,
                CallerSteps.parse("silence"), null, new ScriptedCrm(List.of(), false), router), x -> { }).lines();
    }

    static String all(List<String> lines) {
        return String.join("\n", lines);
    }

    @Test
    void hoursOpenEntersTheSubflowWhoseReturnOutcomeLeadsToTheQueue() {
        String t = all(run(OPEN, new ScriptedRouter(Map.of("billing", Map.of("result", "connected", "agent", "agent-7")))));
        assertThat(t).contains("calendar support: OPEN").contains("returns from child with done")
                .contains("route to queue billing").contains("route billing: connected to agent agent-7").contains("hangs up");
    }

    @Test
    void hoursClosedGoesToAnotherFlowWhichRecords() {
        String t = all(run(CLOSED, CallRouter.NONE));
        assertThat(t).contains("calendar support: CLOSED").contains("continues in flow other")
                .contains("recorded ivr/recordings/").contains("-message.wav");
    }

    @Test
    void aTimedOutRouteLeavesAMessage() {
        String t = all(run(OPEN, new ScriptedRouter(Map.of("billing", Map.of("result", "timeout", "wait", "5m")))));
        assertThat(t).contains("route billing: no agent within the wait limit").contains("voicemail 2000@support");
    }

    @Test
    void aWaitOptionKeyFollowsItsEdge() {
        String t = all(run(OPEN, new ScriptedRouter(Map.of("billing", Map.of("result", "key", "key", "1")))));
        assertThat(t).contains("route billing: the caller pressed 1").contains("voicemail 2000@support");
    }

    @Test
    void withoutARouterTheRouteTakesItsFailureEdge() {
        String t = all(run(OPEN, CallRouter.NONE));
        assertThat(t).contains("route billing: FAILED (no router)").contains("hangs up").doesNotContain("voicemail");
    }

    @Test
    void theRouteRequestCarriesTheRenderedAnnouncement() {
        ScriptedRouter router = new ScriptedRouter(Map.of("billing", Map.of("result", "no-agents")));
        String t = all(run(OPEN, router));
        assertThat(t).contains("voicemail 2000@support");
        assertThat(router.requests()).singleElement().satisfies(r -> {
            assertThat(r.queue()).isEqualTo("billing");
            assertThat(r.announcement().text()).startsWith("All our agents are busy");
            assertThat(r.callback()).isNull();
        });
    }
}
