package dev.ivr.server.routing;

import com.hazelcast.core.HazelcastInstance;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.RoutingOptions;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.agi.AgiListener;
import dev.ivr.server.call.ScriptResolvers;
import dev.ivr.server.config.AgiConfig;
import dev.ivr.server.config.QueueConfig;
import dev.ivr.server.config.RoutingConfig;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.callcontext.TopicScreenPops;
import dev.ivr.server.flow.FlowRepository;
import dev.ivr.server.flow.FlowScripts;
import dev.ivr.server.flow.engine.Checkpoints;
import dev.ivr.server.flow.engine.FlowEngine;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.prompt.PromptAudio;
import dev.ivr.server.prompt.PromptEntry;
import dev.ivr.server.wire.OffCallThread;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * One IVR server's call side as the server wires it, over real sockets and a real Hazelcast
 * member: the FastAGI listener, flows and engine, and {@link RoutingModule} with its router,
 * report scripts and callbacks; the fake PBX dials in. Test doubles only for what other parts
 * build (prompt audio, CRM data).
 */
final class RoutingHarness implements AutoCloseable {
    private static final AtomicInteger NAMES = new AtomicInteger();

    /** Catalog prompts "play" as ivr/LANG/ID, inline text as tts/TEXT. */
    static final PromptAudio AUDIO = new PromptAudio() {
        @Override
        public Optional<String> forPrompt(PromptEntry prompt, String renderedText) {
            return Optional.of("ivr/" + prompt.language() + "/" + prompt.id());
        }

        @Override
        public Optional<String> fileFor(String text, String language) {
            return Optional.of("tts/" + text.replaceAll("[^A-Za-z0-9]+", "_"));
        }
    };

    /** System prompts as ivr/LANG/ID, numbers as say/LANG/N (one segment), counted nouns as say/LANG/NOUN/N. */
    static final QueueVoice VOICE = new QueueVoice() {
        @Override
        public Optional<String> prompt(String id, String language) {
            return Optional.of("ivr/" + language + "/" + id);
        }

        @Override
        public Optional<java.util.List<String>> number(long n, String language) {
            return Optional.of(java.util.List.of("say/" + language + "/" + n));
        }

        @Override
        public Optional<java.util.List<String>> count(long n, String noun, String language) {
            return Optional.of(java.util.List.of("say/" + language + "/" + noun + "/" + n));
        }
    };

    final String routingName = "test-routing-" + NAMES.incrementAndGet();
    final RoutingModule routing;
    /** Where routing runs the calls' cluster operations: the harness's own, as a server's. */
    private final OffCallThread offCallThread = new OffCallThread();
    final FlowRepository flows;
    final AgiListener listener;
    final FakePbx pbx;
    final ScriptedCrm crm;
    final FlowEngine engine;

    RoutingHarness(HazelcastInstance hz, Path flowsDir, Path promptsDir, Path calendars, RoutingConfig config,
                   ScriptedCrm crm, Originator originator, Clock clock) throws java.io.IOException {
        this.crm = crm;
        this.routing = RoutingModule.start(hz, config, RoutingOptions.defaults().withName(routingName), crm,
                new TopicScreenPops(hz), VOICE, originator, clock, "node-a", offCallThread);
        this.flows = FlowRepository.open(new FlowLoader.Sources(flowsDir, promptsDir, calendars), clock);
        this.engine = new FlowEngine(flows::current, AUDIO, crm, routing.router(), Checkpoints.NONE, clock, "node-a");
        this.listener = new AgiListener(new AgiConfig("127.0.0.1", 0, List.of("127.0.0.1/32"), Duration.ofSeconds(10),
                8192, 5000, Duration.ofSeconds(5)), "node-a",
                ScriptResolvers.firstOf(List.of(routing.scripts(), new FlowScripts(flows, engine))), new SimpleMeterRegistry());
        listener.start();
        this.pbx = new FakePbx("127.0.0.1", listener.port()).answerGosub("ivr-agent-answered", "agent-answered");
    }

    /** The test flows (flows/queue-test.yaml) and their prompts. */
    static Path testFlows() {
        return resource("routing/flows");
    }

    static Path testPrompts() {
        return resource("routing/prompts");
    }

    static Path resource(String name) {
        try {
            return Path.of(RoutingHarness.class.getClassLoader().getResource(name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    RoutingService service() {
        return routing.service();
    }

    /** A routing configuration with these queues and the sample dialplan's handler contexts. */
    static RoutingConfig config(String dialMode, QueueConfig... queues) {
        return new RoutingConfig(true, dialMode, "ivr-agent-leg", "ivr-agent-answered", "default", Duration.ofMinutes(2), Duration.ofMinutes(2),
                Duration.ofHours(1), List.of(), Duration.ofHours(1), "ivr-callback", 3, Duration.ofMinutes(5),
                Duration.ofSeconds(15), Duration.ofMinutes(2), List.of(queues), "ivr-transfer-out", null);
    }

    static QueueConfig queue(String id, Map<String, Integer> skills, Duration ringTime, Duration wrapUp) {
        return new QueueConfig(id, null, skills, null, null, null, null, List.of(), null, null, ringTime, wrapUp, null,
                Duration.ofSeconds(60), null, null, null, null, null);
    }

    /** Logs an agent in (English speaking) and makes them ready. */
    void ready(String id, String endpoint, Map<String, Integer> skills) {
        service().login(new AgentProfile(id, "Agent " + id, endpoint, skills, Set.of("en")));
        service().ready(id);
    }

    Interaction interaction(String callId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> crm.recorded().stream().anyMatch(i -> i.callId().equals(callId)));
        return crm.recorded().stream().filter(i -> i.callId().equals(callId)).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        listener.close();
        flows.close();
        for (var a : service().agents()) {
            try {
                service().logout(a.id());
            } catch (RuntimeException e) {
                // on a call or already out: the next test has its own routing name
            }
        }
        routing.close();
        offCallThread.close();
    }
}
