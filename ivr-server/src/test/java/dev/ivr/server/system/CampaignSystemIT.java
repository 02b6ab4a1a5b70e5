package dev.ivr.server.system;

import dev.ivr.server.crm.Interaction;
import dev.ivr.server.desk.DeskClient;
import dev.ivr.server.outbound.CampaignStore;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Campaigns on a real Asterisk 20: the dialer's AMI Originate (asynchronous) with the campaign's
 * channel variables, the sample dialplan's {@code [ivr-outbound]} running AMD() in the originated
 * leg and the campaign's flow over FastAGI, Asterisk's {@code OriginateResponse} reasons for an
 * answered, a busy and an unanswered callee, and the {@code abandoned} extension a progressive
 * campaign's call is redirected to when no agent is free. The customers are Local channels into
 * the test context {@code callee-sim} (a person saying a word, an answering machine's long
 * greeting, busy, ringing on): the Local channel's other half plays real audio, which AMD()
 * analyses. Asserted from Asterisk's log and AMI events and from the attempt records.
 */
@ExtendWith(AsteriskInstallation.Required.class)
@ResourceLock(SystemRig.ONE_AT_A_TIME)
@Tag("system")
class CampaignSystemIT {
    static final Duration CALL = Duration.ofSeconds(120);
    static final String CONFIG = """
            # the reminder's text with the customer's figures is rendered as the call plays it; on a loaded machine
            # MaryTTS can take longer than the default 1.5 s budget, and the flow would skip it (what this test
            # asserts against: every step of the campaign's call as designed, not the budget, which GreetingFallbackIT covers)
            prompts:
              latency-budget: 30s
            routing:
              queues:
                - {id: billing, name: Billing, skills: {billing: 1}, ring-time: 8s, wrap-up: 1s, default-handle-time: 1m}
                - {id: sales, name: Sales, skills: {sales: 1}, ring-time: 8s, wrap-up: 1s, default-handle-time: 1m}
            outbound:
              enabled: true
              channel: "Local/{number}@callee-sim"
              context: ivr-outbound
              poll-interval: 300ms
              ring-timeout: 6s
              max-call-time: 3m
              campaigns:
                - name: st-reminder
                  segment: st-reminder
                  flow: payment-reminder
                  reason: payment-late
                  caller-id: '"Example Ltd" <+3619990000>'
                  max-concurrent: 4
                  max-attempts: 3
                  retry-after: {busy: 15m, no-answer: 2h}
                  days: [monday, tuesday, wednesday, thursday, friday, saturday, sunday]
                  from: "00:00"
                  until: "23:59"
                  callee-local-time: false
                  time-zone: UTC
                - name: st-progressive
                  segment: st-progressive
                  flow: payment-reminder
                  reason: payment-late
                  mode: progressive
                  queue: billing
                  max-concurrent: 2
                  retry-after: {abandoned: 1h}
                  days: [monday, tuesday, wednesday, thursday, friday, saturday, sunday]
                  from: "00:00"
                  until: "23:59"
                  callee-local-time: false
                  time-zone: UTC
            """;
    static AgentRig rig;
    static PrivateAsterisk asterisk;
    static IvrNode node;
    static DeskClient desk;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        rig = AgentRig.prepare(CampaignSystemIT.class, "1001");
        asterisk = rig.asterisk;
        node = rig.start(CONFIG).node;
        desk = rig.desk;
        admin = rig.admin;
        segment("st-reminder", "customer.id in [\"C1001\", \"C1002\", \"C1003\", \"C1004\"]");
        segment("st-progressive", "customer.id == \"C1005\"");
    }

    @AfterAll
    static void stop() {
        AgentRig.close(rig);
    }

    static void segment(String name, String expression) {
        DeskClient.Reply r = desk.send("PUT", "/api/segments/" + name, admin, new JsonObject().put("expression", expression));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    static List<CampaignStore.Attempt> attempts(String campaign) throws Exception {
        return new CampaignStore(node.server.database().dataSource()).attempts(campaign);
    }

    static Optional<CampaignStore.Attempt> ended(String campaign, String customer, int no) throws Exception {
        return attempts(campaign).stream().filter(a -> a.customerId().equals(customer) && a.attemptNo() == no
                && a.endedAt() != null).findFirst();
    }

    record Contact(String state, int attempts, Instant nextAt, String lastResult) {
    }

    static Contact contact(String campaign, String customer) throws Exception {
        try (Connection c = node.server.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select state, attempts, next_at, last_result from campaign_contacts"
                     + " where campaign = ? and customer_id = ?")) {
            ps.setString(1, campaign);
            ps.setString(2, customer);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("contact " + customer + " of " + campaign).isTrue();
                java.sql.Timestamp next = rs.getTimestamp(3);
                return new Contact(rs.getString(1), rs.getInt(2), next == null ? null : next.toInstant(), rs.getString(4));
            }
        }
    }

    /**
     * The campaign's leg of the call to this number as Asterisk announced it (Newchannel of the Local channel's
     * half ;1, where the Originate's variables are and the ivr-outbound context runs). The OriginateResponse itself
     * goes only to the manager session that sent the Originate (the server's), not to the test's.
     */
    static Ami.Message campaignLeg(String number) {
        return asterisk.ami().await(e -> e.is("Newchannel") && e.getOrDefault("Channel", "")
                .startsWith("Local/" + number + "@callee-sim") && e.get("Channel").endsWith(";1"), CALL);
    }

    /** Asterisk's Hangup event of a channel, and its CDR (disposition), for the report and the assertions. */
    static String hangupAndCdr(Ami.Message leg) {
        String ch = leg.get("Channel");
        Ami.Message hangup = asterisk.ami().await(e -> e.is("Hangup") && ch.equals(e.get("Channel")), CALL);
        Ami.Message cdr = asterisk.ami().await(e -> e.is("Cdr") && ch.equals(e.get("Channel")), CALL);
        return "cause " + hangup.get("Cause") + " (" + hangup.get("Cause-txt") + "), CDR " + cdr.get("Disposition");
    }

    @Test
    void anAgentlessCampaignDialsThroughOriginateRunsAmdAndTheFlowAndRecordsEveryDialResult() throws Exception {
        long mark = asterisk.logMark();
        Instant started = Instant.now();
        DeskClient.Reply start = desk.post("/api/campaigns/st-reminder/start", admin, null);
        assertThat(start.status()).as(start.body()).isEqualTo(200);

        // the four attempts end: a person, a machine (answered), busy, no answer (6 s ring-timeout)
        await().atMost(CALL).until(() -> ended("st-reminder", "C1001", 1).isPresent()
                && ended("st-reminder", "C1002", 1).isPresent() && ended("st-reminder", "C1003", 1).isPresent()
                && ended("st-reminder", "C1004", 1).isPresent());
        CampaignStore.Attempt person = ended("st-reminder", "C1001", 1).orElseThrow();
        CampaignStore.Attempt machine = ended("st-reminder", "C1002", 1).orElseThrow();
        CampaignStore.Attempt busy = ended("st-reminder", "C1003", 1).orElseThrow();
        CampaignStore.Attempt noAnswer = ended("st-reminder", "C1004", 1).orElseThrow();
        assertThat(List.of(person, machine, busy, noAnswer)).extracting(CampaignStore.Attempt::result)
                .containsExactly("answered", "answered", "busy", "no-answer");
        assertThat(List.of(person, machine, busy, noAnswer)).allSatisfy(a -> {
            assertThat(a.node()).isEqualTo("node-a");
            assertThat(a.startedAt()).isAfterOrEqualTo(started.minusSeconds(1));
        });

        // Asterisk's side: the legs it created, the answered ones' unique ids being the attempts' call ids (from
        // the server's OriginateResponse), how each ended (Hangup cause, CDR disposition)
        Ami.Message personAnswer = campaignLeg("+3612345678");
        assertThat(personAnswer.get("Uniqueid")).isEqualTo(person.callId());
        Ami.Message machineAnswer = campaignLeg("+3612345679");
        assertThat(machineAnswer.get("Uniqueid")).isEqualTo(machine.callId());
        String busyEnd = hangupAndCdr(campaignLeg("+442079460958"));
        String unansweredEnd = hangupAndCdr(campaignLeg("+36205550104"));
        System.out.println("busy callee: " + busyEnd + "; unanswered callee: " + unansweredEnd
                + "; person: " + hangupAndCdr(personAnswer));
        assertThat(busyEnd).contains("CDR BUSY");
        assertThat(unansweredEnd).contains("CDR NO ANSWER");
        assertThat(busy.callId()).isNull();
        assertThat(noAnswer.callId()).isNull();

        // the answered legs ran the sample's ivr-outbound: the campaign's variables, AMD(), the flow over FastAGI
        Interaction personCall = node.interaction(person.callId());
        Interaction machineCall = node.interaction(machine.callId());
        await().atMost(CALL).until(() -> node.interaction(person.callId()).end() != null
                && node.interaction(machine.callId()).end() != null);
        personCall = node.interaction(person.callId());
        machineCall = node.interaction(machine.callId());
        String log = asterisk.logSince(mark);
        assertThat(log).contains("Campaign st-reminder: customer C1001, attempt 1")
                .contains("Campaign st-reminder: customer C1002, attempt 1")
                .doesNotContain("Campaign st-reminder: customer C1003").doesNotContain("Campaign st-reminder: customer C1004");
        String personChannel = personAnswer.get("Channel");
        String machineChannel = machineAnswer.get("Channel");
        assertThat(agiRequest(log, personChannel)).contains("/payment-reminder?campaign=st-reminder&customer=C1001&attempt=1"
                + "&reason=payment-late&amd=HUMAN");
        assertThat(agiRequest(log, machineChannel)).contains("/payment-reminder?campaign=st-reminder&customer=C1002&attempt=1"
                + "&reason=payment-late&amd=MACHINE");
        assertThat(log).contains("AMD: Channel [" + personChannel + "]").contains("AMD: Channel [" + machineChannel + "]");
        // the person heard the reminder's menu (and, saying nothing, the thanks); the machine the short message
        assertThat(personCall.flow()).isEqualTo("payment-reminder");
        assertThat(personCall.path()).contains("answered-by", "reminder", "thanks").doesNotContain("machine-message");
        assertThat(personCall.outcome()).isEqualTo(Interaction.Outcome.SELF_SERVED);
        assertThat(machineCall.path()).containsExactly("answered-by", "machine-message", "end-call");
        assertThat(machineCall.outcome()).isEqualTo(Interaction.Outcome.SELF_SERVED);
        assertThat(personCall.customerId()).isEqualTo("C1001");

        // the contacts: answered ones done; busy and no answer tried again after their retry-after
        assertThat(contact("st-reminder", "C1001").state()).isEqualTo("done");
        assertThat(contact("st-reminder", "C1002").state()).isEqualTo("done");
        Contact c3 = contact("st-reminder", "C1003");
        assertThat(c3.state()).isEqualTo("pending");
        assertThat(c3.lastResult()).isEqualTo("busy");
        assertThat(c3.attempts()).isEqualTo(1);
        assertThat(Duration.between(busy.endedAt(), c3.nextAt())).isEqualTo(Duration.ofMinutes(15));
        Contact c4 = contact("st-reminder", "C1004");
        assertThat(c4.state()).isEqualTo("pending");
        assertThat(c4.lastResult()).isEqualTo("no-answer");
        assertThat(Duration.between(noAnswer.endedAt(), c4.nextAt())).isEqualTo(Duration.ofHours(2));
        // the unanswered attempt rang for the ring-timeout
        assertThat(Duration.between(noAnswer.startedAt(), noAnswer.endedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        // the dialer's, the flow's and the AMI adapter's (not the start-up notices, nor Asterisk-Java's OriginateAction
        // "a timeout of less than 100000 will cause the originate to fail if not answered within 10 seconds", which
        // Asterisk 20 does not bear out: the unanswered callee rang the whole 6 s ring-timeout, reason 3)
        assertThat(node.problems()).as("the server's warnings").noneMatch(p -> p.contains(" dev.ivr.server.outbound.")
                || p.contains(" dev.ivr.server.flow.") || p.contains(" dev.ivr.server.agi.") || p.contains(" dev.ivr.server.pbx."));
        assertThat(asterisk.problemsSince(mark)).as("Asterisk's warnings").isEmpty();
        assertThat(desk.post("/api/campaigns/st-reminder/stop", admin, null).status()).isEqualTo(200);
    }

    /** The agi_request line Asterisk sent to the server for this channel (agi set debug on). */
    static String agiRequest(String log, String channel) {
        return log.lines().filter(l -> l.contains("<" + channel + ">AGI Tx >> agi_request:")).findFirst()
                .orElseThrow(() -> new AssertionError("no AGI request of " + channel));
    }

    @Test
    void aProgressiveCallAnsweredWhenNoAgentIsFreeIsRedirectedToTheAbandonedExtensionAndRetried() throws Exception {
        rig.agent("bea", "1001", "billing");
        String bea = rig.shift("bea", "billing");
        long mark = asterisk.logMark();
        Instant t0 = Instant.now();
        assertThat(desk.post("/api/campaigns/st-progressive/start", admin, null).status()).isEqualTo(200);
        assertThat(desk.post("/api/agents/bea/ready", bea, null).status()).isEqualTo(200);
        // one ready agent: one call; while the customer's phone rings, the agent goes on a break
        asterisk.ami().await(e -> e.receivedAt.isAfter(t0) && e.is("Newchannel")
                && e.getOrDefault("Channel", "").startsWith("Local/+49301234567@callee-sim"), CALL);
        assertThat(desk.post("/api/agents/bea/not-ready", bea, new JsonObject().put("reason", "break")).status())
                .isEqualTo(200);
        await().atMost(CALL).until(() -> ended("st-progressive", "C1005", 1).isPresent());
        CampaignStore.Attempt a = ended("st-progressive", "C1005", 1).orElseThrow();
        assertThat(a.result()).isEqualTo("abandoned");
        Ami.Message answered = campaignLeg("+49301234567");
        assertThat(a.callId()).isEqualTo(answered.get("Uniqueid"));
        // Asterisk ran the sample's abandoned extension (the server's Redirect) and the abandon flow over FastAGI
        String log = asterisk.logSince(mark);
        assertThat(log).contains("Campaign st-progressive (progressive, queue billing): no agent free for customer C1005");
        assertThat(agiRequests(log, answered.get("Channel"))).anyMatch(r -> r.contains("/campaign-abandoned?campaign="
                + "st-progressive&customer=C1005&attempt=1&reason=payment-late"));
        Interaction abandoned = node.interaction(a.callId());
        assertThat(abandoned.flow()).isEqualTo("campaign-abandoned");
        Contact c = contact("st-progressive", "C1005");
        assertThat(c.state()).isEqualTo("pending");
        assertThat(c.lastResult()).isEqualTo("abandoned");
        assertThat(Duration.between(a.endedAt(), c.nextAt())).isEqualTo(Duration.ofHours(1));
        assertThat(desk.post("/api/campaigns/st-progressive/stop", admin, null).status()).isEqualTo(200);
        desk.post("/api/agents/bea/logout", bea, null);
    }

    static List<String> agiRequests(String log, String channel) {
        return log.lines().filter(l -> l.contains("<" + channel + ">AGI Tx >> agi_request:")).toList();
    }
}
