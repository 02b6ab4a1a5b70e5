package dev.ivr.server.desk;

import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpRoutes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.Map;

/**
 * A test double of the CRM store's HTTP API (branch crm: {@code GET /api/customers/{id}} and
 * {@code GET /api/customers/{id}/interactions}, same JSON), serving fixed customers and contact
 * histories, so the desktop's contact history can be tested before the CRM store is merged.
 */
final class CrmRoutesDouble implements HttpRoutes {
    private final Map<String, JsonObject> customers;
    private final Map<String, JsonArray> histories;

    CrmRoutesDouble(Map<String, JsonObject> customers, Map<String, JsonArray> histories) {
        this.customers = customers;
        this.histories = histories;
    }

    @Override
    public void mount(Router router, Auth auth) {
        router.get("/api/customers/:id").handler(auth.require("agent", "supervisor")).handler(ctx -> {
            JsonObject c = customers.get(ctx.pathParam("id"));
            if (c == null) {
                ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json").end("{\"error\":\"no customer\"}");
                return;
            }
            ctx.response().putHeader("Content-Type", "application/json").end(c.encode());
        });
        router.get("/api/customers/:id/interactions").handler(auth.require("agent", "supervisor")).handler(ctx -> {
            String id = ctx.pathParam("id");
            if (!customers.containsKey(id)) {
                ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json").end("{\"error\":\"no customer\"}");
                return;
            }
            JsonObject page = new JsonObject().put("customerId", id).put("limit", 10).put("offset", 0)
                    .put("items", histories.getOrDefault(id, new JsonArray())).putNull("next");
            ctx.response().putHeader("Content-Type", "application/json").end(page.encode());
        });
    }

    static JsonObject interaction(String callId, String start, String outcome, String queue, String agent, double wait, double talk) {
        return new JsonObject().put("callId", callId).put("ani", "+3612345678").put("dnis", "1000").put("flow", "customer-service")
                .put("start", start).put("end", start).put("path", new JsonArray().add("main-menu"))
                .put("inputs", new JsonObject()).put("customerId", "C-1001").put("queue", queue).put("agentId", agent)
                .put("waitSeconds", wait).put("talkSeconds", talk).put("outcome", outcome).put("node", "ivr-1");
    }
}
