package dev.ivr.server.flow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.call.CallInfo;
import dev.ivr.server.config.LanguagesConfig;
import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.flow.tools.CallerSteps;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.flow.tools.SimulatedChannel;
import dev.ivr.server.flow.tools.Transcript;
import dev.ivr.server.flow.tools.TranscriptAudio;
import dev.ivr.server.speech.SpeechModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The claim ({@link Checkpoints#loadOrClaim}): a store that can saves a new call's first checkpoint in the operation
 * that looks for one to resume from, taken before the call's opening (channel variables, language by DNIS, campaign)
 * and marked {@code "opened":false}; the checkpoint before the first node is written again only when the opening
 * changed the state; a call resumed from a claim runs its opening again.
 */
class CheckpointClaimTest {
    static final Instant AT = Instant.parse("2025-06-02T08:00:00Z");

    @TempDir
    static Path dir;
    static FlowSet flows;

    @BeforeAll
    static void load() throws Exception {
        Files.writeString(dir.resolve("plain.yaml"), """
                description: no opening work
                start: hello
                languages: [en]
                nodes:
                  hello:
                    type: say
                    text: Hello.
                    next: bye
                  bye:
                    type: hangup
                """);
        // the same flow, reading a channel variable as it starts
        Files.writeString(dir.resolve("vars.yaml"), Files.readString(dir.resolve("plain.yaml"))
                .replace("description: no opening work", "description: reads a channel variable\nchannel-variables: [ACCOUNT]"));
        // in two languages, for the language by the number dialled
        Files.writeString(dir.resolve("two.yaml"), Files.readString(dir.resolve("plain.yaml"))
                .replace("languages: [en]", "languages: [en, hu]"));
        flows = CheckpointFormatTest.flowsIn(dir);
    }

    /** A store that claims: loadOrClaim saves {@code first} when it holds nothing. */
    static final class Claiming implements Checkpoints {
        final List<String> claims = new ArrayList<>();
        final List<String> saves = new ArrayList<>();
        String held;

        Claiming(String held) {
            this.held = held;
        }

        @Override
        public void save(String callId, String state) {
            saves.add(state);
            held = state;
        }

        @Override
        public Optional<String> load(String callId) {
            throw new AssertionError("a claiming store is asked with loadOrClaim");
        }

        @Override
        public Optional<String> loadOrClaim(String callId, String first) {
            if (held != null) {
                return Optional.of(held);
            }
            claims.add(first);
            held = first;
            return Optional.empty();
        }

        @Override
        public boolean claims() {
            return true;
        }

        @Override
        public void delete(String callId) {
        }
    }

    static SimulatedChannel channel(String account) {
        return channel(account, Map.of());
    }

    /** @param query the AGI URL's parameters ({@code campaign} and {@code customer}: a campaign's callee) */
    static SimulatedChannel channel(String account, Map<String, String> query) {
        SimulatedChannel c = new SimulatedChannel(new CallInfo("call-1", "x", query, List.of(), "+15551230000", "",
                "1000", "Local/cp-00000001;1", "en", "test", "1000", "127.0.0.1"), CallerSteps.parse("hangup"), null,
                x -> { });
        if (account != null) {
            c.variables().put("ACCOUNT", account);
        }
        return c;
    }

    static void run(Checkpoints checkpoints, SimulatedChannel channel, String flow) {
        run(checkpoints, channel, flow, LanguageByDnis.NONE);
    }

    static void run(Checkpoints checkpoints, SimulatedChannel channel, String flow, LanguageByDnis byDnis) {
        Transcript t = new Transcript(x -> { });
        ScriptedCrm crm = new ScriptedCrm(List.of(Map.of("id", "C1", "first-name", "Anna", "last-name", "Kovacs",
                "language", "en")), false);
        FlowEngine engine = new FlowEngine(() -> flows, new TranscriptAudio(), crm, CallRouter.NONE, checkpoints,
                Clock.fixed(AT, ZoneOffset.UTC), "node-a", channel.speech(SpeechModels.SIMULATED), byDnis);
        try {
            engine.run(channel, flow, t);
        } catch (RuntimeException e) {
            // the caller hung up
        }
    }

    @Test
    void aNewCallWhoseOpeningChangesNothingIsCheckpointedOnceAsItStarts() {
        Claiming cp = new Claiming(null);
        run(cp, channel(null), "plain");
        assertThat(cp.claims).singleElement().satisfies(c -> {
            assertThat(c).startsWith("{\"v\":1,\"opened\":false,\"server\":\"node-a\"");
            assertThat(c).contains("\"node\":\"hello\"");
        });
        assertThat(cp.saves).isEmpty(); // the claim is the checkpoint before the first node; hangup: none
    }

    @Test
    void aNewCallWhoseOpeningReadChannelVariablesIsCheckpointedAgainAfterIt() {
        Claiming cp = new Claiming(null);
        run(cp, channel("12345"), "vars");
        assertThat(cp.claims).singleElement().satisfies(c -> assertThat(c).contains("\"callVars\":{}"));
        assertThat(cp.saves).singleElement().satisfies(s -> {
            assertThat(s).doesNotContain("opened");
            assertThat(s).contains("\"callVars\":{\"ACCOUNT\":\"12345\"}").contains("\"node\":\"hello\"");
        });
    }

    @Test
    void aNewCallWhoseOpeningSwitchedItsLanguageByTheNumberDialledIsCheckpointedAgainAfterIt() {
        Claiming cp = new Claiming(null);
        run(cp, channel(null), "two", LanguageByDnis.of(new LanguagesConfig(Map.of("1000", "hu"))));
        assertThat(cp.claims).singleElement().satisfies(c -> assertThat(c).contains("\"language\":\"en\""));
        assertThat(cp.saves).singleElement().satisfies(s -> assertThat(s).doesNotContain("opened")
                .contains("\"language\":\"hu\""));
    }

    @Test
    void aNewCallWhoseNumberGivesTheLanguageItHasIsCheckpointedOnce() {
        Claiming cp = new Claiming(null);
        run(cp, channel(null), "two", LanguageByDnis.of(new LanguagesConfig(Map.of("1000", "en"))));
        assertThat(cp.claims).hasSize(1);
        assertThat(cp.saves).isEmpty();
    }

    @Test
    void aCampaignCallWhoseCalleeIsKnownIsCheckpointedAgainAfterItsOpening() {
        Claiming cp = new Claiming(null);
        run(cp, channel(null, Map.of("campaign", "renewals", "customer", "C1")), "plain");
        assertThat(cp.claims).singleElement().satisfies(c -> assertThat(c).contains("\"customerId\":null"));
        assertThat(cp.saves).singleElement().satisfies(s -> assertThat(s).contains("\"customerId\":\"C1\""));
    }

    @Test
    void aCampaignCallWhoseCalleeIsUnknownIsCheckpointedOnce() {
        Claiming cp = new Claiming(null);
        run(cp, channel(null, Map.of("campaign", "renewals", "customer", "C404")), "plain");
        assertThat(cp.claims).hasSize(1);
        assertThat(cp.saves).isEmpty();
    }

    @Test
    void aCallResumedFromAClaimRunsItsOpeningAgain() {
        Claiming first = new Claiming(null);
        run(first, channel("12345"), "vars");
        Claiming cp = new Claiming(first.claims.getFirst()); // the server died in the opening: only the claim is there
        run(cp, channel("12345"), "vars");
        assertThat(cp.claims).isEmpty();
        // as it resumes ("this server has the call now"), still marked; then, the opening run, the full checkpoint
        assertThat(cp.saves).hasSize(2);
        assertThat(cp.saves.get(0)).contains("\"opened\":false").contains("\"callVars\":{}");
        assertThat(cp.saves.get(1)).doesNotContain("opened").contains("\"callVars\":{\"ACCOUNT\":\"12345\"}");
    }

    @Test
    void aCallResumedFromACheckpointTakenAfterItsOpeningDoesNotRunItAgain() {
        Claiming first = new Claiming(null);
        run(first, channel("12345"), "vars");
        Claiming cp = new Claiming(first.saves.getFirst());
        run(cp, channel("67890"), "vars"); // a different value now: not read again
        assertThat(cp.saves).hasSize(1);
        assertThat(cp.saves.getFirst()).contains("\"callVars\":{\"ACCOUNT\":\"12345\"}");
    }

    @Test
    void aStoreThatDoesNotClaimIsReadAndWrittenAsBefore() {
        CheckpointFormatTest.Saved cp = new CheckpointFormatTest.Saved(null);
        run(cp, channel(null), "plain");
        assertThat(cp.saves).singleElement().satisfies(s -> assertThat(s).doesNotContain("opened"));
    }
}
