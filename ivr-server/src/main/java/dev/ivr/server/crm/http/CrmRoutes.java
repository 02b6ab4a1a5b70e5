package dev.ivr.server.crm.http;

import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpErrors;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.crm.CampaignCalls;
import dev.ivr.server.crm.CrmQueries;
import dev.ivr.server.crm.CrmUnavailableException;
import dev.ivr.server.crm.Customer;
import dev.ivr.server.crm.CustomerProfile;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.crm.TransferLog;
import dev.ivr.server.crm.WrapUp;
import dev.ivr.server.crm.WrapUps;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The CRM store's HTTP API, for the agent desktop and tools (roles agent, supervisor, admin):
 * <ul>
 *   <li>{@code GET /api/customers?phone=NUMBER}: customers with this number</li>
 *   <li>{@code GET /api/customers/{id}}: a customer with numbers and accounts (never PINs)</li>
 *   <li>{@code GET /api/customers/{id}/interactions?limit=20&offset=0}: contact history, newest first</li>
 *   <li>{@code GET /api/interactions/{callId}}: one call's record</li>
 * </ul>
 * Each call carries {@code wrapUps}: the dispositions and notes agents saved for it, and a call a
 * campaign placed its {@code campaign}: name, attempt, dial result, AMD status and cause.
 * <ul>
 * </ul>
 * 401 without a valid token, 403 without the role, 404 for an unknown id, 503 while the
 * database is down. Database work runs on worker threads, never on the event loop.
 */
public final class CrmRoutes implements HttpRoutes {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 200;

    private final CrmQueries crm;
    private final WrapUps wrapUps;
    private final TransferLog transfers;
    private final CampaignCalls campaignCalls;

    /**
     * @param wrapUps   agents' wrap-ups, shown with each call ({@code wrapUps}: code and note per agent)
     * @param transfers agents' transfers, shown with each call ({@code transfers})
     */
    public CrmRoutes(CrmQueries crm, WrapUps wrapUps, TransferLog transfers) {
        this(crm, wrapUps, transfers, CampaignCalls.NONE);
    }

    /** @param campaignCalls the campaign attempts behind calls, shown with each call ({@code campaign}) */
    public CrmRoutes(CrmQueries crm, WrapUps wrapUps, TransferLog transfers, CampaignCalls campaignCalls) {
        this.crm = crm;
        this.wrapUps = wrapUps;
        this.transfers = transfers;
        this.campaignCalls = campaignCalls;
    }

    @Override
    public void mount(Router router, Auth auth) {
        Handler<RoutingContext> readers = auth.require("agent", "supervisor");
        router.get("/api/customers").handler(readers);
        router.get("/api/customers").blockingHandler(guarded(this::byPhone), false);
        router.get("/api/customers/:id").handler(readers);
        router.get("/api/customers/:id").blockingHandler(guarded(this::customer), false);
        router.get("/api/customers/:id/interactions").handler(readers);
        router.get("/api/customers/:id/interactions").blockingHandler(guarded(this::history), false);
        router.get("/api/interactions/:callId").handler(readers);
        router.get("/api/interactions/:callId").blockingHandler(guarded(this::interaction), false);
    }

    private void byPhone(RoutingContext ctx) {
        String phone = ctx.request().getParam("phone");
        if (phone == null || phone.isBlank()) {
            error(ctx, 400, "give ?phone=NUMBER");
            return;
        }
        JsonArray list = new JsonArray();
        crm.findByPhone(phone).forEach(c -> list.add(customerJson(c)));
        ok(ctx, new JsonObject().put("customers", list));
    }

    private void customer(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        crm.profile(id).ifPresentOrElse(p -> ok(ctx, profileJson(p)), () -> error(ctx, 404, "no customer '" + id + "'"));
    }

