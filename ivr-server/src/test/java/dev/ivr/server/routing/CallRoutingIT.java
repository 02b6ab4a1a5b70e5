package dev.ivr.server.routing;

import dev.ivr.fakepbx.AgiCommand;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.DialedLeg;
import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.RoutingOptions;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.hazelcast.HazelcastRouting;
import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.config.AmiConfig;
import dev.ivr.server.config.RoutingConfig;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.callcontext.ContextTokens;
import dev.ivr.server.callcontext.DeskMessage;
import dev.ivr.server.callcontext.TopicScreenPops;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.pbx.AmiConnection;
import dev.ivr.server.pbx.AmiOriginator;
import dev.ivr.server.testing.MemberPair;
import dev.ivr.testsupport.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.ivr.server.routing.RoutingHarness.config;
import static dev.ivr.server.routing.RoutingHarness.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Calls routed end to end: the fake PBX over TCP, the server's FastAGI listener, flows and
 * routing on one Hazelcast member, and a second member where an agent desktop would be (its
 * screen pops, its view of agents and contexts).
 */
@Tag("integration")
class CallRoutingIT {
    static final Duration T = Duration.ofSeconds(60);
    static final String ANNA = "+3612345678";
    static final Map<String, Integer> TECH = Map.of("technical", 3);

    @TempDir
    static Path dir;
    static MemberPair members;
    static ClusterMember a;
    static ClusterMember b;

    RoutingHarness h;
    final List<DeskMessage> desk = new CopyOnWriteArrayList<>();
    UUID deskSubscription;

    @BeforeAll
    static void cluster() {
        members = MemberPair.start(dir);
        a = members.a;
        b = members.b;
    }

    @AfterAll
    static void stopCluster() {
        if (members != null) {
            members.close();
        }
    }

    @BeforeEach
    void subscribeOnTheOtherMember() {
        deskSubscription = new TopicScreenPops(b.hazelcast()).subscribe(desk::add);
    }

    @AfterEach
    void stop() {
        new TopicScreenPops(b.hazelcast()).unsubscribe(deskSubscription);
        if (h != null) {
            h.close();
        }
    }

    static RoutingConfig supportAndSales(String dialMode) {
        return config(dialMode, queue("support", Map.of("technical", 1), Duration.ofSeconds(20), Duration.ZERO),
                queue("sales", Map.of("sales", 1), Duration.ofSeconds(20), Duration.ZERO));
    }

    void testFlows(RoutingConfig config, Originator originator) throws Exception {
        testFlows(config, originator, Clock.systemUTC());
    }

    void testFlows(RoutingConfig config, Originator originator, Clock clock) throws Exception {
        h = new RoutingHarness(a.hazelcast(), RoutingHarness.testFlows(), RoutingHarness.testPrompts(),
                dir.resolve("no-calendars.yaml"), config, new ScriptedCrm(List.of(), false), originator, clock);
    }

    List<DeskMessage> deskFor(String callId) {
        return desk.stream().filter(m -> m.callId().equals(callId)).toList();
    }

    static List<String> played(CallResult r) {
        return r.commands("STREAM FILE").stream().map(c -> c.arg(0, "")).toList();
    }

    // --------------------------------------------------------------- end to end

