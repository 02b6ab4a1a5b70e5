package dev.ivr.server.outbound;

import dev.ivr.server.config.AttributeConfig;
import dev.ivr.server.config.CampaignConfig;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.CrmConfig;
import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.config.OutboundConfig;
import dev.ivr.server.crm.attributes.AttributeSchema;
import dev.ivr.server.crm.csv.CustomerImport;
import dev.ivr.server.crm.phone.PhoneNumbers;
import dev.ivr.server.crm.pin.PinHasher;
import dev.ivr.server.crm.segment.Segments;
import dev.ivr.server.db.Database;
import dev.ivr.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A campaign's list from CSV (all or nothing, repeated rows once, customers already in the campaign kept) and a
 * segment refreshed on a schedule (one server per period, new members added, nobody added twice, contacts who stopped
 * matching left as they are), the same on H2 and PostgreSQL (subclasses), on a simulated clock.
 */
abstract class ContactListsContract {
    protected abstract String newDatabaseUrl();

    protected abstract String user();

    private static final Instant START = Instant.parse("2027-03-01T08:00:00Z");
    private static final PhoneNumbers HU = new PhoneNumbers("HU");
    @TempDir
    Path tmp;
    private Database db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private Database open(MutableClock clock) throws Exception {
        db = Database.open(new DatabaseConfig(newDatabaseUrl(), user(), "", 5, 2, Duration.ofMillis(500)), tmp.resolve("data"));
        assertThat(db.awaitReady(Duration.ofSeconds(30))).isTrue();
        Path csv = tmp.resolve("c.csv");
        Files.writeString(csv, """
                id,first_name,phones,attr.vip
                C1,Anna,+36 1 555 0001,yes
                C2,Bela,+36 1 555 0002,no
                C3,Cili,+36 1 555 0003,no
                C4,Dora,,yes
                """);
        CrmConfig crm = ConfigLoader.load(Map.of("IVR_CRM_PIN_HASH_MEMORY", "256", "IVR_CRM_PIN_HASH_ITERATIONS", "1")).crm();
        assertThat(new CustomerImport(db.dataSource(), HU, new PinHasher(crm.pinHash()), clock, schema())
                .run(csv, new CustomerImport.Options(false, false), CustomerImport.Progress.NONE).rejected()).isEmpty();
        return db;
    }

    private static AttributeSchema schema() {
        return AttributeSchema.of(List.of(new AttributeConfig("vip", "boolean", null, null)));
    }

    private static CampaignConfig campaign(String name, String segment, Duration refresh) {
        return new CampaignConfig(name, segment, "payment-reminder", null, null, 5, 3, Map.of(), List.of(), null, null, "UTC", null,
                null, null, null, null, null, null, null, null, null, null, refresh);
    }

    @Test
    void aCsvListIsAllOrNothingAndKeepsWhatTheCampaignHas() throws Exception {
        MutableClock clock = new MutableClock(START);
        Database d = open(clock);
        ContactImport imports = new ContactImport(d.dataSource());
        CampaignStore store = new CampaignStore(d.dataSource());

        assertThatThrownBy(() -> imports.run("listed", ContactCsv.parse("customer,phone\nC1,\nC9,\n,+36 1 555 0099\nC4,\n", HU),
                clock.instant())).isInstanceOf(ContactImport.Rejected.class).satisfies(e -> assertThat(((ContactImport.Rejected) e)
                .problems()).containsExactly(
                "line 3: customer: no customer 'C9' (import the customers first: ./ivr import-customers)",
                "line 4: phone: no customer has the number +3615550099 (import the customers first: ./ivr import-customers)",
                "line 5: customer C4 has no phone number: give one in the phone column"));
        assertThat(store.contactStates("listed")).as("nothing of a refused list").isEmpty();

        // C1 by id, C2 by a number in the national format, C2 again by id; C3 by id with another number to call
        ContactImport.Report r = imports.run("listed", ContactCsv.parse(
                "customer,phone\nC1,\n,06 1 555 0002\nC2,\nC3,+36 30 555 0303\n", HU), clock.instant());
        assertThat(r).isEqualTo(new ContactImport.Report(4, 3, 0, 1));
        Map<String, String> phones = new java.util.HashMap<>();
        try (var c = d.dataSource().getConnection(); var ps = c.prepareStatement(
                "select customer_id, phone, state from campaign_contacts where campaign = 'listed'"); var rs = ps.executeQuery()) {
            while (rs.next()) {
                phones.put(rs.getString(1), rs.getString(2) + "/" + rs.getString(3));
            }
        }
        assertThat(phones).containsExactlyInAnyOrderEntriesOf(Map.of("C1", "+3615550001/pending", "C2", "+3615550002/pending",
                "C3", "+36305550303/pending"));

        // a contact that was called keeps its state when the list comes again
        try (var c = d.dataSource().getConnection(); var ps = c.prepareStatement(
                "update campaign_contacts set state = 'done' where campaign = 'listed' and customer_id = 'C1'")) {
            ps.executeUpdate();
        }
        assertThat(imports.run("listed", ContactCsv.parse("id\nC1\nC2\n", HU), clock.instant()))
                .isEqualTo(new ContactImport.Report(2, 0, 2, 0));
        assertThat(store.contactStates("listed")).containsExactlyInAnyOrderEntriesOf(Map.of("done", 1, "pending", 2));
    }

