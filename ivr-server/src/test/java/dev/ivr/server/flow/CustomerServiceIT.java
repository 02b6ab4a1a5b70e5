package dev.ivr.server.flow;

import dev.ivr.fakepbx.AgiCommand;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.server.call.CallChannel;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.engine.Checkpoints;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.flow.route.RouteRequest;
import dev.ivr.server.flow.route.RouteResult;
import dev.ivr.server.flow.tools.ScriptedCrm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The shipped customer-service flow end to end: the fake PBX over TCP, the real listener and engine. */
@Tag("integration")
class CustomerServiceIT {
    static final Duration T = Duration.ofSeconds(30);
    static final String ANNA = "+3612345678";
    static FlowHarness h;
    static ScriptedCrm crm;
    static final List<RouteRequest> routed = Collections.synchronizedList(new ArrayList<>());

    /** The router double: every queue connects to agent-7 after 20 s, with 3 min of talk. */
    static final CallRouter ROUTER = (RouteRequest r, CallChannel ch) -> {
        routed.add(r);
        return new RouteResult.Connected("agent-7", Duration.ofSeconds(20), Duration.ofMinutes(3));
    };

    @BeforeAll
    static void start() throws Exception {
        crm = new ScriptedCrm(List.of(Map.of("id", "C-1001", "first-name", "Anna", "last-name", "Kovacs", "tier", "gold",
                "language", "en", "phones", List.of(ANNA), "accounts", List.of(Map.of("number", "12345678", "pin", "4321")))),
                false);
        Clock mondayMorning = Clock.fixed(Instant.parse("2025-06-02T08:00:00Z"), ZoneOffset.UTC);
        h = new FlowHarness(Path.of("../flows"), Path.of("../prompts"), Path.of("../config/calendars.yaml"),
                mondayMorning, crm, ROUTER, Checkpoints.NONE, false);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static Interaction interaction(String callId) {
        await().until(() -> crm.recorded().stream().anyMatch(i -> i.callId().equals(callId)));
        return crm.recorded().stream().filter(i -> i.callId().equals(callId)).findFirst().orElseThrow();
    }

    /** The prompts played: STREAM FILE's, and GET DATA's own (an account or PIN prompt that listens for the keys). */
    static List<String> played(CallResult r) {
        return r.prompts().stream().filter(p -> !p.isEmpty()).toList();
    }

    @ParameterizedTest(name = "key {0} → {1}")
    @CsvSource({"2, support", "3, sales"})
    void eachDepartmentOfTheMainMenuRoutesToItsQueue(String key, String queue) {
        CallResult r = h.pbx.call("customer-service").callerId(ANNA).caller(Caller.script().press(key)).run(T);
        Interaction i = interaction(r.uniqueId());
        assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ROUTED);
        assertThat(i.queue()).isEqualTo(queue);
        assertThat(i.agentId()).isEqualTo("agent-7");
        assertThat(i.inputs()).containsEntry("menu_choice", key);
        assertThat(played(r)).containsSubsequence("ivr/en/greet-known", "ivr/en/main-menu");
        assertThat(routed).anyMatch(q -> q.callId().equals(r.uniqueId()) && q.queue().equals(queue));
        assertThat(r.variable("IVR_OUTCOME")).isEqualTo("ROUTED");
        assertThat(r.commandNames()).containsSubsequence("WAIT FOR DIGIT", "SET VARIABLE", "HANGUP");
    }

