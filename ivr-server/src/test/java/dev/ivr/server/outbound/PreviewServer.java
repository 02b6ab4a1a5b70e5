package dev.ivr.server.outbound;

import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.server.IvrServer;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.crm.csv.CustomerImport;
import dev.ivr.server.desk.DeskClient;
import dev.ivr.server.testing.SampleCustomers;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole server (H2, routing, the desk, a fake AMI) with a preview campaign {@code renewal} over the sample
 * customers C1001 and C1002 in queue {@code support}, and an agent {@code tina} (PJSIP/3002) who can take it; for the
 * preview ITs (REST and WebSocket, and the desktop in Chromium).
 */
public final class PreviewServer implements AutoCloseable {
    public static final String PASSWORD = "correct horse battery";
    public static final String SUPERVISOR = "supervisor-token-0123456789";
    public static final String ADMIN = "admin-token-0123456789abc";
    public final FakeAmi ami;
    public final IvrServer server;
    public final DeskClient desk;
    public final String admin;

    public PreviewServer(Path dir, String campaignExtras) throws Exception {
        ami = new FakeAmi("ivr", "manager-secret-for-tests");
        Path yaml = dir.resolve("ivr.yaml");
        Files.writeString(yaml, """
                http:
                  tokens:
                    - {name: floor, roles: [supervisor], token: %s}
                    - {name: ops, roles: [admin], token: %s}
                crm:
                  pin-hash: {memory: 1024, iterations: 1, parallelism: 1}
                outbound:
                  enabled: true
                  poll-interval: 200ms
                  campaigns:
                    - {name: renewal, segment: two, flow: contract-renewal, reason: contract-renewal, mode: preview,
                       queue: support, caller-id: '"Example Ltd" <+3619990000>', max-concurrent: 5,
                       days: [monday, tuesday, wednesday, thursday, friday, saturday, sunday], from: "00:00", until: "23:59",
                       callee-local-time: false, time-zone: UTC%s}
                """.formatted(SUPERVISOR, ADMIN, campaignExtras));
        IvrConfig config = TestConfigs.server(Files.createDirectories(dir.resolve("data")), yaml, Map.of(
                "IVR_AMI_ENABLED", "true", "IVR_AMI_PORT", Integer.toString(ami.port()),
                "IVR_AMI_SECRET", "manager-secret-for-tests", "IVR_FLOWS_WATCH", "false"));
        server = IvrServer.start(config);
        assertThat(server.database().awaitReady(Duration.ofSeconds(60))).isTrue();
        CustomerImport.Report r = SampleCustomers.importInto(server);
        assertThat(r.rejected()).isEmpty();
        desk = new DeskClient(server.httpPort());
        admin = ADMIN;
        desk.createUser(admin, new JsonObject().put("id", "tina").put("name", "Tina Agent").put("password", PASSWORD)
                .put("roles", new JsonArray().add("agent")).put("endpoint", "PJSIP/3002")
                .put("skills", new JsonObject().put("technical", 3)));
        desk.createUser(admin, new JsonObject().put("id", "bob").put("name", "Bob Agent").put("password", PASSWORD)
                .put("roles", new JsonArray().add("agent")).put("endpoint", "PJSIP/3003")
                .put("skills", new JsonObject().put("billing", 3)));
        DeskClient.Reply seg = desk.send("PUT", "/api/segments/two", SUPERVISOR,
                new JsonObject().put("expression", "customer.id in [\"C1001\", \"C1002\"]"));
        assertThat(seg.status()).as(seg.body()).isEqualTo(200);
        ami.originateOutcomes(x -> FakeAmi.OriginateOutcome.ANSWERED);
    }

    public DeskClient.Reply startCampaign() {
        return desk.post("/api/campaigns/renewal/start", SUPERVISOR, null);
    }

    /** The campaign's attempts in order: customer, attempt, agent, decision, result, ended. */
    public List<Map<String, Object>> attempts() throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = server.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select customer_id, attempt_no, agent_id, preview_decision, result,"
                     + " ended_at, call_id from campaign_attempts where campaign = 'renewal' order by id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("customer", rs.getString(1));
                m.put("attempt", rs.getInt(2));
                m.put("agent", rs.getString(3));
                m.put("decision", rs.getString(4));
                m.put("result", rs.getString(5));
                m.put("ended", rs.getObject(6) != null);
                m.put("callId", rs.getString(7));
                out.add(m);
            }
        }
        return out;
    }

    /** A contact's state and last result. */
    public String contact(String customer) throws Exception {
        try (Connection c = server.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select state, last_result from campaign_contacts where campaign = 'renewal'"
                     + " and customer_id = ?")) {
            ps.setString(1, customer);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) + "/" + rs.getString(2) : "absent";
            }
        }
    }

    @Override
    public void close() throws java.io.IOException {
        server.stop();
        ami.close();
    }
}
