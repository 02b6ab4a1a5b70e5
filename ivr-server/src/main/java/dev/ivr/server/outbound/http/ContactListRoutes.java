package dev.ivr.server.outbound.http;

import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpErrors;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.config.CampaignConfig;
import dev.ivr.server.config.OutboundConfig;
import dev.ivr.server.crm.phone.PhoneNumbers;
import dev.ivr.server.outbound.CampaignStore;
import dev.ivr.server.outbound.ContactCsv;
import dev.ivr.server.outbound.ContactImport;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A campaign's contact list and attempts over HTTP (role supervisor; admin always):
 * <ul>
 *   <li>{@code POST /api/campaigns/{name}/contacts}: a CSV body ({@code text/csv}) whose rows become the
 *       campaign's contacts, all or nothing ({@link ContactImport})</li>
 *   <li>{@code GET /api/campaigns/{name}/attempts?customer=&limit=}: the attempts, newest first, with dial result,
 *       AMD result and cause, and the flow's outcome</li>
 * </ul>
 */
public final class ContactListRoutes implements HttpRoutes {
    private final OutboundConfig config;
    private final CampaignStore store;
    private final ContactImport imports;
    private final PhoneNumbers phones;
    private final Clock clock;

    public ContactListRoutes(OutboundConfig config, CampaignStore store, ContactImport imports, PhoneNumbers phones, Clock clock) {
        this.config = config;
        this.store = store;
        this.imports = imports;
        this.phones = phones;
        this.clock = clock;
    }

    @Override
    public void mount(Router router, Auth auth) {
        Handler<RoutingContext> supervisors = auth.require("supervisor");
        router.post("/api/campaigns/:name/contacts").handler(supervisors);
        router.post("/api/campaigns/:name/contacts").blockingHandler(Handlers.guarded(this::importList), false);
        router.get("/api/campaigns/:name/attempts").handler(supervisors);
        router.get("/api/campaigns/:name/attempts").blockingHandler(Handlers.guarded(this::attempts), false);
    }

    private CampaignConfig campaign(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        return config.campaigns().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new HttpErrors.HttpError(404, "no campaign '" + name + "' in outbound.campaigns"
                        + dev.ivr.server.text.DidYouMean.suffix(name, config.campaigns().stream().map(CampaignConfig::name).toList())));
    }

    private void importList(RoutingContext ctx) throws SQLException {
        CampaignConfig c = campaign(ctx);
        String type = ctx.request().getHeader("Content-Type");
        if (type == null || !(type.startsWith("text/csv") || type.startsWith("text/plain"))) {
            throw new HttpErrors.HttpError(415, "send the list as text/csv (a header: customer and/or phone; one contact a line)");
        }
        String text = ctx.body().buffer() == null ? "" : ctx.body().buffer().toString(StandardCharsets.UTF_8);
        try {
            ContactImport.Report r = imports.run(c.name(), ContactCsv.parse(text, phones), clock.instant());
            Handlers.json(ctx, 200, new JsonObject().put("campaign", c.name()).put("rows", r.rows()).put("added", r.added())
                    .put("alreadyInCampaign", r.alreadyInCampaign()).put("duplicates", r.duplicates()));
        } catch (ContactImport.Rejected e) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String p : e.problems()) { // "line 3: why" -> fields["line 3"] = why
                int colon = p.indexOf(": ");
                if (p.startsWith("line ") && colon > 0) {
                    fields.put(p.substring(0, colon), p.substring(colon + 2));
                } else {
                    fields.merge("body", p, (a, b) -> a + "; " + b);
                }
            }
            HttpErrors.send(ctx, 400, "the list has bad rows; nothing was imported", fields);
        }
    }

    private void attempts(RoutingContext ctx) throws SQLException {
        CampaignConfig c = campaign(ctx);
        String customer = ctx.request().getParam("customer");
        int limit = Handlers.limit(ctx, 100, 1000);
        JsonArray out = new JsonArray();
        List<CampaignStore.Attempt> list = store.recentAttempts(c.name(), customer == null || customer.isBlank() ? null : customer, limit);
        for (CampaignStore.Attempt a : list) {
            out.add(new JsonObject().put("customer", a.customerId()).put("attempt", a.attemptNo()).put("phone", a.phone())
                    .put("node", a.node()).put("startedAt", text(a.startedAt())).put("endedAt", text(a.endedAt()))
                    .put("result", a.result()).put("callId", a.callId()).put("amd", a.amd()).put("amdCause", a.amdCause())
                    .put("flowOutcome", a.flowOutcome()));
        }
        Handlers.json(ctx, 200, new JsonObject().put("campaign", c.name()).put("attempts", out));
    }

    private static String text(java.time.Instant t) {
        return t == null ? null : t.toString();
    }
}