    @Test
    void aSegmentIsRefreshedOncePerPeriodByOneServerAddingOnlyNewMembers() throws Exception {
        MutableClock clock = new MutableClock(START);
        Database d = open(clock);
        Segments segments = new Segments(d.dataSource(), schema(), clock);
        segments.save("vips", "attr.vip", null, "test");
        CampaignConfig c = campaign("vip-calls", "vips", Duration.ofHours(1));
        OutboundConfig outbound = new OutboundConfig(true, "PJSIP/{number}@trunk", "ivr-outbound", Duration.ofMillis(100),
                Duration.ofSeconds(30), Duration.ofMinutes(5), List.of(c));
        CampaignStore store = new CampaignStore(d.dataSource());
        Campaigns campaigns = new Campaigns(outbound, store, segments, clock);
        SegmentRefresher a = new SegmentRefresher(outbound, store, segments, clock, "node-a");
        SegmentRefresher b = new SegmentRefresher(outbound, store, segments, clock, "node-b");

        assertThat(a.refreshIfDue(c)).as("never started: nothing to refresh").isEmpty();
        assertThat(campaigns.start("vip-calls").members()).isEqualTo(2); // C1, and C4 without a number
        assertThat(store.contactStates("vip-calls")).containsExactlyInAnyOrderEntriesOf(Map.of("pending", 1, "no-number", 1));

        // C2 becomes a VIP, C1 stops being one
        setVip("C2", "true");
        setVip("C1", "false");
        clock.advance(Duration.ofMinutes(59));
        assertThat(a.refreshIfDue(c)).as("not an hour yet").isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(List.of(a.refreshIfDue(c), b.refreshIfDue(c))).as("one server of the two").containsExactly(Optional.of(1),
                Optional.empty());
        assertThat(b.refreshIfDue(c)).isEmpty();
        assertThat(store.contactStates("vip-calls")).as("C2 added, C1 left as it was")
                .containsExactlyInAnyOrderEntriesOf(Map.of("pending", 2, "no-number", 1));

        // the next period: either server may take it, and nobody is added twice
        clock.advance(Duration.ofMinutes(30));
        assertThat(b.refreshIfDue(c)).isEmpty();
        clock.advance(Duration.ofMinutes(30));
        assertThat(b.refreshIfDue(c)).contains(0);
        assertThat(a.refreshIfDue(c)).isEmpty();

        // a claim left by a server that died expires; a paused campaign is not refreshed
        try (var conn = d.dataSource().getConnection(); var ps = conn.prepareStatement("update campaign_runs set refresh_node = 'node-dead',"
                + " refresh_until = ?, refreshed_at = ? where campaign = 'vip-calls'")) {
            ps.setObject(1, clock.instant().plus(Duration.ofMinutes(70)).atOffset(java.time.ZoneOffset.UTC));
            ps.setObject(2, clock.instant().minus(Duration.ofHours(2)).atOffset(java.time.ZoneOffset.UTC));
            ps.executeUpdate();
        }
        setVip("C3", "true");
        assertThat(a.refreshIfDue(c)).as("another server holds the claim").isEmpty();
        clock.advance(Duration.ofMinutes(71));
        assertThat(campaigns.set("vip-calls", "paused")).isTrue();
        assertThat(a.refreshIfDue(c)).isEmpty();
        assertThat(campaigns.set("vip-calls", "running")).isTrue();
        assertThat(a.refreshIfDue(c)).contains(1);
        assertThat(store.contactStates("vip-calls")).containsExactlyInAnyOrderEntriesOf(Map.of("pending", 3, "no-number", 1));
    }

    private void setVip(String customer, String value) throws Exception {
        try (var c = db.dataSource().getConnection(); var ps = c.prepareStatement(
                "update customer_attributes set attr_value = ? where customer_id = ? and attr_name = 'vip'")) {
            ps.setString(1, value);
            ps.setString(2, customer);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }
}
