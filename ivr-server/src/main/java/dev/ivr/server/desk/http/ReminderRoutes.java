package dev.ivr.server.desk.http;

import dev.ivr.routing.RoutingService;
import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.config.CampaignConfig;
import dev.ivr.server.config.OutboundConfig;
import dev.ivr.server.outbound.Arming;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;

import static dev.ivr.server.desk.http.DeskRoutes.guarded;
import static dev.ivr.server.desk.http.DeskRoutes.printable;
import static dev.ivr.server.desk.http.Replies.body;
import static dev.ivr.server.desk.http.Replies.error;
import static dev.ivr.server.desk.http.Replies.ok;

/**
 * Reminders booked from the agent desktop, for the customer on screen:
 * <ul>
 *   <li>{@code GET /api/desk/reminder-campaigns}: the campaigns a reminder may name (signed-in agents)</li>
 *   <li>{@code POST /api/agents/{id}/calls/{callId}/reminder}: {@code {"campaign", "at"}} (ISO time with its
 *       offset): the campaign calls the call's identified customer then, as {@code POST /api/reminders} does</li>
 * </ul>
 * An agent may book only for the customer of a call offered to them (the call's context names them) or that
 * they hold; the customer comes from the call, never from the request. Admin may act for any agent.
 */
public final class ReminderRoutes implements HttpRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ReminderRoutes.class);

    private final RoutingService routing;
    private final CallContexts contexts;
    private final OutboundConfig config;
    private final Arming arming;
    private final Clock clock;

    public ReminderRoutes(RoutingService routing, CallContexts contexts, OutboundConfig config, Arming arming, Clock clock) {
        this.routing = routing;
        this.contexts = contexts;
        this.config = config;
        this.arming = arming;
        this.clock = clock;
    }

    @Override
    public void mount(Router router, Auth auth) {
        Handler<RoutingContext> agent = auth.require("agent");
        router.get("/api/desk/reminder-campaigns").handler(agent).handler(ctx -> {
            JsonArray names = new JsonArray();
            config.campaigns().forEach(c -> names.add(new JsonObject().put("name", c.name()).put("reason", c.reason())));
            ok(ctx, new JsonObject().put("campaigns", names));
        });
        router.post("/api/agents/:id/calls/:callId/reminder").handler(agent).handler(DeskRoutes.self(false))
                .blockingHandler(guarded(this::book), false);
    }

    private void book(RoutingContext ctx) {
        JsonObject b = body(ctx);
        if (b == null) {
            return;
        }
        String agentId = ctx.pathParam("id");
        String callId = ctx.pathParam("callId");
        Optional<CallContext> context = contexts.get(callId);
        boolean theirs = context.map(c -> agentId.equals(c.agentId())).orElse(false)
                || routing.agent(agentId).map(a -> callId.equals(a.callId())).orElse(false);
        if (!theirs) {
            error(ctx, 404, "call '" + printable(callId) + "' was not offered to you (or its context has expired)");
            return;
        }
        String customer = context.map(CallContext::customerId).orElse(null);
        if (customer == null || customer.isBlank()) {
            error(ctx, 409, "the caller of this call was not identified: no customer to remind");
            return;
        }
        if (!(b.getValue("campaign") instanceof String name) || !(b.getValue("at") instanceof String atText)) {
            error(ctx, 400, "campaign and at must be strings");
            return;
        }
        Optional<CampaignConfig> campaign = config.campaigns().stream().filter(c -> c.name().equals(name)).findFirst();
        if (campaign.isEmpty()) {
            error(ctx, 400, "no campaign '" + printable(name) + "' in outbound.campaigns");
            return;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(atText).toInstant();
        } catch (DateTimeException e) {
            error(ctx, 400, "at: a date and time with its offset, e.g. 2027-03-01T10:00:00+01:00");
            return;
        }
        Instant now = clock.instant();
        if (at.isBefore(now.minus(Duration.ofMinutes(5))) || at.isAfter(now.plus(Duration.ofDays(366)))) {
            error(ctx, 400, "at: must be from now to a year ahead");
            return;
        }
        Arming.Result r;
        try {
            r = arming.arm(campaign.get().name(), customer, null, at, now);
        } catch (SQLException e) {
            LOG.warn("reminder for call {} not booked: {}", printable(callId), e.toString());
            error(ctx, 503, "the database is not available; try again");
            return;
        }
        switch (r) {
            case NO_NUMBER -> error(ctx, 409, "the customer has no phone number");
            case BUSY -> error(ctx, 409, "the customer is being called by campaign " + name + " now; try again later");
            case NO_CUSTOMER -> error(ctx, 409, "the customer is not in the CRM");
            default -> {
                LOG.info("agent {} booked a reminder: campaign {}, customer {} at {}", agentId, name, customer, at);
                ok(ctx, new JsonObject().put("campaign", name).put("customer", customer).put("at", at.toString())
                        .put("result", r.name().toLowerCase(Locale.ROOT)));
            }
        }
    }
}
