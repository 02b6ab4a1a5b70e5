package dev.ivr.server.flow;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.server.flow.engine.Checkpoints;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.prompt.PromptAudio;
import dev.ivr.server.prompt.PromptEntry;
import dev.ivr.server.speech.SpeechInput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While a prompt is being rendered the caller hears a silence that keys end (Asterisk drops keys
 * that come while no command runs): a key typed then is not lost, and the silence is cut short
 * (the next command ends it) as soon as the prompt is ready. The fake PBX drops keys between
 * commands and lets the next command end a playing prompt, as Asterisk does.
 */
@Tag("integration")
class PromptWaitIT {
    static final Duration T = Duration.ofSeconds(30);
    FlowHarness h;

    /** Catalog prompts and the menu are ready at once; the greeting (with the caller's name) takes {@code render}. */
    static PromptAudio slowGreeting(Duration render) {
        return new PromptAudio() {
            @Override
            public Optional<String> forPrompt(PromptEntry prompt, String renderedText) {
                return Optional.of("ivr/" + prompt.id());
            }

            @Override
            public Optional<String> fileFor(String text, String language) {
                return prepareText(text, language).join();
            }

            @Override
            public CompletableFuture<Optional<String>> prepareText(String text, String language) {
                if (!text.startsWith("Hello")) {
                    return CompletableFuture.completedFuture(Optional.of("tts/menu"));
                }
                return CompletableFuture.supplyAsync(() -> Optional.of("tts/greeting"),
                        CompletableFuture.delayedExecutor(render.toMillis(), TimeUnit.MILLISECONDS));
            }

            @Override
            public Optional<String> waitingSound() {
                return Optional.of("ivr/silence");
            }
        };
    }

    void start(Duration render) throws Exception {
        h = new FlowHarness(Path.of("src/test/resources/flows-render"), Path.of("../prompts"),
                Path.of("../config/calendars.yaml"), Clock.systemUTC(), new ScriptedCrm(List.of(), false), null,
                Checkpoints.NONE, false, SpeechInput.NONE, slowGreeting(render));
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aKeyTypedWhileTheGreetingRendersIsTheMenuChoice() throws Exception {
        start(Duration.ofSeconds(3));
        FakeCall call = h.pbx.call("greet").callerIdName("Anna").promptTime(Duration.ofSeconds(10)).realTimeouts()
                .caller(Caller.script().thenSilence()).start();
        org.awaitility.Awaitility.await().atMost(T).until(() -> call.snapshot().stream()
                .anyMatch(c -> c.name().equals("STREAM FILE") && c.arg(0, "").equals("ivr/silence")));
        Thread.sleep(200);
        call.pressKey('1');
        CallResult r = call.await(T);
        assertThat(call.lostKeys()).isEmpty();
        assertThat(r.variable("CHOICE")).isEqualTo("one");
        // the greeting was skipped: the caller had answered the menu already
        assertThat(r.prompts()).containsExactly("ivr/silence");
    }

    @Test
    void theSilenceIsCutShortWhenTheGreetingIsReadyAndTheGreetingPlays() throws Exception {
        start(Duration.ofMillis(500));
        CallResult r = h.pbx.call("greet").callerIdName("Anna").promptTime(Duration.ofSeconds(2))
                .caller(Caller.script().press("1")).run(T);
        // the silence (10 s on Asterisk) was ended by the next command: a NOOP, then the greeting
        assertThat(r.commandNames()).containsSubsequence("STREAM FILE", "NOOP", "STREAM FILE");
        assertThat(r.prompts()).containsSubsequence("ivr/silence", "tts/greeting", "tts/menu");
        assertThat(r.variable("CHOICE")).isEqualTo("one");
    }

    @Test
    void withoutTheWaitingSoundAKeyTypedWhileTheGreetingRendersIsLostAsOnAsterisk() throws Exception {
        // the greeting is ready when the test says so (a fixed render time raced with the test's own pause: on a
        // loaded machine the key could come after the render, during the menu)
        PromptAudio catalog = slowGreeting(Duration.ZERO);
        CompletableFuture<Void> rendering = new CompletableFuture<>();
        CompletableFuture<Optional<String>> greeting = new CompletableFuture<>();
        h = new FlowHarness(Path.of("src/test/resources/flows-render"), Path.of("../prompts"),
                Path.of("../config/calendars.yaml"), Clock.systemUTC(), new ScriptedCrm(List.of(), false), null,
                Checkpoints.NONE, false, SpeechInput.NONE, new PromptAudio() {
                    @Override
                    public Optional<String> forPrompt(PromptEntry prompt, String renderedText) {
                        return catalog.forPrompt(prompt, renderedText);
                    }

                    @Override
                    public Optional<String> fileFor(String text, String language) {
                        return prepareText(text, language).join();
                    }

                    @Override
                    public CompletableFuture<Optional<String>> prepareText(String text, String language) {
                        if (!text.startsWith("Hello")) {
                            return catalog.prepareText(text, language);
                        }
                        rendering.complete(null);
                        return greeting;
                    }
                });
        FakeCall call = h.pbx.call("greet").callerIdName("Anna").caller(Caller.script().thenSilence()).realTimeouts()
                .start();
        rendering.get(T.toSeconds(), TimeUnit.SECONDS);
        call.pressKey('1'); // the server waits for the render with no command running
        greeting.complete(Optional.of("tts/greeting"));
        CallResult r = call.await(T);
        assertThat(call.lostKeys()).containsExactly('1');
        assertThat(r.variable("CHOICE")).isEqualTo("none");
    }

    @Test
    void aPromptAsteriskCannotOpenIsNotTakenForAHangUpAndTheCallGoesOn() throws Exception {
        // Asterisk answers -1 (endpos=0) for a file it cannot open, and the channel stays up
        h = new FlowHarness(Path.of("src/test/resources/flows-render"), Path.of("../prompts"),
                Path.of("../config/calendars.yaml"), Clock.systemUTC(), new ScriptedCrm(List.of(), false), null,
                Checkpoints.NONE, false, SpeechInput.NONE, new PromptAudio() {
                    @Override
                    public Optional<String> forPrompt(PromptEntry prompt, String renderedText) {
                        return Optional.of("/nonexistent/prompt-cache/" + prompt.id());
                    }

                    @Override
                    public Optional<String> fileFor(String text, String language) {
                        return Optional.of(text.startsWith("Hello") ? "/nonexistent/prompt-cache/greeting" : "tts/menu");
                    }
                });
        CallResult r = h.pbx.call("greet").callerIdName("Anna").caller(Caller.script().press("1")).run(T);
        assertThat(r.commandNames()).containsSubsequence("STREAM FILE", "CHANNEL STATUS", "STREAM FILE", "WAIT FOR DIGIT");
        assertThat(r.variable("CHOICE")).isEqualTo("one");
        assertThat(r.hungUpBy()).isEqualTo(CallResult.HungUpBy.SERVER);
    }
}
