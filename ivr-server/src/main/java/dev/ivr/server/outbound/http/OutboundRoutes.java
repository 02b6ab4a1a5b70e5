package dev.ivr.server.outbound.http;

import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpErrors;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.config.CampaignConfig;
import dev.ivr.server.config.EventConfig;
import dev.ivr.server.config.OutboundConfig;
import dev.ivr.server.crm.segment.SegmentException;
import dev.ivr.server.outbound.Arming;
import dev.ivr.server.outbound.CampaignProgress;
import dev.ivr.server.outbound.Campaigns;
import dev.ivr.server.outbound.DncList;
import dev.ivr.server.outbound.OutboundEvents;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.sql.SQLException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Campaigns, reminders and events over HTTP (role supervisor; admin always):
 * <ul>
 *   <li>{@code GET /api/campaigns}: the configured campaigns with their progress</li>
 *   <li>{@code GET /api/campaigns/{name}}: progress: status, contacts by state, attempts by result, contact
 *       rate, remaining, estimated finish</li>
 *   <li>{@code POST /api/campaigns/{name}/start|pause|resume|stop}</li>
 *   <li>{@code POST /api/reminders}: {@code {"campaign", "customer" or "phone", "at"}}: one customer called by
 *       the campaign's flow at a given time</li>
 *   <li>{@code POST /api/events}: {@code {"type", "customer" or "phone", "key"}}: the campaign configured for the
 *       type calls the customer; the key de-duplicates</li>
 * </ul>
 */
public final class OutboundRoutes implements HttpRoutes {
    private final OutboundConfig config;
    private final Campaigns campaigns;
    private final CampaignProgress progress;
    private final Arming arming;
    private final OutboundEvents events;
    private final DncList dnc;
    private final Clock clock;

    public OutboundRoutes(OutboundConfig config, Campaigns campaigns, CampaignProgress progress, Arming arming,
                          OutboundEvents events, DncList dnc, Clock clock) {
        this.config = config;
        this.campaigns = campaigns;
        this.progress = progress;
        this.arming = arming;
        this.events = events;
        this.dnc = dnc;
        this.clock = clock;
    }

    @Override
    public void mount(Router router, Auth auth) {
        Handler<RoutingContext> supervisors = auth.require("supervisor");
        router.get("/api/campaigns").handler(supervisors);
        router.get("/api/campaigns").blockingHandler(Handlers.guarded(this::list), false);
        router.get("/api/campaigns/:name").handler(supervisors);
        router.get("/api/campaigns/:name").blockingHandler(Handlers.guarded(this::one), false);
        for (String action : List.of("start", "pause", "resume", "stop")) {
            router.post("/api/campaigns/:name/" + action).handler(supervisors);
            router.post("/api/campaigns/:name/" + action).blockingHandler(Handlers.guarded(ctx -> act(ctx, action)), false);
        }
        router.post("/api/reminders").handler(supervisors);
        router.post("/api/reminders").blockingHandler(Handlers.guarded(this::remind), false);
        router.post("/api/events").handler(supervisors);
        router.post("/api/events").blockingHandler(Handlers.guarded(this::event), false);
    }

    private void list(RoutingContext ctx) throws SQLException {
        JsonArray out = new JsonArray();
        Instant now = clock.instant();
        for (CampaignConfig c : config.campaigns()) {
            out.add(json(c, progress.figures(c.name(), now)));
        }
        Handlers.json(ctx, 200, new JsonObject().put("campaigns", out));
    }

    private CampaignConfig campaign(RoutingContext ctx) {
        try {
            return campaigns.campaign(ctx.pathParam("name"));
        } catch (Campaigns.UnknownCampaign e) {
            throw new HttpErrors.HttpError(404, e.getMessage());
        }
    }

    private void one(RoutingContext ctx) throws SQLException {
        CampaignConfig c = campaign(ctx);
        Handlers.json(ctx, 200, json(c, progress.figures(c.name(), clock.instant())));
    }

    private void act(RoutingContext ctx, String action) throws SQLException {
        CampaignConfig c = campaign(ctx);
        try {
            if ("start".equals(action)) {
                Campaigns.Started s = campaigns.start(c.name());
                JsonObject body = json(c, progress.figures(c.name(), clock.instant()));
                body.put("started", new JsonObject().put("members", s.members()).put("added", s.added())
                        .put("withoutNumber", s.withoutNumber()));
                Handlers.json(ctx, 200, body);
                return;
            }
            String status = switch (action) {
                case "pause" -> "paused";
                case "stop" -> "stopped";
                default -> "running";
            };
            if (!campaigns.set(c.name(), status)) {
                throw new HttpErrors.HttpError(409, "campaign " + c.name() + " was never started (POST /api/campaigns/"
                        + c.name() + "/start)");
            }
            Handlers.json(ctx, 200, json(c, progress.figures(c.name(), clock.instant())));
        } catch (Campaigns.UnknownCampaign e) {
            throw new HttpErrors.HttpError(404, e.getMessage());
        } catch (SegmentException e) {
            throw new HttpErrors.HttpError(409, e.getMessage());
        }
    }