    @Test
    void billingVerifiesTheCallerThenRoutesWithTheContextAndNeverShowsThePin() {
        CallResult r = h.pbx.call("customer-service").callerId(ANNA)
                .caller(Caller.script().press("1").press("12345678#").press("4321#")).run(T);
        Interaction i = interaction(r.uniqueId());
        assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ROUTED);
        assertThat(i.authOutcome()).isEqualTo("OK");
        assertThat(i.customerId()).isEqualTo("C-1001");
        assertThat(i.path()).containsSubsequence("main-menu", "billing", "verify", "verify-caller/ask",
                "verify-caller/thank-you", "to-billing", "end-call");
        assertThat(played(r)).containsSubsequence("ivr/en/main-menu", "ivr/en/enter-account", "ivr/en/enter-pin",
                "ivr/en/auth-ok");
        // each number is one GET DATA that plays its prompt and hears every key (none dropped between commands)
        assertThat(r.commands("GET DATA")).extracting(c -> c.arg(0, "")).containsSubsequence("ivr/en/enter-account",
                "ivr/en/enter-pin");
        RouteRequest q = routed.stream().filter(x -> x.callId().equals(r.uniqueId())).findFirst().orElseThrow();
        assertThat(q.queue()).isEqualTo("billing");
        assertThat(q.skills()).containsEntry("billing", 3);
        assertThat(q.priority()).isEqualTo(5);
        assertThat(q.context()).containsEntry("customer", "Anna Kovacs").containsEntry("account", "12345678")
                .containsEntry("verified", "true").containsEntry("reason", "billing");
        assertThat(q.context().values()).noneMatch(v -> v.contains("4321"));
        assertThat(i.inputs().values()).noneMatch(v -> v.contains("4321"));
    }

    @Test
    void zeroGoesToTheOperatorThroughTheDialplan() {
        // the operator answers, talks, and hangs up first: the caller's channel is still up
        CallResult r = h.pbx.call("customer-service").callerId(ANNA)
                .caller(Caller.script().press("0").dial(Caller.DialOutcome.ANSWER_AGENT_HANGS_UP)).run(T);
        assertThat(r.execs("Dial")).extracting(AgiCommand::raw).anyMatch(c -> c.contains("Local/100@from-ivr,30"));
        assertThat(interaction(r.uniqueId()).outcome()).isEqualTo(Interaction.Outcome.TRANSFERRED);
    }

    @Test
    void noInputAndInvalidKeysAreRepromptedUntilTheFallback() {
        // unknown caller: silence at the language menu (carry on in English), then main menu:
        // silence, a wrong key, silence again: the retries are used up, the operator takes over
        CallResult r = h.pbx.call("customer-service").callerId("+3619999999")
                .caller(Caller.script().silence().silence().press("7").silence().dial(Caller.DialOutcome.BUSY)
                        .silence())
                .run(T);
        assertThat(played(r)).containsExactly("ivr/en/welcome", "ivr/en/language-menu", "ivr/en/main-menu",
                "ivr/en/no-input", "ivr/en/main-menu", "ivr/en/invalid-choice", "ivr/en/main-menu",
                "ivr/en/operator-unavailable");
        Interaction i = interaction(r.uniqueId());
        assertThat(i.path()).containsExactly("check-hours", "identify-caller", "greet-anonymous", "language-menu",
                "main-menu", "operator", "operator-unavailable", "leave-message");
        assertThat(r.execs("VoiceMail")).extracting(c -> c.arg(1, "")).containsExactly("2000@support,u");
        assertThat(i.outcome()).isEqualTo(Interaction.Outcome.VOICEMAIL);
    }

    @Test
    void bargeInDuringTheGreetingChoosesFromTheMenuAtOnce() {
        CallResult r = h.pbx.call("customer-service").callerId(ANNA).caller(Caller.script().bargeIn("2")).run(T);
        AgiCommand greeting = r.commands("STREAM FILE").get(0);
        assertThat(greeting.args()).containsExactly("ivr/en/greet-known", "0123456789*#");
        assertThat(played(r)).containsExactly("ivr/en/greet-known"); // the menu prompt is not said again
        Interaction i = interaction(r.uniqueId());
        assertThat(i.queue()).isEqualTo("support");
        assertThat(i.inputs()).containsEntry("menu_choice", "2");
    }

    @Test
    void aCallerHangingUpMidPromptEndsTheFlowAndIsRecordedAsAbandoned() {
        CallResult r = h.pbx.call("customer-service").callerId(ANNA).caller(Caller.script().hangUp()).run(T);
        assertThat(r.hungUpBy()).isEqualTo(CallResult.HungUpBy.CALLER);
        assertThat(played(r)).containsExactly("ivr/en/greet-known");
        assertThat(r.commandNames()).doesNotContain("WAIT FOR DIGIT", "EXEC");
        Interaction i = interaction(r.uniqueId());
        assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ABANDONED_IN_IVR);
        assertThat(i.path()).containsExactly("check-hours", "identify-caller", "greet-known");
    }

    @Test
    void spanishCallersHearSpanishPrompts() {
        CallResult r = h.pbx.call("customer-service").callerId("+3619999999").caller(Caller.script().press("2").press("3"))
                .run(T);
        assertThat(played(r)).containsSubsequence("ivr/en/language-menu", "ivr/es/main-menu");
        assertThat(interaction(r.uniqueId()).queue()).isEqualTo("sales");
        // Asterisk's own sounds (numbers, voicemail) speak Spanish too
        assertThat(r.variable("CHANNEL(language)")).isEqualTo("es");
    }

    @Test
    void twoThousandCallsWaitAtTheMainMenuAtOnceAndAreAllServed() {
        int n = 2000;
        CompletableFuture<Void> release = new CompletableFuture<>();
        // the greeting and the language menu play, the main menu prompt is held: every call is in
        // the middle of the flow at the same time
        List<FakeCall> calls = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            calls.add(h.pbx.call("customer-service").callerId("+3619999999").caller(Caller.script()
                    .press("1").hold(release).press("3")).start());
        }
        await().atMost(Duration.ofSeconds(180)).until(() -> h.listener.activeCalls() == n);
        assertThat(calls).noneMatch(FakeCall::isEnded);
        release.complete(null);
        for (FakeCall c : calls) {
            CallResult r = c.await(Duration.ofSeconds(180));
            assertThat(r.error()).isNull();
            assertThat(r.variable("IVR_OUTCOME")).isEqualTo("ROUTED");
        }
        await().until(() -> h.listener.activeCalls() == 0);
    }
}
