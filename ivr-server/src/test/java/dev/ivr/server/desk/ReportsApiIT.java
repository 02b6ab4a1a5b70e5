package dev.ivr.server.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivr.server.IvrServer;
import dev.ivr.server.desk.DeskClient.Reply;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.kpi.ScriptedDay;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The reports API on a whole server: a scripted hour written through the journal, read back as JSON and CSV. */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportsApiIT {
    static final String PASSWORD = "correct horse battery";
    static final String HOUR = "from=2026-03-02T09:00:00Z&to=2026-03-02T10:00:00Z";

    IvrServer server;
    DeskClient api;
    String sam;
    String alice;
    String admin;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        server = IvrServer.start(TestConfigs.server(dir.resolve("data"), Map.of("IVR_FLOWS_WATCH", "false",
                "IVR_REPORTS_LIVE_REFRESH", "1s")));
        api = new DeskClient(server.httpPort());
        admin = Files.readString(dir.resolve("data/admin-token")).trim();
        api.createUser(admin, new JsonObject().put("id", "sam").put("name", "Sam Super").put("password", PASSWORD)
                .put("roles", new JsonArray().add("supervisor")));
        api.createUser(admin, new JsonObject().put("id", "alice").put("name", "Alice Agent").put("password", PASSWORD)
                .put("roles", new JsonArray().add("agent")).put("endpoint", "PJSIP/1001")
                .put("languages", new JsonArray().add("en")));
        sam = api.login("sam", PASSWORD);
        alice = api.login("alice", PASSWORD);
        for (JournalEvent e : ScriptedDay.events()) {
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
    void theQueueReportAsJsonWithTotalsAndThePreviousPeriod() {
        Reply r = api.get("/api/reports/queues?" + HOUR + "&interval=30m", sam);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonObject body = r.json();
        assertThat(body.getJsonArray("rows")).hasSize(6);
        JsonObject first = body.getJsonArray("rows").getJsonObject(0);
        assertThat(first.getString("queue")).isEqualTo("billing");
        assertThat(first.getLong("offered")).isEqualTo(3);
        assertThat(body.getJsonObject("totals").getLong("offered")).isEqualTo(7);
        assertThat(body.getJsonObject("totals").getDouble("serviceLevel")).isEqualTo(0.5);
        assertThat(body.getJsonObject("previous").getLong("offered")).isZero();
        assertThat(body.getJsonObject("previous").getString("from")).isEqualTo("2026-03-02T08:00:00Z");
    }

    @Test
    void csvForASpreadsheet() {
        Reply r = api.get("/api/reports/agents?" + HOUR + "&format=csv", sam);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/csv");
        assertThat(r.header("Content-Disposition")).contains("agents-2026-03-02.csv");
        assertThat(r.body()).startsWith("interval_start,interval_end,agent,handled,").contains(",a2,1,1,");
        Reply funnel = api.get("/api/reports/funnel?" + HOUR + "&format=csv", sam);
        assertThat(funnel.status()).isEqualTo(200);
        assertThat(funnel.body()).startsWith("flow,node,reached,hung_up,reached_pct");
    }

    @Test
    void onlySupervisorsAndBadInputIsSaid() {
        assertThat(api.get("/api/reports/queues?" + HOUR, alice).status()).isEqualTo(403);
        assertThat(api.get("/api/reports/live", alice).status()).isEqualTo(403);
        assertThat(api.get("/api/reports/queues?" + HOUR, null).status()).isEqualTo(401);
        Reply bad = api.get("/api/reports/queues?from=yesterday", sam);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().getString("error")).contains("from must be a date");
        assertThat(api.get("/api/reports/queues?" + HOUR + "&interval=7m", sam).status()).isEqualTo(400);
    }

    @Test
    void liveFiguresAndTheirGauges() {
        // the scripted hour is in the past: the live window (the last hour) is empty, but answers
        Reply r = api.get("/api/reports/live", sam);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().getJsonObject("center").getLong("offered")).isNotNull();
        assertThat(r.json().getLong("windowSeconds")).isEqualTo(3600);
        Reply metrics = api.get("/metrics", admin);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("ivr_kpi_service_level{", "queue=\"*\"", "ivr_kpi_asa_seconds{",
                "ivr_kpi_agent_occupancy", "ivr_journal_pending", "ivr_journal_outbox_force_failures_total");
    }
}