    @Test
    void anIdentifiedAndVerifiedCallerReachesTheOneAgentWithTheSkillsWithTheContextEverywhere() throws Exception {
        ScriptedCrm crm = new ScriptedCrm(List.of(Map.of("id", "C-1001", "first-name", "Anna", "last-name", "Kovacs",
                "tier", "gold", "language", "en", "phones", List.of(ANNA), "attributes", Map.of("segment", "retail"),
                "accounts", List.of(Map.of("number", "12345678", "pin", "4321")))), false);
        // the support calendar is open on a Monday morning
        Clock monday = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), Instant.parse("2025-06-02T08:00:00Z")));
        RoutingConfig routing = config("exec", queue("billing", Map.of("billing", 1), Duration.ofSeconds(20), Duration.ZERO),
                queue("support", Map.of("technical", 1), Duration.ofSeconds(20), Duration.ZERO),
                queue("sales", Map.of("sales", 1), Duration.ofSeconds(20), Duration.ZERO));
        h = new RoutingHarness(a.hazelcast(), Path.of("../flows"), Path.of("../prompts"), Path.of("../config/calendars.yaml"),
                routing, crm, null, monday);
        // the agents log in on the other server, as their desktops would
        RoutingService onB = HazelcastRouting.start(b.hazelcast(), new ArrayList<>(Queues.definitions(routing).values()),
                RoutingOptions.defaults().withName(h.routingName));
        try {
            onB.login(new AgentProfile("sales-ann", "Ann", "PJSIP/1002", Map.of("sales", 5), Set.of("en")));
            onB.login(new AgentProfile("junior-joe", "Joe", "PJSIP/1003", Map.of("billing", 2), Set.of("en")));
            onB.login(new AgentProfile("billing-bea", "Bea", "PJSIP/1001", Map.of("billing", 5), Set.of("en", "es")));
            onB.ready("sales-ann");
            onB.ready("junior-joe");
            onB.ready("billing-bea");

            CompletableFuture<Void> talk = new CompletableFuture<>();
            FakeCall call = h.pbx.call("customer-service").callerId(ANNA)
                    .caller(Caller.script().pause(Duration.ofMillis(600)).press("1").press("12345678#").press("4321#")
                            .dial(Caller.DialOutcome.ANSWER, talk))
                    .start();
            String callId = call.uniqueId();

            // while they talk: the agent is on the call everywhere, and the desktop had its screen pop
            await().atMost(T).until(() -> onB.agent("billing-bea").orElseThrow().state() == AgentState.ON_CALL);
            assertThat(onB.agent("sales-ann").orElseThrow().state()).isEqualTo(AgentState.READY);
            assertThat(onB.agent("junior-joe").orElseThrow().state()).isEqualTo(AgentState.READY);
            await().atMost(T).until(() -> deskFor(callId).size() >= 2);
            assertThat(deskFor(callId)).extracting(DeskMessage::kind, DeskMessage::agentId).startsWith(
                    org.assertj.core.groups.Tuple.tuple(DeskMessage.Kind.OFFERED, "billing-bea"),
                    org.assertj.core.groups.Tuple.tuple(DeskMessage.Kind.CONNECTED, "billing-bea"));
            CallContext pop = deskFor(callId).get(0).context();
            assertThat(pop.callId()).isEqualTo(callId);
            assertThat(pop.ani()).isEqualTo(ANNA);
            assertThat(pop.customerId()).isEqualTo("C-1001");
            assertThat(pop.customerName()).isEqualTo("Anna Kovacs");
            assertThat(pop.tier()).isEqualTo("gold");
            assertThat(pop.attributes()).containsEntry("segment", "retail");
            assertThat(pop.authResult()).isEqualTo("OK");
            assertThat(pop.intent()).isEqualTo("billing");
            assertThat(pop.queue()).isEqualTo("billing");
            assertThat(pop.agentId()).isEqualTo("billing-bea");
            assertThat(pop.fields()).containsEntry("reason", "billing").containsEntry("account", "12345678")
                    .containsEntry("verified", "true");
            assertThat(pop.ivrPath()).containsSubsequence("identify-caller", "main-menu", "billing", "verify",
                    "verify-caller/ask", "to-billing");
            assertThat(pop.inputs()).containsEntry("menu_choice", "1");
            assertThat(pop.timeInIvr()).isNotNull();
            assertThat(pop.timeInQueue()).isNotNull();
            assertThat(pop.callback()).isFalse();
            assertThat(pop.toString()).doesNotContain("4321");
            assertThat(new CallContexts(b.hazelcast(), Duration.ofHours(1)).get(callId)).contains(pop);

            talk.complete(null);
            CallResult r = call.await(T);

            // the Dial command: the agent's endpoint, the queue's ring time, the pre-dial handler and answer subroutine
            assertThat(r.execs("Dial")).singleElement().extracting(c -> c.arg(1, ""))
                    .isEqualTo("PJSIP/1001,20,b(ivr-agent-leg^s^1)U(ivr-agent-answered^s^1)");
            DialedLeg leg = r.dials().get(0);
            assertThat(leg.inherited()).containsEntry("IVR_CALL_ID", callId).containsEntry("IVR_CUSTOMER_ID", "C-1001")
                    .containsEntry("IVR_CUSTOMER_NAME", "Anna Kovacs").containsEntry("IVR_QUEUE", "billing")
                    .containsEntry("IVR_INTENT", "billing").containsEntry("IVR_AUTH", "OK")
                    .containsEntry("IVR_AGENT_ID", "billing-bea");
            assertThat(r.variables()).containsKeys("__IVR_CALL_ID", "__IVR_CONTEXT"); // inherited by the agent's channel
            assertThat(ContextTokens.forCluster(b.hazelcast()).verify(leg.inherited().get("IVR_CONTEXT"))).contains(callId);
            assertThat(leg.answerGosub().variable("IVR_STATUS")).isEqualTo("OK"); // the answer was reported at once

            // the interaction record shows the whole path
            Interaction i = h.interaction(callId);
            assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ROUTED);
            assertThat(i.agentId()).isEqualTo("billing-bea");
            assertThat(i.queue()).isEqualTo("billing");
            assertThat(i.customerId()).isEqualTo("C-1001");
            assertThat(i.authOutcome()).isEqualTo("OK");
            assertThat(i.path()).containsSubsequence("check-hours", "identify-caller", "greet-known", "main-menu",
                    "billing", "verify", "verify-caller/ask", "verify-caller/thank-you", "to-billing", "end-call");
            assertThat(i.waitTime()).isNotNull().isGreaterThanOrEqualTo(Duration.ZERO);
            // the talk time runs from the agent's answer (the answer subroutine's report) to Dial's end: not
            // Dial's ANSWEREDTIME, which counts from the caller's answer, the IVR and the queue included
            assertThat(i.talkTime()).isNotNull().isLessThanOrEqualTo(leg.talk().plusMillis(500));
            assertThat(Long.parseLong(r.variable("ANSWEREDTIME_MS"))).isGreaterThanOrEqualTo(i.talkTime().toMillis() + 500);
            assertThat(i.inputs().values()).noneMatch(v -> v.contains("4321"));
            await().atMost(T).until(() -> deskFor(callId).stream().anyMatch(m -> m.kind() == DeskMessage.Kind.ENDED));
            assertThat(deskFor(callId)).last().satisfies(m -> assertThat(m.reason()).isEqualTo("completed"));
            await().atMost(T).until(() -> onB.agent("billing-bea").orElseThrow().state() == AgentState.READY);
        } finally {
            onB.close();
        }
    }

    // ------------------------------------------------------------ not answered

    @Test
    void anAgentWhoDoesNotAnswerBecomesNotReadyAndTheNextAgentGetsTheCall() throws Exception {
        testFlows(supportAndSales("exec"), null);
        h.ready("ted", "PJSIP/2001", TECH);
        h.ready("tina", "PJSIP/2002", TECH);
        CallResult r = h.pbx.call("queue-test").callerId(ANNA)
                .caller(Caller.script().dial(Caller.DialOutcome.NOANSWER).dial(Caller.DialOutcome.ANSWER)).run(T);
        assertThat(r.dials()).extracting(DialedLeg::status).containsExactly("NOANSWER", "ANSWER");
        String first = r.dials().get(0).inherited().get("IVR_AGENT_ID");
        String second = r.dials().get(1).inherited().get("IVR_AGENT_ID");
        assertThat(Set.of(first, second)).containsExactlyInAnyOrder("ted", "tina");
        assertThat(h.service().agent(first).orElseThrow()).satisfies(ag -> {
            assertThat(ag.state()).isEqualTo(AgentState.NOT_READY);
            assertThat(ag.reasonCode()).isEqualTo("noanswer");
        });
        Interaction i = h.interaction(r.uniqueId());
        assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ROUTED);
        assertThat(i.agentId()).isEqualTo(second);
        await().atMost(T).until(() -> deskFor(r.uniqueId()).size() >= 5);
        assertThat(deskFor(r.uniqueId())).extracting(DeskMessage::kind, DeskMessage::agentId, DeskMessage::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(DeskMessage.Kind.OFFERED, first, null),
                        org.assertj.core.groups.Tuple.tuple(DeskMessage.Kind.ENDED, first, "noanswer"),
                        org.assertj.core.groups.Tuple.tuple(DeskMessage.Kind.OFFERED, second, null),
                        org.assertj.core.groups.Tuple.tuple(DeskMessage.Kind.CONNECTED, second, null),
                        org.assertj.core.groups.Tuple.tuple(DeskMessage.Kind.ENDED, second, "completed"));
    }

    // ------------------------------------------------------------------ abandon

    @Test
    void aCallerWhoHangsUpWhileWaitingLeavesTheQueueAtOnceAndNoAgentIsOfferedTheCall() throws Exception {
        testFlows(supportAndSales("exec"), null);
        h.service().login(new AgentProfile("tom", "Tom", "PJSIP/2003", TECH, Set.of("en"))); // logged in, not ready
        FakeCall call = h.pbx.call("queue-test").callerId(ANNA).caller(Caller.script().thenSilence()).start();
        await().atMost(T).until(() -> h.service().waitingCalls("support").stream()
                .anyMatch(c -> c.callId().equals(call.uniqueId())));
        call.hangUpNow();
        CallResult r = call.await(T);
        Interaction i = h.interaction(r.uniqueId());
        assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ABANDONED_IN_QUEUE);
        assertThat(i.queue()).isEqualTo("support");
        assertThat(i.waitTime()).isNotNull();
        assertThat(h.service().waitingCalls("support")).isEmpty();
        // an agent becoming ready now is matched at once, with nothing: the dead call is gone
        assertThat(h.service().ready("tom").state()).isEqualTo(AgentState.READY);
        assertThat(deskFor(r.uniqueId())).isEmpty();
        assertThat(r.execs("Dial")).isEmpty();
        // the supervisors' figures count it (statistics are flushed once per maintenance interval)
        await().atMost(T).until(() -> h.service().queues().stream()
                .anyMatch(q -> q.queueId().equals("support") && q.abandoned() == 1));
    }

    // ---------------------------------------------------------------- max wait

    @Test
    void theNodesMaximumWaitEndsTheWaitOnItsTimeoutEdge() throws Exception {
        testFlows(supportAndSales("exec"), null);
        h.service().login(new AgentProfile("tom", "Tom", "PJSIP/2003", TECH, Set.of("en")));
        CallResult r = h.pbx.call("queue-test").args("short").callerId(ANNA).caller(Caller.script().thenSilence()).run(T);
        Interaction i = h.interaction(r.uniqueId());
        assertThat(i.path()).containsExactly("pick", "short-wait", "too-long", "bye");
        assertThat(i.waitTime()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(played(r)).contains("tts/Sorry_it_took_too_long_");
        assertThat(r.commands("SET MUSIC")).extracting(AgiCommand::raw).first().asString().containsIgnoringCase("on");
        assertThat(h.service().waitingCalls("support")).isEmpty();
    }

    // ------------------------------------------------------------ announcements

    @Test
    void waitingCallersHearMusicAndAnnouncementsOfTheirPositionAndCanPressAWaitOption() throws Exception {
        testFlows(supportAndSales("exec"), null);
        h.service().login(new AgentProfile("tom", "Tom", "PJSIP/2003", TECH, Set.of("en")));
        // about six seconds of waiting (one key wait per second), then the caller presses 9: voicemail
        CallResult r = h.pbx.call("queue-test").callerId(ANNA).caller(Caller.script().silence(6).press("9")).run(T);
        List<String> played = played(r);
        assertThat(played).containsSubsequence("ivr/en/hold-on", "ivr/en/system.queue-position", "say/en/1",
                "ivr/en/system.queue-position-end", "ivr/en/system.queue-wait", "say/en/minute/1", "ivr/en/system.queue-wait-minute",
                "ivr/en/hold-on");
        assertThat(played.stream().filter(p -> p.equals("ivr/en/hold-on")).count()).isGreaterThanOrEqualTo(2);
        // music on hold while waiting, off for each announcement, the caller's class
        List<String> music = r.commands("SET MUSIC").stream().map(c -> String.join(" ", c.args()).toLowerCase()).toList();
        assertThat(music).startsWith("on default", "off", "on default").endsWith("off");
        assertThat(r.commands("STREAM FILE")).allSatisfy(c -> assertThat(c.arg(1, "")).isEqualTo("92"));
        Interaction i = h.interaction(r.uniqueId());
        assertThat(i.path()).containsExactly("pick", "wait", "voicemail");
        assertThat(i.outcome()).isEqualTo(Interaction.Outcome.VOICEMAIL);
        assertThat(h.service().waitingCalls("support")).isEmpty();
    }

    @Test
    void anAgentReservedDuringAnAnnouncementCutsItShortAndIsDialledAtOnce() throws Exception {
        testFlows(supportAndSales("exec"), null);
        h.service().login(new AgentProfile("tom", "Tom", "PJSIP/2003", TECH, Set.of("en")));
        // every prompt plays four seconds, as on a phone; the announcement starts when the call is queued
        FakeCall call = h.pbx.call("queue-test").callerId(ANNA).promptTime(Duration.ofSeconds(4))
                .caller(Caller.script().dial(Caller.DialOutcome.ANSWER)).start();
        await().atMost(T).until(() -> call.snapshot().stream().anyMatch(c -> c.name().equals("STREAM FILE")
                && c.arg(0, "").equals("ivr/en/hold-on")));
        h.service().ready("tom");
        CallResult r = call.await(T);
        // Asterisk ends a playing prompt when the next command comes: the NOOP, then the offer at once;
        // the rest of the announcement (position, estimated wait) is not played
        List<String> names = r.commandNames();
        int announcement = played(r).indexOf("ivr/en/hold-on");
        assertThat(announcement).isNotNegative();
        assertThat(names.subList(names.indexOf("NOOP"), names.size())).containsSubsequence("NOOP", "EXEC")
                .doesNotContain("STREAM FILE", "WAIT FOR DIGIT");
        assertThat(played(r)).doesNotContain("ivr/en/system.queue-position");
        assertThat(h.interaction(r.uniqueId()).outcome()).isEqualTo(Interaction.Outcome.ROUTED);
    }

    @Test
    void anAgentReservedDuringTheWaitForAKeyCutsItAndIsDialledAtOnce() throws Exception {
        testFlows(supportAndSales("exec"), null);
        h.service().login(new AgentProfile("tom", "Tom", "PJSIP/2003", TECH, Set.of("en")));
        // a wait for a key lasts fifty times its timeout on this PBX: only the cut ends it in time
        FakeCall call = h.pbx.call("queue-test").callerId(ANNA).realTimeouts(0.02)
                .caller(Caller.script().dial(Caller.DialOutcome.ANSWER)).start();
        await().atMost(T).until(() -> {
            List<AgiCommand> c = call.snapshot();
            return !c.isEmpty() && c.get(c.size() - 1).name().equals("WAIT FOR DIGIT");
        });
        h.service().ready("tom");
        CallResult r = call.await(T);
        // one wait for the quiet stretch up to the next announcement (queue-test: every 2 s), music under it; the
        // routing's signal cuts it with a NOOP (Asterisk: WAIT FOR DIGIT answers result=1, then the NOOP), then Dial
        List<String> names = r.commandNames();
        int wait = names.lastIndexOf("WAIT FOR DIGIT");
        assertThat(r.commands("WAIT FOR DIGIT").get(r.commands("WAIT FOR DIGIT").size() - 1).arg(0, ""))
                .isIn("1000", "2000");
        assertThat(names.get(wait + 1)).isEqualTo("NOOP");
        assertThat(names.subList(wait + 1, names.size())).containsSubsequence("NOOP", "EXEC")
                .doesNotContain("STREAM FILE", "WAIT FOR DIGIT");
        assertThat(h.interaction(r.uniqueId()).outcome()).isEqualTo(Interaction.Outcome.ROUTED);
    }

    // ------------------------------------------------------------ no agents

    @Test
    void nobodyLoggedInWithTheSkillsMeansNoWait() throws Exception {
        testFlows(supportAndSales("exec"), null);
        h.ready("tom", "PJSIP/2003", TECH); // support only: nobody for sales
        CallResult r = h.pbx.call("queue-test").args("sales").callerId(ANNA).caller(Caller.script().thenSilence()).run(T);
        assertThat(h.interaction(r.uniqueId()).path()).containsExactly("pick", "sales", "nobody", "bye");
        assertThat(r.commands("SET MUSIC")).isEmpty();
        assertThat(h.service().waitingCalls("sales")).isEmpty();
    }

    /**
     * The minute's check that someone could still serve a waiting call is the node's sweep's, off the call's thread:
     * a caller waits in one long {@code WAIT FOR DIGIT} (sales: no announcement, max-wait 10 m) across two checks
     * that find the logged-in agent, and the agent who becomes ready then is dialled from that same wait.
     */
    @Test
    void theMinutesCheckThatFindsAnAgentCostsTheWaitingCallerNoCommand() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        testFlows(supportAndSales("exec"), null, clock);
        h.service().login(new AgentProfile("sam", "Sam", "PJSIP/2005", Map.of("sales", 1), Set.of("en"))); // not ready
        FakeCall call = h.pbx.call("queue-test").args("sales").callerId(ANNA).realTimeouts()
                .caller(Caller.script().dial(Caller.DialOutcome.ANSWER)).start();
        awaitAWaitForAKey(call);
        QueueCallRouter router = (QueueCallRouter) h.routing.router();
        for (int minute = 0; minute < 2; minute++) {
            clock.advance(Duration.ofSeconds(61));
            router.eligibility.sweep(); // Sam could take the call: the wait goes on
            assertThat(h.service().waitingCalls("sales")).hasSize(1);
        }
        h.service().ready("sam");
        CallResult r = call.await(T);
        assertThat(h.interaction(r.uniqueId()).outcome()).isEqualTo(Interaction.Outcome.ROUTED);
        // one wait for the whole stretch up to the node's max-wait, not one per minute, cut by the offer
        assertThat(r.commands("WAIT FOR DIGIT")).singleElement().extracting(c -> c.arg(0, "")).isEqualTo("600000");
        List<String> names = r.commandNames();
        assertThat(names.subList(names.indexOf("WAIT FOR DIGIT") + 1, names.size())).startsWith("NOOP")
                .contains("EXEC").doesNotContain("WAIT FOR DIGIT");
    }

    /** Every agent who could take the call logs out: the sweep's check cuts the caller's one wait, on to on-no-agents. */
    @Test
    void everyAgentLoggedOutEndsTheWaitAtTheSweepAfterTheMinute() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        testFlows(supportAndSales("exec"), null, clock);
        h.service().login(new AgentProfile("sam", "Sam", "PJSIP/2005", Map.of("sales", 1), Set.of("en")));
        FakeCall call = h.pbx.call("queue-test").args("sales").callerId(ANNA).realTimeouts()
                .caller(Caller.script().thenSilence()).start();
        awaitAWaitForAKey(call);
        QueueCallRouter router = (QueueCallRouter) h.routing.router();
        h.service().logout("sam");
        router.eligibility.sweep(); // not due yet: the wait goes on
        assertThat(h.service().waitingCalls("sales")).hasSize(1);
        clock.advance(Duration.ofSeconds(61));
        router.eligibility.sweep();
        CallResult r = call.await(T);
        assertThat(h.interaction(r.uniqueId()).path()).containsExactly("pick", "sales", "nobody", "bye");
        assertThat(r.commands("WAIT FOR DIGIT")).singleElement().extracting(c -> c.arg(0, "")).isEqualTo("600000");
        List<String> names = r.commandNames();
        assertThat(names.get(names.indexOf("WAIT FOR DIGIT") + 1)).isEqualTo("NOOP"); // the cut
        assertThat(h.service().waitingCalls("sales")).isEmpty();
        assertThat(router.eligibility.size()).isZero();
    }

    private static void awaitAWaitForAKey(FakeCall call) {
        await().atMost(T).until(() -> {
            List<AgiCommand> c = call.snapshot();
            return !c.isEmpty() && c.get(c.size() - 1).name().equals("WAIT FOR DIGIT");
        });
    }

    // ---------------------------------------------------------------- callbacks

    @Test
    void aCallbackKeepsThePlaceInTheQueueAndRingsTheAgentFirstThenTheCustomer() throws Exception {
        try (FakeAmi ami = new FakeAmi("ivr", "manager-secret-for-tests")) {
            AtomicInteger originates = new AtomicInteger();
            ami.originateOutcomes(x -> originates.getAndIncrement() == 0 ? FakeAmi.OriginateOutcome.NO_ANSWER
                    : FakeAmi.OriginateOutcome.ANSWERED);
            AmiConnection connection = AmiConnection.start(new AmiConfig(true, "127.0.0.1", ami.port(), "ivr",
                    "manager-secret-for-tests"));
            try {
                await().atMost(T).until(connection::available);
                testFlows(supportAndSales("exec"), new AmiOriginator(connection, Clock.systemUTC()));
                h.service().login(new AgentProfile("ted", "Ted", "PJSIP/3001", TECH, Set.of("en")));
                h.service().login(new AgentProfile("tina", "Tina", "PJSIP/3002", TECH, Set.of("en")));

                // the caller presses 2 while waiting, confirms with 1 and hangs up
                CallResult r = h.pbx.call("queue-test").callerId(ANNA).caller(Caller.script().press("2").press("1")).run(T);
                String callId = r.uniqueId();
                assertThat(played(r)).containsSubsequence("ivr/en/callback-offer", "tts/We_will_call_you_back_");
                Interaction asked = h.interaction(callId);
                assertThat(asked.outcome()).isEqualTo(Interaction.Outcome.CALLBACK_REQUESTED);
                assertThat(asked.path()).containsExactly("pick", "wait", "booked", "bye");
                assertThat(h.service().waitingCalls("support")).extracting(c -> c.callId()).containsExactly(callId);

                // the first agent does not answer: not ready, the callback waits for the next one
                h.service().ready("ted");
                await().atMost(T).until(() -> h.service().agent("ted").orElseThrow().state() == AgentState.NOT_READY);
                assertThat(h.service().agent("ted").orElseThrow().reasonCode()).isEqualTo("no-answer");
                assertThat(h.service().waitingCalls("support")).extracting(c -> c.callId()).containsExactly(callId);

                h.service().ready("tina");
                await().atMost(T).until(() -> h.service().agent("tina").orElseThrow().state() == AgentState.ON_CALL);
                assertThat(ami.originated()).hasSize(2);
                FakeAmi.Originated o = ami.originated().get(1);
                assertThat(o.action()).containsEntry("Channel", "PJSIP/3002").containsEntry("Context", "ivr-callback")
                        .containsEntry("Exten", ANNA);
                assertThat(o.variables()).containsEntry("IVR_CALL_ID", callId).containsEntry("IVR_CALLBACK_NUMBER", ANNA)
                        .containsEntry("IVR_QUEUE", "support").containsEntry("IVR_INTENT", "technical support");
                assertThat(ContextTokens.forCluster(b.hazelcast()).verify(o.variables().get("IVR_CONTEXT"))).contains(callId);
                assertThat(deskFor(callId)).filteredOn(m -> m.kind() == DeskMessage.Kind.OFFERED).last()
                        .satisfies(m -> assertThat(m.context().callback()).isTrue());

                // the conversation ends: the agent is free, the callback has its own record
                ami.hangup(o.channel(), o.uniqueId());
                await().atMost(T).until(() -> h.service().agent("tina").orElseThrow().state() == AgentState.READY);
                Interaction done = h.interaction(callId + "-callback");
                assertThat(done.outcome()).isEqualTo(Interaction.Outcome.ROUTED);
                assertThat(done.agentId()).isEqualTo("tina");
                assertThat(done.ani()).isEqualTo(ANNA);
                assertThat(done.path()).endsWith("callback");
                assertThat(h.service().waitingCalls("support")).isEmpty();
            } finally {
                connection.close();
            }
        }
    }

    @Test
    void withoutTheManagerInterfaceACallbackIsRefusedWithAPromptAndTheCallerKeepsWaiting() throws Exception {
        testFlows(supportAndSales("exec"), null);
        h.service().login(new AgentProfile("tom", "Tom", "PJSIP/2003", TECH, Set.of("en")));
        CallResult r = h.pbx.call("queue-test").callerId(ANNA).caller(Caller.script().press("2").hangUp()).run(T);
        assertThat(played(r)).contains("ivr/en/system.callback-unavailable").doesNotContain("ivr/en/callback-offer");
        assertThat(h.interaction(r.uniqueId()).outcome()).isEqualTo(Interaction.Outcome.ABANDONED_IN_QUEUE);
    }

    // ----------------------------------------------------------- dial mode dialplan

    @Test
    void inDialplanModeTheDialplanDialsTheAgentAndItsReportsEndTheOffer() throws Exception {
        testFlows(supportAndSales("dialplan"), null);
        h.ready("tom", "PJSIP/4001", TECH);
        CallResult r = h.pbx.call("queue-test").callerId(ANNA).caller(Caller.script().thenSilence()).run(T);
        String callId = r.uniqueId();
        assertThat(r.execs("Dial")).isEmpty();
        assertThat(r.variables()).containsEntry("IVR_STATUS", "ROUTE").containsEntry("IVR_DIAL_ENDPOINT", "PJSIP/4001")
                .containsEntry("IVR_DIAL_TIMEOUT", "20")
                .containsEntry("IVR_DIAL_OPTIONS", "b(ivr-agent-leg^s^1)U(ivr-agent-answered^s^1)")
                .containsEntry("__IVR_AGENT_ID", "tom").containsEntry("IVR_OUTCOME", "ROUTED");
        assertThat(r.commandNames()).doesNotContain("HANGUP");
        Interaction i = h.interaction(callId);
        assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ROUTED);
        assertThat(i.agentId()).isEqualTo("tom");
        String token = r.variable("__IVR_CONTEXT");

        // a report with a forged reference is refused
        CallResult forged = h.pbx.call("agent-answered").channel("PJSIP/4001-00000001")
                .variable("__IVR_CONTEXT", callId + ";sig=AAAAAAAAAAAAAAAAAAAAAA").run(T);
        assertThat(forged.variable("IVR_STATUS")).isEqualTo("INVALID");
        assertThat(h.service().agent("tom").orElseThrow().state()).isEqualTo(AgentState.RESERVED);

        // the agent's phone rings a second, the agent answers (the answer subroutine on the agent's
        // channel): the ring is added to the call's wait (issue 18, defect 14: it was recorded nowhere)
        Duration waitBefore = i.waitTime();
        Thread.sleep(1_000);
        CallResult answered = h.pbx.call("agent-answered").channel("PJSIP/4001-00000002")
                .variable("__IVR_CONTEXT", token).run(T);
        assertThat(answered.variable("IVR_STATUS")).isEqualTo("OK");
        assertThat(h.service().agent("tom").orElseThrow().state()).isEqualTo(AgentState.ON_CALL);
        assertThat(h.interaction(callId).waitTime()).isGreaterThanOrEqualTo(waitBefore.plusSeconds(1));
        CallResult ended = h.pbx.call("route-ended").uniqueId(callId).variable("__IVR_CONTEXT", token)
                .variable("DIALSTATUS", "ANSWER").variable("ANSWEREDTIME", "42").run(T);
        assertThat(ended.variable("IVR_STATUS")).isEqualTo("COMPLETED");
        assertThat(h.service().agent("tom").orElseThrow().state()).isEqualTo(AgentState.READY);
        await().atMost(T).until(() -> deskFor(callId).size() >= 3);
        assertThat(deskFor(callId)).extracting(DeskMessage::kind).containsExactly(DeskMessage.Kind.OFFERED,
                DeskMessage.Kind.CONNECTED, DeskMessage.Kind.ENDED);
    }
}
