package dev.ivr.server.outbound;

import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.routing.AgentState;
import dev.ivr.server.desk.DeskClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Preview mode end to end in a whole server (H2, routing, the agent desktop's REST API and WebSocket, a fake AMI, the
 * fake PBX for the dialplan's report): routing reserves the campaign's agent, who sees the customer before anything
 * is dialled; a skip gives the agent back at once and the contact its next attempt; an accept rings the agent's phone
 * first (the customer's number for the dialplan in the Originate's variables), the dialplan's report records how the
 * customer answered, the call ends in wrap-up with the customer's history; a preview nobody decides times out
 * (auto-skip). Every step is asserted from the attempt records.
 */
@Tag("integration")
class PreviewDialingIT {
    static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void theAgentSeesTheCustomerFirstSkipsOneAcceptsTheNextAndATimedOutPreviewIsSkipped() throws Exception {
        try (PreviewServer s = new PreviewServer(dir, ", max-attempts: 2, preview-timeout: 5s, retry-after: {skipped: 1s}")) {
            DeskClient desk = s.desk;
            String tina = desk.login("tina", PreviewServer.PASSWORD);
            String bob = desk.login("bob", PreviewServer.PASSWORD);
            assertThat(desk.post("/api/agents/tina/login", tina, new JsonObject().put("skills", new JsonArray().add("technical")))
                    .status()).isEqualTo(200);
            try (DeskClient.Live live = desk.live(tina)) {
                assertThat(desk.post("/api/agents/tina/ready", tina, null).status()).isEqualTo(200);
                assertThat(s.startCampaign().status()).isEqualTo(200);

                // 1. the first customer on the desktop, nothing dialled, the agent reserved, one preview at a time
                JsonObject first = live.await(m -> "offered".equals(m.getString("type")));
                JsonObject ctx = first.getJsonObject("context");
                assertThat(ctx.getString("customerId")).isEqualTo("C1001");
                assertThat(ctx.getString("customerName")).isEqualTo("Anna Kovács");
                assertThat(ctx.getString("intent")).isEqualTo("contract-renewal");
                assertThat(ctx.getJsonObject("fields").getMap()).containsEntry("campaign", "renewal")
                        .containsEntry("reason", "contract-renewal").containsEntry("attempt", "1")
                        .containsEntry("phone", "+3612345678").containsKey("preview-until");
                assertThat(ctx.getJsonObject("attributes").getMap()).containsEntry("segment", "retail");
                assertThat(s.server.routing().service().agent("tina").orElseThrow().state()).isEqualTo(AgentState.RESERVED);
                DeskClient.Reply current = desk.get("/api/agents/tina/preview", tina);
                assertThat(current.status()).isEqualTo(200);
                assertThat(current.json().getString("customer")).isEqualTo("C1001");
                assertThat(s.ami.originated()).as("nothing is dialled before the agent accepts").isEmpty();
                assertThat(s.attempts()).as("one preview per agent: C1002 waits").hasSize(1);
                assertThat(s.contact("C1002")).startsWith("pending");

                // roles: another agent can neither see nor decide tina's preview
                assertThat(desk.post("/api/agents/tina/preview/skip", bob, null).status()).isEqualTo(403);
                assertThat(desk.get("/api/agents/bob/preview", bob).status()).isEqualTo(404);
                assertThat(desk.get("/api/agents/tina/preview", PreviewServer.SUPERVISOR).status()).isEqualTo(403);

                // 2. skip: the agent is ready again, the attempt says skipped, the contact comes back after retry-after
                DeskClient.Reply skip = desk.post("/api/agents/tina/preview/skip", tina, null);
                assertThat(skip.status()).as(skip.body()).isEqualTo(200);
                assertThat(desk.post("/api/agents/tina/preview/accept", tina, null).status())
                        .as("decided already").isIn(404, 409);
                live.await(m -> "ended".equals(m.getString("type")) && first.getString("callId").equals(m.getString("callId")));
                JsonObject second = live.await(m -> "offered".equals(m.getString("type"))
                        && "C1002".equals(m.getJsonObject("context").getString("customerId")));
                assertThat(s.attempts().get(0)).containsEntry("customer", "C1001").containsEntry("agent", "tina")
                        .containsEntry("decision", "skipped").containsEntry("result", "skipped").containsEntry("ended", true);
                assertThat(s.ami.originated()).isEmpty();

                // 3. accept: the agent's phone rings first, the dialplan dials the customer
                assertThat(desk.post("/api/agents/tina/preview/accept", tina, null).status()).isEqualTo(200);
                await().atMost(T).until(() -> s.ami.originated().size() == 1);
                FakeAmi.Originated o = s.ami.originated().get(0);
                assertThat(o.action()).containsEntry("Channel", "PJSIP/3002").containsEntry("Context", "ivr-outbound")
                        .containsEntry("Exten", "preview");
                assertThat(o.variables()).containsEntry("IVR_PREVIEW_DIAL", "PJSIP/+3612345679@trunk")
                        .containsEntry("IVR_CAMPAIGN", "renewal").containsEntry("IVR_CUSTOMER", "C1002")
                        .containsEntry("IVR_MODE", "preview").containsEntry("IVR_AGENT_ID", "tina")
                        .containsEntry("IVR_PREVIEW_CALLER_ID", "\"Example Ltd\" <+3619990000>")
                        .containsKey("IVR_CONTEXT");
                String callId = second.getString("callId");
                live.await(m -> "connected".equals(m.getString("type")) && callId.equals(m.getString("callId")));
                assertThat(s.server.routing().service().agent("tina").orElseThrow().state()).isEqualTo(AgentState.ON_CALL);

                // the dialplan's hangup handler reports how the customer answered; a forged report changes nothing
                FakePbx pbx = new FakePbx("127.0.0.1", s.server.agiPort());
                pbx.call("campaign-preview-result").variable("IVR_CONTEXT", callId + ";sig=forged")
                        .variable("DIALSTATUS", "BUSY").run(T);
                pbx.call("campaign-preview-result").variable("IVR_CONTEXT", o.variables().get("IVR_CONTEXT"))
                        .variable("DIALSTATUS", "ANSWER").run(T);
                s.ami.hangup(o.channel(), o.uniqueId());
                await().atMost(T).until(() -> s.attempts().size() >= 2 && (boolean) s.attempts().get(1).get("ended"));
                assertThat(s.attempts().get(1)).containsEntry("customer", "C1002").containsEntry("decision", "accepted")
                        .containsEntry("result", "answered").containsEntry("agent", "tina").containsEntry("callId", callId);
                assertThat(s.contact("C1002")).isEqualTo("done/answered");
                await().atMost(T).until(() -> s.server.routing().service().agent("tina").orElseThrow().state()
                        == AgentState.WRAP_UP);
                // the store's writer commits the call's interaction within its linger (200 ms)
                await().atMost(T).until(() -> desk.get("/api/customers/C1002/interactions?limit=5", tina).json()
                        .getJsonArray("items").stream().map(JsonObject.class::cast).anyMatch(i -> callId.equals(i.getString("callId"))));
                JsonObject history = desk.get("/api/customers/C1002/interactions?limit=5", tina).json();
                assertThat(history.getJsonArray("items").stream().map(JsonObject.class::cast)
                        .filter(i -> callId.equals(i.getString("callId"))).findFirst().orElseThrow().getMap())
                        .containsEntry("agentId", "tina").containsEntry("outcome", "ROUTED").containsEntry("queue", "support");

                // 4. C1001's second attempt: nobody decides, the preview times out and is skipped
                assertThat(desk.post("/api/agents/tina/wrap-up-done", tina, null).status()).isEqualTo(200);
                live.await(m -> "offered".equals(m.getString("type"))
                        && "C1001".equals(m.getJsonObject("context").getString("customerId"))
                        && "2".equals(m.getJsonObject("context").getJsonObject("fields").getString("attempt")));
                await().atMost(T).until(() -> s.contact("C1001").startsWith("failed"));
                List<Map<String, Object>> all = s.attempts();
                assertThat(all).hasSize(3);
                assertThat(all.get(2)).containsEntry("customer", "C1001").containsEntry("attempt", 2)
                        .containsEntry("decision", "timeout-skipped").containsEntry("result", "skipped");
                await().atMost(T).until(() -> s.server.routing().service().agent("tina").orElseThrow().state()
                        == AgentState.READY);
                assertThat(s.ami.originated()).as("only the accepted customer was dialled").hasSize(1);
                JsonObject progress = desk.get("/api/campaigns/renewal", PreviewServer.SUPERVISOR).json();
                assertThat(progress.getJsonObject("attempts").getMap()).containsEntry("skipped", 2).containsEntry("answered", 1);
            }
        }
    }
}
