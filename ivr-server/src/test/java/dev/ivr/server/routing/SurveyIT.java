package dev.ivr.server.routing;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.DialedLeg;
import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.config.QueueOverride;
import dev.ivr.server.config.RoutingConfig;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.testing.Closer;
import dev.ivr.server.testing.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.ivr.server.routing.RoutingHarness.config;
import static dev.ivr.server.routing.RoutingHarness.queue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The post-call survey over the fake PBX: support's callers go on to flows/post-call-survey.yaml when the agent
 * hangs up first (Dial returns to the AGI script with the caller's channel up, as Asterisk's does); the answers land
 * in the call's interaction with its queue and agent. A caller who hangs up first gets no survey, and a queue
 * without a survey flow goes on to the route node's on-connected.
 */
@Tag("integration")
class SurveyIT {
    static final Duration T = Duration.ofSeconds(60);
    static final Map<String, Integer> TECH = Map.of("technical", 3);
    final Closer open = new Closer();

    @AfterEach
    void stop() {
        open.close();
    }

    RoutingHarness harness(Path dir, String survey) throws Exception {
        IvrConfig cfg = TestConfigs.server(dir.resolve("data"));
        ClusterMember member = ClusterMember.start(cfg.cluster(), "survey", cfg.dataDir());
        open.add(member);
        Path flows = Files.createDirectories(dir.resolve("flows"));
        Files.copy(RoutingHarness.testFlows().resolve("queue-test.yaml"), flows.resolve("queue-test.yaml"));
        Files.copy(Path.of("../flows/post-call-survey.yaml"), flows.resolve("post-call-survey.yaml"));
        var support = queue("support", Map.of("technical", 1), Duration.ofSeconds(20), Duration.ZERO);
        if (survey != null) {
            support = QueueOverride.parse("{\"survey-flow\": \"" + survey + "\"}").applyTo(support);
        }
        RoutingConfig routing = config("exec", support, queue("sales", Map.of("sales", 1), Duration.ofSeconds(20),
                Duration.ZERO));
        RoutingHarness h = new RoutingHarness(member.hazelcast(), flows, RoutingHarness.testPrompts(),
                dir.resolve("no-calendars.yaml"), routing, new ScriptedCrm(List.of(), false), null, Clock.systemUTC());
        open.add(h);
        h.ready("ted", "PJSIP/2001", TECH);
        return h;
    }

    @Test
    void whenTheAgentHangsUpTheCallerAnswersTheSurveyAndTheAnswersLandInTheInteraction(@TempDir Path dir) throws Exception {
        RoutingHarness h = harness(dir, "post-call-survey");
        CallResult r = h.pbx.call("queue-test").callerId("+3612345678")
                .caller(Caller.script().dial(Caller.DialOutcome.ANSWER_AGENT_HANGS_UP).press("4").press("1")).run(T);
        assertThat(r.dials()).extracting(DialedLeg::status).containsExactly("ANSWER");
        assertThat(r.prompts()).anySatisfy(p -> assertThat(p).contains("How_satisfied"));
        Interaction i = h.interaction(r.uniqueId());
        assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ROUTED);
        assertThat(i.queue()).isEqualTo("support");
        assertThat(i.agentId()).isEqualTo("ted");
        assertThat(i.inputs()).containsEntry("survey_csat", "4").containsEntry("survey_resolved", "1");
        assertThat(i.path()).anySatisfy(n -> assertThat(n).contains("csat")).last().asString().contains("end-call");
    }

    @Test
    void aCallerWhoHangsUpFirstGetsNoSurvey(@TempDir Path dir) throws Exception {
        RoutingHarness h = harness(dir, "post-call-survey");
        CallResult r = h.pbx.call("queue-test").callerId("+3612345678")
                .caller(Caller.script().dial(Caller.DialOutcome.ANSWER)).run(T);
        Interaction i = h.interaction(r.uniqueId());
        assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ROUTED);
        assertThat(i.inputs()).doesNotContainKey("survey_csat");
        assertThat(r.prompts()).noneSatisfy(p -> assertThat(p).contains("How_satisfied"));
    }

    @Test
    void aQueueWithoutASurveyGoesOnToOnConnected(@TempDir Path dir) throws Exception {
        RoutingHarness h = harness(dir, null);
        CallResult r = h.pbx.call("queue-test").callerId("+3612345678")
                .caller(Caller.script().dial(Caller.DialOutcome.ANSWER_AGENT_HANGS_UP).press("4")).run(T);
        Interaction i = h.interaction(r.uniqueId());
        assertThat(i.inputs()).doesNotContainKey("survey_csat");
        assertThat(i.path()).last().asString().endsWith("bye");
    }
}
