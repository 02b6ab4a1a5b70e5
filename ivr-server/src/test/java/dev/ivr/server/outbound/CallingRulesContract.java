package dev.ivr.server.outbound;

import dev.ivr.server.config.CampaignConfig;
import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.crm.phone.PhoneNumbers;
import dev.ivr.server.db.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The calling rules' SQL, the same on H2 and PostgreSQL (subclasses): the do-not-call list (any
 * format to E.164, scopes, all-or-none imports) and how the claim of an attempt uses it and the
 * per-customer lock, the customer's local calling window and the attempts-per-day cap.
 */
abstract class CallingRulesContract {
    protected abstract String newDatabaseUrl();

    protected abstract String user();

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z"); // a Thursday: 11:00 in Budapest, 05:00 in New York
    @TempDir
    Path tmp;
    private Database db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private DataSource open() {
        db = Database.open(new DatabaseConfig(newDatabaseUrl(), user(), "", 5, 2, Duration.ofMillis(500)), tmp.resolve("data"));
        assertThat(db.awaitReady(Duration.ofSeconds(30))).isTrue();
        return db.dataSource();
    }

    private static CampaignConfig campaign(String name, Integer perDay, String tzAttribute) {
        return new CampaignConfig(name, "s", "f", null, null, 10, 5, Map.of(), List.of(), "09:00", "17:00", "Europe/Budapest",
                null, perDay, null, tzAttribute);
    }

