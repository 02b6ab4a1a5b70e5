package dev.ivr.server.outbound;

import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.server.call.CallInfo;
import dev.ivr.server.config.AttributeConfig;
import dev.ivr.server.config.CampaignConfig;
import dev.ivr.server.config.OutboundConfig;
import dev.ivr.server.crm.attributes.AttributeSchema;
import dev.ivr.server.crm.phone.PhoneNumbers;
import dev.ivr.server.crm.segment.Segments;
import dev.ivr.server.db.Database;
import dev.ivr.server.flow.engine.CallSummary;
import dev.ivr.server.pbx.AmiConnection;
import dev.ivr.server.pbx.AmiOriginator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The do-not-call list at dial time, and an opt-out given in the flow, against the fake PBX's
 * AMI: a number listed after the campaign's contact list was built is never Originated (the
 * contact is recorded {@code dnc}); a customer who presses "stop these calls" is on the
 * campaign's list with the campaign and the call id, and a second start of the campaign does
 * not call them again.
 */
@Tag("integration")
class CallingRulesDialIT {
    private static final Duration T = OutboundRig.T;

    @TempDir
    Path tmp;
    private final OutboundRig rig = new OutboundRig();

    @AfterEach
    void closeAll() throws Exception {
        rig.close();
    }

    @Test
    void aListedNumberIsNeverDialledAndAnOptOutInTheFlowStopsTheCampaignsCalls() throws Exception {
        Database db = rig.database(tmp, 5);
        AttributeSchema schema = AttributeSchema.of(List.of(new AttributeConfig("vip", "boolean", null, null)));
        OutboundRig.importCustomers(db, schema, tmp, """
                id,first_name,phones,attr.vip
                C1,Anna,+36 1 555 0001,no
                C2,Bela,+36 1 555 0002,no
                C3,Cili,+36 1 555 0003,no
                """);
        Segments segments = new Segments(db.dataSource(), schema, Clock.systemUTC());
        segments.save("everyone", "!attr.vip", null, "test");
        CampaignConfig campaign = new CampaignConfig("reminder", "everyone", "payment-reminder", "payment-late", null, 1, 2,
                Map.of(), OutboundRig.EVERY_DAY, "00:00", "23:59", "UTC", null, null, false, null);
        OutboundConfig outbound = OutboundRig.outbound(Duration.ofMillis(100), campaign);
        DncList dnc = new DncList(db.dataSource(), new PhoneNumbers("HU"));

        FakeAmi ami = rig.fakeAmi();
        ami.originateOutcomes(a -> FakeAmi.OriginateOutcome.ANSWERED);
        rig.hangUpAnswered(ami, Duration.ofMillis(200));
        AmiConnection connection = rig.connect(ami);
        CampaignStore store = new CampaignStore(db.dataSource());
        CampaignDialer dialer = new CampaignDialer(outbound, store, new AmiOriginator(connection, Clock.systemUTC()),
                Clock.systemUTC(), "node-a");
        rig.closing(dialer);
        Campaigns campaigns = new Campaigns(outbound, store, segments, Clock.systemUTC());
        assertThat(campaigns.start("reminder").members()).isEqualTo(3);
        campaigns.set("reminder", "paused");
        // C2 asks not to be called after the list was built: in the national format, on the list of every campaign
        dnc.add("06 1 555 0002", null, DncList.Origin.of("api", "asked by e-mail", "sam"), java.time.Instant.now());
        campaigns.set("reminder", "running");
        dialer.start();
        await().atMost(T).until(() -> store.contactStates("reminder").getOrDefault("pending", 0) == 0
                && store.contactStates("reminder").getOrDefault("dialing", 0) == 0);

        assertThat(store.contactStates("reminder")).containsExactlyInAnyOrderEntriesOf(Map.of("done", 2, "dnc", 1));
        assertThat(ami.originated()).extracting(o -> o.action().get("Channel"))
                .containsExactlyInAnyOrder("PJSIP/+3615550001@trunk", "PJSIP/+3615550003@trunk");
        assertThat(store.attempts("reminder")).extracting(CampaignStore.Attempt::customerId).containsExactlyInAnyOrder("C1", "C3");

        // C1's call ran the flow, which set opt_out = "campaign" ("press 9 to stop these calls")
        CampaignStore.Attempt c1 = store.attempts("reminder").stream().filter(a -> a.customerId().equals("C1")).findFirst()
                .orElseThrow();
        OptOutRecorder recorder = new OptOutRecorder(dnc, db.dataSource(), Clock.systemUTC());
        recorder.started(new CallInfo(c1.callId(), "payment-reminder", Map.of("campaign", "reminder", "customer", "C1",
                "attempt", "1"), List.of(), "+3619990000", "", "s", "PJSIP/trunk-00000001", "en", "ivr-outbound", "s",
                "127.0.0.1"), "payment-reminder", false);
        recorder.ended(new CallSummary(List.of("reminder", "stop-calls"), Map.of("opt_out", "campaign"), Map.of(), Map.of(),
                Map.of(), null));
        List<DncList.Entry> entries = dnc.lookup("+3615550001");
        assertThat(entries).hasSize(1);
        assertThat(entries.getFirst()).extracting(DncList.Entry::scope, DncList.Entry::source, DncList.Entry::campaign,
                DncList.Entry::callId, DncList.Entry::customerId).containsExactly("reminder", "flow", "reminder", c1.callId(), "C1");
        assertThat(dnc.listed("+3615550001", "renewal")).as("only this campaign's list").isFalse();

        // the campaign is armed again for C1 (a reminder): it is refused at dial time now
        int before = ami.originated().size();
        try (var c = db.dataSource().getConnection(); var ps = c.prepareStatement(
                "update campaign_contacts set state = 'pending', next_at = current_timestamp where customer_id = 'C1'")) {
            ps.executeUpdate();
        }
        await().atMost(T).until(() -> store.contactStates("reminder").getOrDefault("dnc", 0) == 2);
        assertThat(ami.originated()).as("C1 opted out: not dialled again").hasSize(before);
    }
}
