package dev.ivr.server.desk.http;

import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.config.QueueConfig;
import dev.ivr.server.config.QueueOverride;
import dev.ivr.server.queue.QueueSettingsStore.QueueSettingChange;
import dev.ivr.server.routing.LiveQueues;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import static dev.ivr.server.desk.http.DeskRoutes.guarded;
import static dev.ivr.server.desk.http.DeskRoutes.principal;
import static dev.ivr.server.desk.http.DeskRoutes.printable;
import static dev.ivr.server.desk.http.Replies.body;
import static dev.ivr.server.desk.http.Replies.error;
import static dev.ivr.server.desk.http.Replies.ok;

/**
 * Queue settings changed at run time (role supervisor, and admin; documented in {@code openapi.yaml}):
 * <ul>
 *   <li>{@code GET /api/queue-settings}: every queue's settings now, its changed settings and the keys that can change</li>
 *   <li>{@code GET /api/queues/{id}/settings}: one queue's</li>
 *   <li>{@code PUT /api/queues/{id}/settings}: {@code {"wrap-up": "30s", "priority": 5}} replaces the queue's changed
 *       settings (keys of {@code routing.queues[]}; a key left out takes the configured value); effective on the next
 *       offer on every member, kept across restarts, audited</li>
 *   <li>{@code DELETE /api/queues/{id}/settings}: back to the configured settings</li>
 *   <li>{@code GET /api/queues/{id}/settings/history}: the latest changes, who made them and when</li>
 * </ul>
 */
public final class QueueSettingsRoutes implements HttpRoutes {
    /** Changes listed by the history route. */
    static final int HISTORY = 50;

    private final LiveQueues queues;

    public QueueSettingsRoutes(LiveQueues queues) {
        this.queues = queues;
    }

    @Override
    public void mount(Router router, Auth auth) {
        Handler<RoutingContext> supervisor = auth.require("supervisor");
        router.get("/api/queue-settings").handler(supervisor).blockingHandler(guarded(this::list), false);
        router.get("/api/queues/:id/settings").handler(supervisor).blockingHandler(guarded(this::read), false);
        router.put("/api/queues/:id/settings").handler(supervisor).blockingHandler(guarded(this::change), false);
        router.delete("/api/queues/:id/settings").handler(supervisor).blockingHandler(guarded(this::reset), false);
        router.get("/api/queues/:id/settings/history").handler(supervisor).blockingHandler(guarded(this::history), false);
    }

    private void list(RoutingContext ctx) {
        JsonArray out = new JsonArray();
        queues.queues().forEach(q -> out.add(json(q)));
        ok(ctx, new JsonObject().put("queues", out).put("changeable", new JsonArray(QueueOverride.changeable())));
    }

    private void read(RoutingContext ctx) {
        QueueConfig q = known(ctx);
        if (q != null) {
            ok(ctx, json(q));
        }
    }

    private void change(RoutingContext ctx) {
        if (known(ctx) == null) {
            return;
        }
        JsonObject b = body(ctx);
        if (b == null) {
            return;
        }
        apply(ctx, b.encode());
    }

    private void reset(RoutingContext ctx) {
        if (known(ctx) != null) {
            apply(ctx, "{}");
        }
    }

    private void apply(RoutingContext ctx, String json) {
        String id = ctx.pathParam("id");
        QueueConfig now;
        try {
            now = queues.change(id, QueueOverride.parse(json), principal(ctx).name());
        } catch (IllegalArgumentException e) {
            error(ctx, 400, printable(e.getMessage()));
            return;
        } catch (IllegalStateException e) { // the database: nothing changed
            error(ctx, 503, "the change cannot be kept now, nothing changed: " + printable(e.getMessage()));
            return;
        }
        ok(ctx, json(now));
    }

    private void history(RoutingContext ctx) {
        if (known(ctx) == null) {
            return;
        }
        JsonArray out = new JsonArray();
        for (QueueSettingChange c : queues.history(ctx.pathParam("id"), HISTORY)) {
            out.add(new JsonObject().put("by", c.by()).put("at", c.at().toString())
                    .put("before", new JsonObject(c.before().json())).put("after", new JsonObject(c.after().json())));
        }
        ok(ctx, new JsonObject().put("queue", ctx.pathParam("id")).put("changes", out));
    }

    private QueueConfig known(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        QueueConfig q = queues.queue(id).orElse(null);
        if (q == null) {
            error(ctx, 404, "no queue '" + printable(id) + "'");
        }
        return q;
    }

    private JsonObject json(QueueConfig q) {
        return new JsonObject().put("id", q.id())
                .put("settings", new JsonObject(QueueOverride.describe(q).toString()))
                .put("changed", new JsonObject(queues.override(q.id()).json()));
    }
}