    private void history(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        List<String> problems = new java.util.ArrayList<>();
        Integer limit = intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, problems);
        Integer offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE, problems);
        if (!problems.isEmpty()) { // one answer for every bad parameter
            error(ctx, 400, String.join("; ", problems));
            return;
        }
        if (crm.profile(id).isEmpty()) {
            error(ctx, 404, "no customer '" + id + "'");
            return;
        }
        List<Interaction> page = crm.history(id, limit + 1, offset);
        JsonArray items = new JsonArray();
        List<Interaction> shown = page.stream().limit(limit).toList();
        List<String> ids = shown.stream().map(Interaction::callId).toList();
        Map<String, List<WrapUp>> notes = wrapUps.forCalls(ids);
        Map<String, List<TransferLog.Entry>> moves = transfers.forCalls(ids);
        Map<String, CampaignCalls.Call> placed = campaignCalls.forCalls(ids);
        shown.forEach(i -> items.add(withCampaign(withTransfers(withWrapUps(interactionJson(i),
                notes.getOrDefault(i.callId(), List.of())), moves.getOrDefault(i.callId(), List.of())), placed.get(i.callId()))));
        JsonObject body = new JsonObject().put("customerId", id).put("limit", limit).put("offset", offset).put("items", items);
        body.put("next", page.size() > limit
                ? "/api/customers/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20")
                + "/interactions?limit=" + limit + "&offset=" + (offset + limit)
                : null);
        ok(ctx, body);
    }

    private void interaction(RoutingContext ctx) {
        String callId = ctx.pathParam("callId");
        crm.interaction(callId).ifPresentOrElse(i -> ok(ctx, withCampaign(withTransfers(withWrapUps(interactionJson(i),
                        wrapUps.forCalls(List.of(callId)).getOrDefault(callId, List.of())),
                        transfers.forCalls(List.of(callId)).getOrDefault(callId, List.of())),
                        campaignCalls.forCalls(List.of(callId)).get(callId))),
                () -> error(ctx, 404, "no interaction for call '" + callId + "'"));
    }

    /** The handler, with the database being down answered 503 (shared by the CRM package's routes). */
    static Handler<RoutingContext> guarded(Handler<RoutingContext> h) {
        return HttpErrors.guarded(h, e -> e instanceof CrmUnavailableException
                ? new HttpErrors.HttpError(503, "the customer database is unavailable; try again shortly") : null);
    }

    /** The parameter's value, its default when absent, or null with a line added to {@code problems}. */
    private static Integer intParam(RoutingContext ctx, String name, int dflt, int min, int max, List<String> problems) {
        String v = ctx.request().getParam(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(name + " must be a whole number from " + min + " to " + max + " (got '" + v + "')");
        return null;
    }

    private static void ok(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(body.encodePrettily());
    }

    private static void error(RoutingContext ctx, int status, String message) {
        HttpErrors.send(ctx, status, message);
    }

    // ---------------------------------------------------------------- JSON forms

    public static JsonObject customerJson(Customer c) {
        JsonObject attrs = new JsonObject();
        c.attributes().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> attrs.put(e.getKey(), e.getValue()));
        return new JsonObject().put("id", c.id()).put("firstName", c.firstName()).put("lastName", c.lastName())
                .put("name", c.name()).put("language", c.language()).put("tier", c.tier()).put("attributes", attrs);
    }

    public static JsonObject profileJson(CustomerProfile p) {
        JsonArray accounts = new JsonArray();
        for (CustomerProfile.Account a : p.accounts()) {
            accounts.add(new JsonObject().put("number", a.number()).put("status", a.status()).put("hasPin", a.hasPin())
                    .put("lockedUntil", text(a.lockedUntil())));
        }
        return customerJson(p.customer()).put("phones", new JsonArray(p.phones())).put("accounts", accounts);
    }

    public static JsonObject interactionJson(Interaction i) {
        JsonObject inputs = new JsonObject();
        i.inputs().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> inputs.put(e.getKey(), e.getValue()));
        return new JsonObject().put("callId", i.callId()).put("ani", i.ani()).put("dnis", i.dnis()).put("flow", i.flow())
                .put("flowVersion", i.flowVersion()).put("start", text(i.start())).put("end", text(i.end()))
                .put("path", new JsonArray(i.path())).put("inputs", inputs).put("customerId", i.customerId())
                .put("authOutcome", i.authOutcome()).put("queue", i.queue()).put("agentId", i.agentId())
                .put("waitSeconds", seconds(i.waitTime())).put("talkSeconds", seconds(i.talkTime()))
                .put("outcome", i.outcome() == null ? null : i.outcome().name()).put("node", i.node());
    }

    /** The agents' wrap-ups of the call, oldest first: code and note as plain text. */
    private static JsonObject withWrapUps(JsonObject interaction, List<WrapUp> list) {
        JsonArray out = new JsonArray();
        list.forEach(w -> out.add(new JsonObject().put("agentId", w.agentId()).put("queue", w.queue())
                .put("code", w.code()).put("note", w.note()).put("savedAt", text(w.savedAt()))));
        return interaction.put("wrapUps", out);
    }

    /** The transfers agents made of the call, oldest first: each leg's agent and where the call went, and why. */
    private static JsonObject withTransfers(JsonObject interaction, List<TransferLog.Entry> list) {
        JsonArray out = new JsonArray();
        list.forEach(t -> out.add(new JsonObject().put("fromAgent", t.fromAgent()).put("fromQueue", t.fromQueue())
                .put("to", t.kind().toLowerCase(java.util.Locale.ROOT)).put("target", t.target()).put("note", t.note())
                .put("at", text(t.at())).put("consult", t.consult())));
        return interaction.put("transfers", out);
    }

    /** A campaign's call: the campaign, the attempt, its dial result and answering machine detection. */
    private static JsonObject withCampaign(JsonObject interaction, CampaignCalls.Call c) {
        if (c == null) {
            return interaction;
        }
        return interaction.put("campaign", new JsonObject().put("name", c.campaign()).put("attempt", c.attempt())
                .put("result", c.result()).put("amd", c.amd()).put("amdCause", c.amdCause()));
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Double seconds(Duration d) {
        return d == null ? null : d.toMillis() / 1000.0;
    }
}
