package dev.ivr.server.prompt.http;

import dev.ivr.server.net.Cidr;
import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.audio.AsteriskFormat;
import dev.ivr.server.prompt.render.PromptCache;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET|HEAD /prompts/<key>.<ext>}: rendered prompts for Asterisk's media cache
 * (HTTP delivery). Read-only; names are content hashes matched by a strict pattern (nothing
 * else reaches the file system, so no path traversal); only the PBX addresses may fetch,
 * because the media cache sends no credentials. Content never changes under a name, so it is
 * served as immutable for a year with the key as ETag (Asterisk revalidates with
 * If-None-Match and gets 304).
 */
public final class PromptHttpRoutes implements HttpRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(PromptHttpRoutes.class);
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{40})\\.([a-z0-9]{2,6})");

    private final PromptCache cache;
    private final List<Cidr> allow;

    public PromptHttpRoutes(PromptCache cache, List<Cidr> allow) {
        this.cache = cache;
        this.allow = List.copyOf(allow);
    }

    @Override
    public void mount(Router router, Auth auth) {
        router.route("/prompts/:name").method(HttpMethod.GET).method(HttpMethod.HEAD).blockingHandler(this::serve, false);
    }

    private void serve(RoutingContext ctx) {
        String remote = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
        if (!allowed(remote)) {
            LOG.warn("refused prompt request from {}: not in prompts.http-allow", remote);
            ctx.response().setStatusCode(403).end();
            return;
        }
        Matcher m = NAME.matcher(ctx.pathParam("name"));
        AsteriskFormat format = null;
        if (m.matches()) {
            format = cache.formats().stream().filter(f -> f.extension().equals(m.group(2))).findFirst().orElse(null);
        }
        if (format == null) {
            ctx.response().setStatusCode(404).end();
            return;
        }
        String key = m.group(1);
        String etag = "\"" + key + "\"";
        if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
            ctx.response().setStatusCode(304).putHeader("ETag", etag).end();
            return;
        }
        Optional<byte[]> bytes = cache.read(key, format);
        if (bytes.isEmpty()) {
            ctx.response().setStatusCode(404).end();
            return;
        }
        ctx.response().setStatusCode(200)
                .putHeader("Content-Type", format.contentType())
                .putHeader("Cache-Control", "public, max-age=31536000, immutable")
                .putHeader("ETag", etag)
                .putHeader("X-Content-Type-Options", "nosniff");
        if (ctx.request().method() == HttpMethod.HEAD) {
            ctx.response().putHeader("Content-Length", Integer.toString(bytes.get().length)).end();
        } else {
            ctx.response().end(Buffer.buffer(bytes.get()));
        }
    }

    private boolean allowed(String remote) {
        return Cidr.anyContains(allow, remote);
    }
}
