package dev.ivr.server.flow;

import dev.ivr.fakepbx.FakePbx;
import dev.ivr.server.agi.AgiListener;
import dev.ivr.server.call.ScriptResolvers;
import dev.ivr.server.config.AgiConfig;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.flow.engine.Checkpoints;
import dev.ivr.server.flow.engine.FlowEngine;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.prompt.PromptAudio;
import dev.ivr.server.prompt.PromptEntry;
import dev.ivr.server.speech.SpeechInput;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Flows served over real FastAGI sockets for the fake PBX: the listener, the repository and the
 * engine as the server wires them, with test doubles for the parts other issues build (audio,
 * CRM, router) and a fixed clock.
 */
final class FlowHarness implements AutoCloseable {
    /** Every prompt "plays": catalog prompts as ivr/LANG/ID, inline text as tts/TEXT (so tests see which). */
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

    final FlowRepository repository;
    final FlowEngine engine;
    final AgiListener listener;
    final FakePbx pbx;

    FlowHarness(Path flows, Path prompts, Path calendars, Clock clock, CrmStore crm, CallRouter router,
                Checkpoints checkpoints, boolean watch) throws IOException {
        this(flows, prompts, calendars, clock, crm, router, checkpoints, watch, SpeechInput.NONE);
    }

    /** With speech input: flows are validated against its models, listen nodes and speech menus use it. */
    FlowHarness(Path flows, Path prompts, Path calendars, Clock clock, CrmStore crm, CallRouter router,
                Checkpoints checkpoints, boolean watch, SpeechInput speech) throws IOException {
        this(flows, prompts, calendars, clock, crm, router, checkpoints, watch, speech, AUDIO);
    }

    /** With prompt audio of the test's own (renders that take time, files that are missing ...). */
    FlowHarness(Path flows, Path prompts, Path calendars, Clock clock, CrmStore crm, CallRouter router,
                Checkpoints checkpoints, boolean watch, SpeechInput speech, PromptAudio audio) throws IOException {
        repository = FlowRepository.open(new FlowLoader.Sources(flows, prompts, calendars, speech::modelStatus), clock);
        if (watch) {
            repository.watch();
        }
        engine = new FlowEngine(repository::current, audio, crm, router, checkpoints, clock, "harness", speech);
        listener = new AgiListener(new AgiConfig("127.0.0.1", 0, List.of("127.0.0.1/32"), Duration.ofSeconds(10), 8192,
                5000, Duration.ofSeconds(5)), "harness", ScriptResolvers.firstOf(List.of(new FlowScripts(repository, engine))),
                new SimpleMeterRegistry());
        listener.start();
        pbx = new FakePbx("127.0.0.1", listener.port());
    }

    @Override
    public void close() {
        listener.close();
        repository.close();
    }
}
