package dev.ivr.server.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivr.server.IvrServer;
import dev.ivr.server.desk.DeskClient.Reply;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.kpi.ScriptedCampaigns;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/reports/campaigns} on a whole server: the scripted campaign attempts and opt-outs in the campaign
 * tables, the agents' events written through the journal, read back as JSON (with the previous period) and CSV,
 * figure for figure as worked out by hand in CampaignCalculatorTest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CampaignReportApiContract {
    static final String PASSWORD = "correct horse battery";
    static final String PERIOD = "from=2026-03-02T09:00:00Z&to=2026-03-02T11:00:00Z";

    IvrServer server;
    DeskClient api;
    String sam;
    String alice;

    /** IVR_* overrides that choose the database (none: the default H2 file database). */
    protected abstract Map<String, String> database();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>(database());
        env.put("IVR_FLOWS_WATCH", "false");
        server = IvrServer.start(TestConfigs.server(dir.resolve("data"), env));
        api = new DeskClient(server.httpPort());
        String admin = Files.readString(dir.resolve("data/admin-token")).trim();
        api.createUser(admin, new JsonObject().put("id", "sam").put("name", "Sam Super").put("password", PASSWORD)
                .put("roles", new JsonArray().add("supervisor")));
        api.createUser(admin, new JsonObject().put("id", "alice").put("name", "Alice Agent").put("password", PASSWORD)
                .put("roles", new JsonArray().add("agent")).put("endpoint", "PJSIP/1001")
                .put("languages", new JsonArray().add("en")));
        sam = api.login("sam", PASSWORD);
        alice = api.login("alice", PASSWORD);
        await().atMost(Duration.ofSeconds(60)).until(() -> server.database().isReady());
        ScriptedCampaigns.write(server.database().dataSource());
        for (JournalEvent e : ScriptedCampaigns.agentEvents()) {
            server.journal().emit(e);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> server.journal().pending() == 0);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void perHourAsJsonWithTotalsAndThePreviousPeriod() {
        Reply r = api.get("/api/reports/campaigns?" + PERIOD + "&interval=60m", sam);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonObject body = r.json();
        JsonArray rows = body.getJsonArray("rows");
        assertThat(rows).hasSize(5);
        JsonObject renewal = rows.getJsonObject(1);
        assertThat(renewal.getString("campaign")).isEqualTo("renewal");
        assertThat(renewal.getLong("attempts")).isEqualTo(9);
        assertThat(renewal.getLong("answered")).isEqualTo(4);
        assertThat(renewal.getLong("machine")).isEqualTo(1);
        assertThat(renewal.getLong("failed")).isEqualTo(2);
        assertThat(renewal.getLong("contacts")).isEqualTo(3);
        assertThat(renewal.getDouble("contact_rate_pct")).isEqualTo(33.3);
        assertThat(renewal.getDouble("abandon_rate_pct")).isEqualTo(25.0);
        assertThat(renewal.getLong("agent_handled")).isEqualTo(2);
        assertThat(renewal.getDouble("average_talk_s")).isEqualTo(180.0);
        assertThat(renewal.getDouble("aht_s")).isEqualTo(210.0);
        assertThat(renewal.getLong("opt_outs")).isEqualTo(1);
        JsonObject totals = body.getJsonObject("totals");
        assertThat(totals.getLong("attempts")).isEqualTo(14);
        assertThat(totals.getLong("contacts")).isEqualTo(6);
        assertThat(totals.getLong("agentHandled")).isEqualTo(3);
        assertThat(totals.getLong("optOuts")).isEqualTo(3);
        JsonObject previous = body.getJsonObject("previous");
        assertThat(previous.getString("from")).isEqualTo("2026-03-02T07:00:00Z");
        assertThat(previous.getLong("attempts")).isEqualTo(1); // r14 at 08:59
        assertThat(previous.getValue("contactRate")).isEqualTo(1.0);
    }

    @Test
    void oneCampaignAsCsvForASpreadsheet() {
        Reply r = api.get("/api/reports/campaigns?" + PERIOD + "&interval=60m&campaign=renewal&format=csv", sam);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/csv");
        assertThat(r.header("Content-Disposition")).contains("campaigns-2026-03-02.csv");
        assertThat(r.body()).isEqualTo("interval_start,interval_end,campaign,attempts,answered,busy,no_answer,"
                + "congestion,failed,machine,dialing,skipped,contacts,contact_rate_pct,abandoned,abandon_rate_pct,"
                + "agent_handled,average_talk_s,aht_s,opt_outs\r\n"
                + "2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,renewal,9,4,1,1,1,2,1,0,1,3,33.3,1,25.0,2,180.0,210.0,1\r\n"
                + "2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,renewal,3,2,0,0,0,0,0,1,0,2,66.7,0,0.0,1,180.0,240.0,1\r\n");
    }

    @Test
    void onlySupervisorsAndBadInputIsSaid() {
        assertThat(api.get("/api/reports/campaigns?" + PERIOD, alice).status()).isEqualTo(403);
        assertThat(api.get("/api/reports/campaigns?" + PERIOD, null).status()).isEqualTo(401);
        Reply bad = api.get("/api/reports/campaigns?" + PERIOD + "&campaign=" + "a%20b", sam);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(api.get("/api/reports/campaigns?from=tomorrow", sam).status()).isEqualTo(400);
    }
}