    @Test
    void numbersInAnyFormatAreOneEntryPerListAndImportsAreAllOrNone() throws Exception {
        DncList dnc = new DncList(open(), new PhoneNumbers("HU"));
        assertThat(dnc.add("+36 1 555 0001", null, DncList.Origin.of("api", "asked", "sam"), NOW)).isTrue();
        assertThat(dnc.add("06 1 555 0001", "*", DncList.Origin.of("api", null, "sam"), NOW)).as("the same number").isFalse();
        assertThat(dnc.add("(+36) 1-555-0001", "renewal", DncList.Origin.of("api", null, "sam"), NOW)).as("another list").isTrue();
        assertThat(dnc.listed("+3615550001", "reminder")).isTrue();
        assertThat(dnc.listed("+3615550002", "renewal")).isFalse();
        dnc.add("+3615550002", "renewal", DncList.Origin.of("cli", null, null), NOW);
        assertThat(dnc.listed("+3615550002", "renewal")).isTrue();
        assertThat(dnc.listed("+3615550002", "reminder")).as("only renewal's list").isFalse();
        assertThat(dnc.lookup("0036 1 555 0001")).extracting(DncList.Entry::scope).containsExactly("*", "renewal");

        assertThatThrownBy(() -> dnc.addAll(List.of("+3615550003", "not a number", "+3615550004"), null,
                DncList.Origin.of("import", null, null), NOW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
        assertThat(dnc.listed("+3615550003", "x")).as("nothing of a bad import is kept").isFalse();
        assertThat(dnc.addAll(List.of("+3615550003", "06 1 555 0004", "+3615550001"), null, DncList.Origin.of("import", null, null),
                NOW)).isEqualTo(2);
        assertThat(dnc.count("*")).isEqualTo(3);
        assertThat(dnc.count(null)).as("every list").isEqualTo(5);
        assertThat(dnc.count("renewal")).isEqualTo(2);
        assertThat(dnc.remove("06 1 555 0001", null)).isTrue();
        assertThat(dnc.listed("+3615550001", "reminder")).isFalse();
        assertThat(dnc.listed("+3615550001", "renewal")).as("renewal's own entry stays").isTrue();
        assertThatThrownBy(() -> DncList.scope("no spaces")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aListedContactIsRecordedDncAtClaimTimeAndNeverGetsAnAttempt() throws Exception {
        DataSource ds = open();
        CampaignStore store = new CampaignStore(ds);
        store.start("renewal", "s", Map.of("C1", "+3615550001", "C2", "+3615550002"), NOW);
        List<CampaignStore.Due> due = store.due("renewal", NOW, 10);
        // listed after the contact list was built, before the dial
        new DncList(ds, new PhoneNumbers("HU")).add("+36 1 555 0001", "renewal", DncList.Origin.of("api", null, null), NOW);
        for (CampaignStore.Due d : due) {
            var claimed = store.claim("renewal", d, 10, "node-a", NOW);
            assertThat(claimed.isPresent()).as(d.customerId()).isEqualTo(d.customerId().equals("C2"));
        }
        assertThat(store.contactStates("renewal")).containsExactlyInAnyOrderEntriesOf(Map.of("dnc", 1, "dialing", 1));
        assertThat(store.attempts("renewal")).extracting(CampaignStore.Attempt::customerId).containsExactly("C2");
    }

    @Test
    void aCustomerIsInOneCallAtATimeAcrossCampaignsAndALockOfADeadServerIsTakenOverLater() throws Exception {
        DataSource ds = open();
        CampaignStore store = new CampaignStore(ds);
        store.start("renewal", "s", Map.of("C1", "+3615550001"), NOW);
        store.start("reminder", "s", Map.of("C1", "+3615550001"), NOW);
        CampaignStore.Claimed first = store.claim("renewal", store.due("renewal", NOW, 1).getFirst(), 10, "node-a", NOW).orElseThrow();
        assertThat(store.due("reminder", NOW, 1)).as("C1 is being called by renewal: not due for another campaign").isEmpty();
        CampaignStore.Due other = new CampaignStore.Due("C1", "+3615550001", 0); // read as due just before renewal's claim
        assertThat(store.claim("reminder", other, 10, "node-b", NOW)).as("C1 is being called by renewal").isEmpty();
        assertThat(store.contactStates("reminder")).containsEntry("pending", 1);
        store.finish("renewal", first, "answered", NOW.plusSeconds(60), null);
        CampaignStore.Claimed second = store.claim("reminder", other, 10, "node-b", NOW.plusSeconds(61)).orElseThrow();
        assertThat(second.customerId()).isEqualTo("C1");

        // node-b dies with the call under way: the lock holds until its lease runs out
        store.start("third", "s", Map.of("C1", "+3615550001"), NOW);
        assertThat(store.due("third", NOW.plusSeconds(62), 1)).as("C1 is locked by node-b's call").isEmpty();
        CampaignStore.Due third = new CampaignStore.Due("C1", "+3615550001", 0);
        assertThat(store.claim("third", third, 10, "node-a", NOW.plusSeconds(62))).isEmpty();
        assertThat(store.due("third", NOW.plus(DialLocks.LEASE).plusSeconds(120), 1)).as("the lease ran out").hasSize(1);
        assertThat(store.claim("third", third, 10, "node-a", NOW.plus(DialLocks.LEASE).plusSeconds(120))).isPresent();
    }

    @Test
    void theWindowIsTheCustomersLocalTimeFromTheNumberOrAnAttribute() throws Exception {
        DataSource ds = open();
        try (Connection c = ds.getConnection()) {
            for (String id : List.of("C1", "C2", "C3")) {
                try (PreparedStatement ps = c.prepareStatement("insert into customers (id, first_name, last_name, created_at,"
                        + " updated_at) values (?, 'x', 'y', ?, ?)")) {
                    ps.setString(1, id);
                    ps.setObject(2, NOW.atOffset(java.time.ZoneOffset.UTC));
                    ps.setObject(3, NOW.atOffset(java.time.ZoneOffset.UTC));
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("insert into customer_attributes (customer_id, attr_name, attr_value)"
                    + " values ('C3', 'tz', 'America/Los_Angeles')")) {
                ps.executeUpdate();
            }
        }
        DialRules rules = new DialRules(ds);
        CampaignConfig c = campaign("renewal", null, "tz");
        // Budapest 11:00: open
        assertThat(rules.check(c, new CampaignStore.Due("C1", "+3615550001", 0), NOW)).isEmpty();
        // New York 05:00: closed until 09:00 there (14:00 UTC)
        var ny = rules.check(c, new CampaignStore.Due("C2", "+12125550100", 0), NOW).orElseThrow();
        assertThat(ny.until()).isEqualTo(Instant.parse("2026-12-03T14:00:00Z"));
        // a Hungarian number whose customer lives in Los Angeles (attribute): 02:00 there
        var la = rules.check(c, new CampaignStore.Due("C3", "+3615550003", 0), NOW).orElseThrow();
        assertThat(la.until()).isEqualTo(Instant.parse("2026-12-03T17:00:00Z"));
        // with callee-local-time off, the campaign's zone decides
        CampaignConfig campaignZone = new CampaignConfig("renewal", "s", "f", null, null, 10, 5, Map.of(), List.of(), "09:00", "17:00",
                "Europe/Budapest", null, null, false, null);
        assertThat(rules.check(campaignZone, new CampaignStore.Due("C2", "+12125550100", 0), NOW)).isEmpty();
    }

    @Test
    void attemptsPerDayAreCountedInTheCustomersDayAndTheNextTryIsTomorrowsWindow() throws Exception {
        DataSource ds = open();
        CampaignStore store = new CampaignStore(ds);
        CampaignConfig c = campaign("renewal", 1, null);
        store.start("renewal", "s", Map.of("C1", "+3615550001"), NOW);
        DialRules rules = new DialRules(ds);
        CampaignStore.Due due = store.due("renewal", NOW, 1).getFirst();
        assertThat(rules.check(c, due, NOW)).isEmpty();
        CampaignStore.Claimed a = store.claim("renewal", due, 10, "node-a", NOW).orElseThrow();
        store.finish("renewal", a, "busy", NOW.plusSeconds(30), NOW.plusSeconds(60));
        CampaignStore.Due again = store.due("renewal", NOW.plusSeconds(60), 1).getFirst();
        var wait = rules.check(c, again, NOW.plusSeconds(60)).orElseThrow();
        assertThat(wait.until()).as("09:00 tomorrow in Budapest").isEqualTo(Instant.parse("2026-12-04T08:00:00Z"));
        rules.postpone("renewal", again, wait.until());
        assertThat(store.due("renewal", NOW.plusSeconds(120), 1)).isEmpty();
        assertThat(store.due("renewal", wait.until(), 1)).hasSize(1);
    }
}
