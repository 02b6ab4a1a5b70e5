package dev.ivr.server.outbound;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.server.IvrServer;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.crm.csv.CustomerImport;
import dev.ivr.server.flow.reminder.ReminderTime;
import dev.ivr.server.testing.SampleCustomers;
import dev.ivr.server.testing.TestConfigs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code remind} node in the server as shipped: calls through the fake PBX over FastAGI, the
 * caller identified by the CRM in the database, the reminder stored in the campaign's contacts
 * for tomorrow at 10:00 in the customer's zone (a +44 number: Europe/London); an unknown caller
 * takes on-error and nothing is stored.
 */
@Tag("integration")
class RemindNodeIT {
    @TempDir
    Path dir;

    @Test
    void anIdentifiedCallerIsBookedForTomorrowAtTenTheirTimeAndAnUnknownOneIsNot() throws Exception {
        Path flows = Files.createDirectories(dir.resolve("flows"));
        Files.writeString(flows.resolve("book-reminder.yaml"), """
                description: books a payment reminder for the caller
                start: who
                languages: [en]
                nodes:
                  who:
                    type: identify
                    on-identified: book
                    next: book
                  book:
                    type: remind
                    campaign: payment-reminder
                    in: 1d
                    at: "10:00"
                    next: booked
                    on-error: failed
                  booked:
                    type: set
                    channel: {REMINDER: booked}
                    next: bye
                  failed:
                    type: set
                    channel: {REMINDER: failed}
                    next: bye
                  bye:
                    type: hangup
                """);
        Path yaml = Files.writeString(dir.resolve("ivr.yaml"), """
                crm:
                  pin-hash: {memory: 1024, iterations: 1, parallelism: 1}
                outbound:
                  campaigns:
                    - {name: payment-reminder, flow: book-reminder, reason: payment-late, time-zone: Asia/Tokyo}
                """);
        IvrConfig config = TestConfigs.server(dir.resolve("data"), yaml, Map.of(
                "IVR_FLOWS_DIR", flows.toString(), "IVR_FLOWS_WATCH", "false"));
        try (IvrServer server = IvrServer.start(config)) {
            assertThat(server.database().awaitReady(Duration.ofSeconds(60))).isTrue();
            CustomerImport.Report imported = SampleCustomers.importInto(server);
            assertThat(imported.rejected()).isEmpty();
            FakePbx pbx = new FakePbx("127.0.0.1", server.agiPort());

            Instant before = Instant.now();
            CallResult known = pbx.call("book-reminder").callerId("+442079460958").caller(Caller.script())
                    .run(Duration.ofSeconds(30));
            Instant after = Instant.now();
            assertThat(known.error()).isNull();
            assertThat(known.variable("REMINDER")).isEqualTo("booked");
            ZoneId london = ZoneId.of("Europe/London"); // the number's zone comes before the campaign's (Tokyo)
            Instant expected1 = ReminderTime.resolve(Duration.ofDays(1), LocalTime.of(10, 0), london, before);
            Instant expected2 = ReminderTime.resolve(Duration.ofDays(1), LocalTime.of(10, 0), london, after);
            try (var c = server.database().dataSource().getConnection(); var ps = c.prepareStatement(
                    "select customer_id, state, next_at, phone from campaign_contacts where campaign = 'payment-reminder'");
                 ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("C1003");
                assertThat(rs.getString(2)).isEqualTo("pending");
                assertThat(rs.getObject(3, OffsetDateTime.class).toInstant()).isIn(expected1, expected2);
                assertThat(rs.getString(4)).isEqualTo("+442079460958");
                assertThat(rs.next()).as("one contact only").isFalse();
            }

            CallResult unknown = pbx.call("book-reminder").callerId("+15550000009").caller(Caller.script())
                    .run(Duration.ofSeconds(30));
            assertThat(unknown.error()).isNull();
            assertThat(unknown.variable("REMINDER")).isEqualTo("failed");
            try (var c = server.database().dataSource().getConnection(); var ps = c.prepareStatement(
                    "select count(*) from campaign_contacts where campaign = 'payment-reminder'");
                 ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }
}
