package dev.ivr.server.flow;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.server.crm.Customer;
import dev.ivr.server.flow.engine.Checkpoints;
import dev.ivr.server.flow.engine.FlowEngine;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.prompt.PromptAudio;
import dev.ivr.server.prompt.PromptEntry;
import dev.ivr.server.speech.SpeechInput;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18 (11): a known caller's greeting with their name, not rendered within the latency
 * budget, left the caller in silence before the menu; the generic greeting is said instead. And
 * the greetings with customers' names are rendered ahead of their calls.
 */
@Tag("integration")
class GreetingFallbackIT {
    static final Duration T = Duration.ofSeconds(30);
    static final String ANNA = "+3612345678";
    FlowHarness h;
    final List<String> prerendered = Collections.synchronizedList(new ArrayList<>());

    /** Every prompt is ready at once, except the one with the caller's name: over the budget (empty). */
    PromptAudio overBudgetGreeting() {
        return new PromptAudio() {
            @Override
            public Optional<String> forPrompt(PromptEntry prompt, String renderedText) {
                return Optional.of("ivr/" + prompt.id());
            }

            @Override
            public CompletableFuture<Optional<String>> prepare(PromptEntry prompt, String renderedText) {
                return CompletableFuture.completedFuture(prompt.id().equals("greet-known") ? Optional.empty()
                        : forPrompt(prompt, renderedText));
            }

            @Override
            public Optional<String> fileFor(String text, String language) {
                return Optional.of("tts/text");
            }

            @Override
            public CompletableFuture<?> prerender(PromptEntry prompt, String renderedText) {
                prerendered.add(prompt.language() + ":" + prompt.id() + ":" + renderedText);
                return CompletableFuture.completedFuture(null);
            }
        };
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void theGenericGreetingIsSaidWhenTheOneWithTheNameIsNotReady() throws Exception {
        ScriptedCrm crm = new ScriptedCrm(List.of(Map.of("id", "C-1001", "first-name", "Anna", "last-name", "Kovacs",
                "language", "en", "phones", List.of(ANNA))), false);
        h = new FlowHarness(Path.of("../flows"), Path.of("../prompts"), Path.of("../config/calendars.yaml"),
                Clock.fixed(Instant.parse("2025-06-02T08:00:00Z"), ZoneOffset.UTC), crm, null, Checkpoints.NONE, false,
                SpeechInput.NONE, overBudgetGreeting());
        CallResult r = h.pbx.call("customer-service").callerId(ANNA).caller(Caller.script().silence()).run(T);
        List<String> played = r.commands("STREAM FILE").stream().map(c -> c.arg(0, "")).toList();
        assertThat(played).startsWith("ivr/welcome", "ivr/main-menu");
    }

    @Test
    void greetingsRenderAheadInTheLanguageEachCustomerWouldHearEachTextOnce() throws Exception {
        h = new FlowHarness(Path.of("../flows"), Path.of("../prompts"), Path.of("../config/calendars.yaml"),
                Clock.systemUTC(), new ScriptedCrm(List.of(), false), null, Checkpoints.NONE, false, SpeechInput.NONE,
                overBudgetGreeting());
        // the CRM's groups by first name and language: (Emma, en) and (Emma, no language) are two groups that hear
        // the same English greeting; a language the flow does not speak falls back to the flow's first
        FlowEngine.FrequentValues crm = (columns, limit) -> List.of(
                new Customer(null, "Emma", null, "en", null, Map.of()),
                new Customer(null, "Emma", null, null, null, Map.of()),
                new Customer(null, "Noah", null, "sv", null, Map.of()));
        int n = h.engine.prerenderFrequentCustomerPrompts(crm, 3);
        assertThat(prerendered).contains("en:greet-known:Hello Emma, welcome back to Example Corp.",
                "en:auth-ok:Thank you, Emma. You are verified.", "en:greet-known:Hello Noah, welcome back to Example Corp.");
        assertThat(prerendered.stream().filter(s -> s.startsWith("en:greet-known:Hello Emma")).count()).isEqualTo(1);
        assertThat(n).isEqualTo(prerendered.size());
    }

    @Test
    void theGreetingsOfTheMostFrequentFirstNamesRenderAheadBoundedAndOff() throws Exception {
        h = new FlowHarness(Path.of("../flows"), Path.of("../prompts"), Path.of("../config/calendars.yaml"),
                Clock.systemUTC(), new ScriptedCrm(List.of(), false), null, Checkpoints.NONE, false, SpeechInput.NONE,
                overBudgetGreeting());
        List<String> asked = Collections.synchronizedList(new ArrayList<>());
        FlowEngine.FrequentValues crm = (columns, limit) -> {
            asked.add(new java.util.TreeSet<>(columns) + " " + limit);
            // what the CRM answers: its most frequent values of those columns, most customers first
            return List.of(new Customer(null, "Emma", null, "en", null, Map.of()),
                    new Customer(null, "Anna", null, "hu", null, Map.of()),
                    new Customer(null, "Noah", null, null, null, Map.of())).subList(0, Math.min(3, limit));
        };
        assertThat(h.engine.prerenderFrequentCustomerPrompts(crm, 0)).isZero();
        assertThat(asked).isEmpty(); // off: not even a look-up
        prerendered.clear();

        int n = h.engine.prerenderFrequentCustomerPrompts(crm, 2);
        // the flows' prompts by first name: by first name and language in the flows of several languages; the
        // Hungarian greeting says the full name (not rendered ahead)
        assertThat(asked).contains("[first_name, language] 2");
        assertThat(prerendered).contains("en:greet-known:Hello Emma, welcome back to Example Corp.",
                "en:auth-ok:Thank you, Emma. You are verified.");
        assertThat(prerendered).noneMatch(s -> s.startsWith("hu:") || s.contains("Noah")); // Noah is the third
        assertThat(n).isEqualTo(prerendered.size());
    }
}