    /** The customer of a reminder or event: {@code customer} (id) or {@code phone} (any format). */
    private String customer(JsonObject body) throws SQLException {
        String id = Handlers.text(body, "customer", false, 64);
        String phone = Handlers.text(body, "phone", false, 64);
        if ((id == null) == (phone == null)) {
            throw new Handlers.BadField("customer", "give the customer's id (customer) or a phone number (phone), one of them");
        }
        if (id != null) {
            if (!arming.customerExists(id)) {
                throw new Handlers.BadField("customer", "no customer '" + id + "'");
            }
            return id;
        }
        String e164;
        try {
            e164 = dnc.normalise(phone);
        } catch (IllegalArgumentException e) {
            throw new Handlers.BadField("phone", e.getMessage());
        }
        String found = arming.customerByPhone(e164);
        if (found == null) {
            throw new Handlers.BadField("phone", "no customer has the number " + e164);
        }
        return found;
    }

    private void remind(RoutingContext ctx) throws SQLException {
        JsonObject body = Handlers.body(ctx);
        String name = Handlers.text(body, "campaign", true, 64);
        CampaignConfig c = config.campaigns().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new Handlers.BadField("campaign", "no campaign '" + name + "' in outbound.campaigns"
                        + dev.ivr.server.text.DidYouMean.suffix(name, config.campaigns().stream().map(CampaignConfig::name).toList())));
        String at = Handlers.text(body, "at", true, 64);
        Instant when;
        try {
            when = OffsetDateTime.parse(at).toInstant();
        } catch (DateTimeException e) {
            throw new Handlers.BadField("at", "a date and time with its offset, e.g. 2027-03-01T10:00:00+01:00 (got '" + at + "')");
        }
        Instant now = clock.instant();
        if (when.isBefore(now.minus(Duration.ofMinutes(5))) || when.isAfter(now.plus(Duration.ofDays(366)))) {
            throw new Handlers.BadField("at", "must be from now to a year ahead");
        }
        String customer = customer(body);
        Arming.Result r = arming.arm(c.name(), customer, null, when, now);
        switch (r) {
            case NO_NUMBER -> throw new Handlers.BadField("customer", "customer " + customer + " has no phone number");
            case BUSY -> throw new HttpErrors.HttpError(409, "customer " + customer + " is being called by campaign " + c.name()
                    + " now; try again when the call is over");
            default -> Handlers.json(ctx, 201, new JsonObject().put("campaign", c.name()).put("customer", customer)
                    .put("at", when.toString()).put("result", r.name().toLowerCase(java.util.Locale.ROOT)));
        }
    }

    private void event(RoutingContext ctx) throws SQLException {
        JsonObject body = Handlers.body(ctx);
        String type = Handlers.text(body, "type", true, 64);
        EventConfig e = config.event(type).orElseThrow(() -> new Handlers.BadField("type", "no event type '" + type
                + "' in outbound.events" + dev.ivr.server.text.DidYouMean.suffix(type,
                config.events().stream().map(EventConfig::type).toList())));
        String key = Handlers.text(body, "key", true, 128);
        if (!key.matches("[\\x21-\\x7e]{1,128}")) {
            throw new Handlers.BadField("key", "1-128 visible ASCII characters (an idempotency key such as the event's id)");
        }
        var seen = events.find(key);
        if (seen.isPresent()) { // before looking at the customer: a retry is answered as the first, even if the customer changed
            Handlers.json(ctx, 200, json(seen.get()));
            return;
        }
        String customer = customer(body);
        OutboundEvents.Outcome o = events.receive(key, e, customer, clock.instant());
        Handlers.json(ctx, o.duplicate() ? 200 : 202, json(o));
    }

    private static JsonObject json(OutboundEvents.Outcome o) {
        return new JsonObject().put("key", o.key()).put("type", o.type()).put("customer", o.customerId())
                .put("campaign", o.campaign()).put("dueAt", o.dueAt() == null ? null : o.dueAt().toString())
                .put("result", o.result()).put("duplicate", o.duplicate());
    }

    static JsonObject json(CampaignConfig c, CampaignProgress.Figures f) {
        JsonObject o = new JsonObject().put("name", c.name()).put("segment", c.segment()).put("flow", c.flow())
                .put("reason", c.reason()).put("maxConcurrent", c.effectiveMaxConcurrent()).put("mode", c.effectiveMode())
                .put("queue", c.queue());
        if (f == null) {
            return o.put("status", "not-started");
        }
        JsonObject contacts = new JsonObject();
        f.contacts().forEach(contacts::put);
        JsonObject attempts = new JsonObject();
        f.attempts().forEach(attempts::put);
        return o.put("status", f.status()).put("contacts", contacts).put("attempts", attempts).put("total", f.total())
                .put("remaining", f.remaining()).put("contactRate", f.contactRate())
                .put("contactsPerHour", f.contactsPerHour())
                .put("estimatedFinish", f.estimatedFinish() == null ? null : f.estimatedFinish().toString())
                .put("abandonRate", f.abandonRate());
    }
}
