package dev.ivr.server.recording.http;

import dev.ivr.routing.Agent;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.api.Auth;
import dev.ivr.server.api.ClientAddress;
import dev.ivr.server.api.HttpErrors;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.api.Principal;
import dev.ivr.server.crm.CrmUnavailableException;
import dev.ivr.server.recording.Recording;
import dev.ivr.server.recording.store.JdbcRecordings;
import dev.ivr.server.recording.store.Recordings;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Call recordings over HTTP (documented in {@code openapi.yaml}):
 * <ul>
 *   <li>{@code GET /api/calls/{callId}/recordings}: the call's recordings (the interaction's link; any signed-in
 *       user)</li>
 *   <li>{@code GET /api/recordings/{id}/audio}: the audio (decrypted), {@code ?download=true} as an attachment</li>
 *   <li>{@code GET /api/recordings/{id}/access-log}: who listened, when, from where</li>
 *   <li>{@code POST /api/agents/{id}/recording}: {@code {"action": "start"|"stop"}} on the agent's call (queues with
 *       policy on-demand)</li>
 * </ul>
 * Only the roles of {@code recording.access-roles} (and admin) hear recordings and read their access log; every playback and
 * download, and every refusal, is written to {@code recording_access} with the user, the time and the address.
 */
public final class RecordingRoutes implements HttpRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingRoutes.class);
    private static final String[] SIGNED_IN = {"agent", "supervisor", "monitor"};

    private final Recordings recordings;
    private final JdbcRecordings store;
    private final RoutingService routing;
    private final Set<String> accessRoles;
    private final Clock clock;

    /** @param routing the agents (on-demand recording); null when routing is off */
    public RecordingRoutes(Recordings recordings, RoutingService routing, Clock clock) {
        this.recordings = recordings;
        this.store = recordings.store();
        this.routing = routing;
        this.accessRoles = Set.copyOf(recordings.accessRoles());
        this.clock = clock;
    }

    @Override
    public void mount(Router router, Auth auth) {
        Handler<RoutingContext> signedIn = auth.require(SIGNED_IN);
        router.get("/api/calls/:callId/recordings").handler(signedIn).blockingHandler(guarded(this::list), false);
        router.get("/api/recordings/:id/audio").handler(signedIn).blockingHandler(guarded(this::audio), false);
        router.get("/api/recordings/:id/access-log").handler(signedIn).blockingHandler(guarded(this::accessLog), false);
        router.post("/api/agents/:id/recording").handler(auth.require("agent")).blockingHandler(guarded(this::demand),
                false);
    }

    private static Handler<RoutingContext> guarded(Handler<RoutingContext> h) {
        return HttpErrors.guarded(h, e -> e instanceof CrmUnavailableException
                ? new HttpErrors.HttpError(503, "the recordings database is unavailable; try again shortly") : null);
    }

    private boolean mayListen(Principal p) {
        return p.hasAnyRole(accessRoles);
    }

    /** Which recordings a call has is shown to every signed-in user (the history links them); hearing one is not. */
    private void list(RoutingContext ctx) {
        JsonArray items = new JsonArray();
        for (Recording r : store.forCall(ctx.pathParam("callId"))) {
            items.add(json(r));
        }
        ok(ctx, new JsonObject().put("recordings", items));
    }

    static JsonObject json(Recording r) {
        JsonObject o = new JsonObject().put("id", r.id()).put("callId", r.callId()).put("queue", r.queue())
                .put("agentId", r.agentId()).put("reason", r.reason()).put("state", r.state().name().toLowerCase(java.util.Locale.ROOT))
                .put("encrypted", r.encrypted()).put("bytes", r.bytes())
                .put("startedAt", r.startedAt().toString())
                .put("endedAt", r.endedAt() == null ? null : r.endedAt().toString())
                .put("deletedAt", r.deletedAt() == null ? null : r.deletedAt().toString());
        if (r.state() == Recording.State.STORED) {
            o.put("audio", "/api/recordings/" + r.id() + "/audio");
        }
        return o;
    }

    private void audio(RoutingContext ctx) {
        Principal p = ctx.get(Auth.PRINCIPAL);
        String id = ctx.pathParam("id");
        boolean download = "true".equals(ctx.queryParams().get("download"));
        String kind = download ? "download" : "play";
        Optional<Recording> found = id.matches("[0-9a-f]{1,64}") ? store.get(id) : Optional.empty();
        if (found.isEmpty()) {
            HttpErrors.send(ctx, 404, "no such recording");
            return;
        }
        Recording r = found.get();
        boolean allowed = mayListen(p);
        log(ctx, p, r, kind, allowed);
        if (!allowed) {
            LOG.info("recording {}: {} refused to {} (roles {})", r.id(), kind, p.name(), new TreeSet<>(p.roles()));
            HttpErrors.send(ctx, 403, "your role may not hear recordings");
            return;
        }
        if (r.state() != Recording.State.STORED) {
            HttpErrors.send(ctx, 409, "the recording is " + r.state().name().toLowerCase(java.util.Locale.ROOT)
                    + (r.state() == Recording.State.RECORDING || r.state() == Recording.State.ENDED
                    ? ": it can be heard once the call has ended and it is stored" : ""));
            return;
        }
        byte[] audio;
        try {
            audio = recordings.audio(r);
        } catch (IOException e) {
            LOG.warn("recording {} cannot be read: {}", r.id(), e.getMessage());
            HttpErrors.send(ctx, 500, "the recording cannot be read");
            return;
        }
        LOG.info("recording {} of call {}: {} by {}", r.id(), r.callId(), kind, p.name());
        String ext = r.fileName().replaceAll("\\.enc$", "").replaceAll(".*\\.", "");
        ctx.response().putHeader("Content-Type", recordings.contentType()).putHeader("Cache-Control", "no-store")
                .putHeader("Content-Disposition", (download ? "attachment" : "inline") + "; filename=\"recording-"
                        + r.id() + "." + ext + "\"")
                .end(Buffer.buffer(audio));
    }

    private void log(RoutingContext ctx, Principal p, Recording r, String kind, boolean allowed) {
        store.logAccess(new JdbcRecordings.Access(r.id(), r.callId(), p.name(), String.join(",", new TreeSet<>(p.roles())),
                kind, allowed, ClientAddress.of(ctx), clock.instant()));
    }

    private void accessLog(RoutingContext ctx) {
        Principal p = ctx.get(Auth.PRINCIPAL);
        if (!mayListen(p)) {
            HttpErrors.send(ctx, 403, "your role may not see recordings");
            return;
        }
        JsonArray items = new JsonArray();
        for (JdbcRecordings.Access a : store.accessLog(ctx.pathParam("id"))) {
            items.add(new JsonObject().put("user", a.user()).put("roles", a.roles()).put("kind", a.kind())
                    .put("allowed", a.allowed()).put("address", a.address()).put("at", a.at().toString()));
        }
        ok(ctx, new JsonObject().put("access", items));
    }

    private void demand(RoutingContext ctx) {
        Principal p = ctx.get(Auth.PRINCIPAL);
        String agentId = ctx.pathParam("id");
        if (!p.roles().contains("admin") && !agentId.equals(p.agentId())) {
            HttpErrors.send(ctx, 403, "an agent may act only on their own agent id");
            return;
        }
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            body = null;
        }
        String action = body == null ? null : body.getString("action");
        if (!"start".equals(action) && !"stop".equals(action)) {
            HttpErrors.send(ctx, 400, "action must be start or stop");
            return;
        }
        Optional<Agent> agent = routing == null ? Optional.empty() : routing.agent(agentId);
        if (agent.isEmpty() || agent.get().callId() == null) {
            HttpErrors.send(ctx, 409, "you are not on a call");
            return;
        }
        Recordings.Demand d;
        try {
            d = recordings.onDemand(agent.get().callId(), agent.get().queueId(), agentId, "start".equals(action));
        } catch (IllegalStateException e) {
            HttpErrors.send(ctx, 503, "the PBX did not take it: " + e.getMessage());
            return;
        }
        switch (d) {
            case STARTED, STOPPED -> ok(ctx, new JsonObject().put("result", d.name().toLowerCase(java.util.Locale.ROOT))
                    .put("callId", agent.get().callId()));
            case NOT_ALLOWED -> HttpErrors.send(ctx, 409, "recording on demand is not allowed in this call's queue");
            case ALREADY -> HttpErrors.send(ctx, 409, "the call is already being recorded");
            case NOTHING_TO_STOP -> HttpErrors.send(ctx, 409, "the call is not being recorded");
        }
    }

    private static void ok(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(body.encode());
    }
}
