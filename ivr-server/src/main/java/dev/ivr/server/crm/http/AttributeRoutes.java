package dev.ivr.server.crm.http;

import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpErrors;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.crm.CrmUnavailableException;
import dev.ivr.server.crm.attributes.CustomerAttributes;
import dev.ivr.server.crm.attributes.DeclaredAttribute;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed customer attributes over HTTP:
 * <ul>
 *   <li>{@code GET /api/attributes}: the declared attributes (agent, supervisor)</li>
 *   <li>{@code PATCH /api/customers/{id}/attributes}: a JSON object of name → value (text,
 *       number or true/false) or null to remove; every value checked against its declared type,
 *       all stored or none (400 with {@code fields} naming each bad one). Supervisor.</li>
 * </ul>
 */
public final class AttributeRoutes implements HttpRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(AttributeRoutes.class);
    private static final int MAX_CHANGES = 200;

    private final CustomerAttributes attributes;

    public AttributeRoutes(CustomerAttributes attributes) {
        this.attributes = attributes;
    }

    @Override
    public void mount(Router router, Auth auth) {
        router.get("/api/attributes").handler(auth.require("agent", "supervisor"));
        router.get("/api/attributes").handler(this::declared);
        router.patch("/api/customers/:id/attributes").handler(auth.require("supervisor"));
        router.patch("/api/customers/:id/attributes").blockingHandler(this::update, false);
    }

    /** A declared attribute as JSON. */
    public static JsonObject json(DeclaredAttribute a) {
        JsonObject o = new JsonObject().put("name", a.name()).put("type", a.type().word());
        if (!a.values().isEmpty()) {
            o.put("values", new JsonArray(a.values()));
        }
        return o.put("description", a.description());
    }

    private void declared(RoutingContext ctx) {
        JsonArray list = new JsonArray();
        attributes.schema().all().forEach(a -> list.add(json(a)));
        ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(new JsonObject().put("attributes", list).encodePrettily());
    }

    private void update(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            HttpErrors.send(ctx, 400, "the body must be a JSON object of attribute name to value (null removes it)");
            return;
        }
        if (body == null || body.isEmpty()) {
            HttpErrors.send(ctx, 400, "the body must be a JSON object of attribute name to value (null removes it)");
            return;
        }
        if (body.size() > MAX_CHANGES) {
            HttpErrors.send(ctx, 400, "at most " + MAX_CHANGES + " attributes per request");
            return;
        }
        Map<String, String> changes = new LinkedHashMap<>();
        Map<String, String> bad = new java.util.TreeMap<>();
        for (Map.Entry<String, Object> e : body) {
            Object v = e.getValue();
            if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
                changes.put(e.getKey(), v == null ? null : v.toString());
            } else {
                bad.put("attributes." + e.getKey(), "a value is text, a number, true/false, or null to remove it");
            }
        }
        try {
            if (!bad.isEmpty()) { // every bad field in one answer
                try {
                    CustomerAttributes.canonical(attributes.schema(), changes);
                } catch (CustomerAttributes.InvalidAttributes e) {
                    bad.putAll(e.fields());
                }
                throw new CustomerAttributes.InvalidAttributes(bad);
            }
            attributes.update(id, changes).ifPresentOrElse(now -> {
                JsonObject attrs = new JsonObject();
                now.forEach(attrs::put);
                ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                        .end(new JsonObject().put("id", id).put("attributes", attrs).encodePrettily());
            }, () -> HttpErrors.send(ctx, 404, "no customer '" + id + "'"));
        } catch (CustomerAttributes.InvalidAttributes e) {
            HttpErrors.send(ctx, 400, "nothing changed: " + e.getMessage(), e.fields());
        } catch (CrmUnavailableException e) {
            LOG.warn("PATCH customer attributes: {}", e.getMessage());
            HttpErrors.send(ctx, 503, "the customer database is unavailable; try again shortly");
        }
    }
}
