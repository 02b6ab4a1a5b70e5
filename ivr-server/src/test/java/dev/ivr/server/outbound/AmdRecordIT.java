package dev.ivr.server.outbound;

import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.server.IvrServer;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.desk.DeskClient;
import dev.ivr.server.testing.SampleCustomers;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Answering machine detection from the dialplan to the attempt record, in a whole server (H2) dialling through the
 * fake PBX's AMI: each answered Originate is played on as the ivr-outbound context does it (AMD(), then the
 * campaign's flow over FastAGI with amd and amdcause in the query, on the originated channel's unique id); C1001's
 * line is answered by a person, C1002's by a machine. The stored AMD result is asserted from the attempt records,
 * the attempts API and the customer's contact history ({@code ./ivr campaign status --attempts}: OutboundCliIT).
 */
@Tag("integration")
class AmdRecordIT {
    private static final String SUPERVISOR = "supervisor-token-0123456789";
    private static final Duration T = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    private IvrServer server;
    private FakeAmi ami;
    private Thread dialplan;

    @AfterEach
    void stop() throws Exception {
        if (dialplan != null) {
            dialplan.interrupt();
        }
        if (server != null) {
            server.stop();
        }
        if (ami != null) {
            ami.close();
        }
    }

    @Test
    void aPersonAndAMachineAreRecordedWithTheirAttempts() throws Exception {
        ami = new FakeAmi("ivr", "manager-secret-for-tests");
        Path yaml = dir.resolve("ivr.yaml");
        Files.writeString(yaml, """
                http:
                  tokens:
                    - {name: floor, roles: [supervisor], token: %s}
                crm:
                  pin-hash: {memory: 1024, iterations: 1, parallelism: 1}
                outbound:
                  enabled: true
                  poll-interval: 200ms
                  campaigns:
                    - {name: reminder, segment: two, flow: payment-reminder, reason: payment-late, max-concurrent: 2,
                       days: [monday, tuesday, wednesday, thursday, friday, saturday, sunday], from: "00:00", until: "23:59",
                       callee-local-time: false, time-zone: UTC}
                """.formatted(SUPERVISOR));
        IvrConfig config = TestConfigs.server(Files.createDirectories(dir.resolve("data")), yaml, Map.of(
                "IVR_AMI_ENABLED", "true", "IVR_AMI_PORT", Integer.toString(ami.port()),
                "IVR_AMI_SECRET", "manager-secret-for-tests", "IVR_FLOWS_WATCH", "false"));
        server = IvrServer.start(config);
        assertThat(server.database().awaitReady(Duration.ofSeconds(60))).isTrue();
        assertThat(SampleCustomers.importInto(server).rejected()).isEmpty();
        ami.originateOutcomes(a -> FakeAmi.OriginateOutcome.ANSWERED);

        // the ivr-outbound context: AMD() on the answered leg, then the flow over FastAGI on the same channel
        FakePbx pbx = new FakePbx("127.0.0.1", server.agiPort());
        Set<String> played = ConcurrentHashMap.newKeySet();
        Map<String, CallResult> calls = new ConcurrentHashMap<>();
        dialplan = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                for (FakeAmi.Originated o : List.copyOf(ami.originated())) {
                    if (!played.add(o.uniqueId())) {
                        continue;
                    }
                    Map<String, String> v = o.variables();
                    boolean machine = "C1002".equals(v.get("IVR_CUSTOMER"));
                    Thread.ofVirtual().start(() -> {
                        CallResult r = pbx.call(v.get("IVR_FLOW")).uniqueId(o.uniqueId()).channel(o.channel())
                                .context("ivr-outbound").callerId("+3619990000")
                                .query("campaign=" + v.get("IVR_CAMPAIGN") + "&customer=" + v.get("IVR_CUSTOMER")
                                        + "&attempt=" + v.get("IVR_ATTEMPT") + "&reason=" + v.get("IVR_REASON")
                                        + (machine ? "&amd=MACHINE&amdcause=INITIALSILENCE-2500-2500" : "&amd=HUMAN&amdcause=HUMAN-300-300"))
                                .caller(Caller.script().silence(3)).run(Duration.ofSeconds(60));
                        calls.put(v.get("IVR_CUSTOMER"), r);
                        ami.hangup(o.channel(), o.uniqueId()); // the dialplan's Hangup()
                    });
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        DeskClient desk = new DeskClient(server.httpPort());
        DeskClient.Reply seg = desk.send("PUT", "/api/segments/two", SUPERVISOR,
                new JsonObject().put("expression", "customer.id in [\"C1001\", \"C1002\"]"));
        assertThat(seg.status()).as(seg.body()).isEqualTo(200);
        assertThat(desk.post("/api/campaigns/reminder/start", SUPERVISOR, null).status()).isEqualTo(200);
        CampaignStore store = new CampaignStore(server.database().dataSource());
        await().atMost(T).until(() -> store.contactStates("reminder").getOrDefault("done", 0) == 2);

        // the records: the flow got the result and so did the attempt, with its cause
        Map<String, CampaignStore.Attempt> byCustomer = new java.util.HashMap<>();
        store.attempts("reminder").forEach(a -> byCustomer.put(a.customerId(), a));
        assertThat(byCustomer.get("C1001")).extracting(CampaignStore.Attempt::result, CampaignStore.Attempt::amd,
                CampaignStore.Attempt::amdCause).containsExactly("answered", "HUMAN", "HUMAN-300-300");
        assertThat(byCustomer.get("C1002")).extracting(CampaignStore.Attempt::result, CampaignStore.Attempt::amd,
                CampaignStore.Attempt::amdCause).containsExactly("answered", "MACHINE", "INITIALSILENCE-2500-2500");
        // and the flow took the machine branch for C1002 only (a short message, no menu)
        assertThat(calls.get("C1002").prompts()).noneMatch(p -> p.contains("reminder-menu"));
        assertThat(calls.get("C1001").commands("WAIT FOR DIGIT")).as("a person hears the menu").isNotEmpty();

        // the attempts API
        DeskClient.Reply attempts = desk.send("GET", "/api/campaigns/reminder/attempts?customer=C1002", SUPERVISOR, null);
        assertThat(attempts.status()).as(attempts.body()).isEqualTo(200);
        JsonArray list = new JsonObject(attempts.body()).getJsonArray("attempts");
        assertThat(list).hasSize(1);
        assertThat(list.getJsonObject(0).getString("amd")).isEqualTo("MACHINE");
        assertThat(list.getJsonObject(0).getString("amdCause")).isEqualTo("INITIALSILENCE-2500-2500");
        assertThat(desk.send("GET", "/api/campaigns/reminder/attempts", null, null).status()).isEqualTo(401);

        // the customer's contact history: the call's interaction carries its campaign attempt
        String callId = byCustomer.get("C1001").callId();
        await().atMost(T).until(() -> desk.send("GET", "/api/interactions/" + callId, SUPERVISOR, null).status() == 200);
        JsonObject campaign = new JsonObject(desk.send("GET", "/api/interactions/" + callId, SUPERVISOR, null).body())
                .getJsonObject("campaign");
        assertThat(campaign).isNotNull();
        assertThat(campaign.getString("name")).isEqualTo("reminder");
        assertThat(campaign.getString("amd")).isEqualTo("HUMAN");
        assertThat(campaign.getInteger("attempt")).isEqualTo(1);

        // a second report for the same attempt (a replayed AGI request, another channel) changes nothing
        assertThat(store.recordAmd("reminder", "C1002", 1, "other-channel", "HUMAN", null)).isFalse();
        assertThat(store.recentAttempts("reminder", "C1002", 1).getFirst().amd()).isEqualTo("MACHINE");
    }
}
