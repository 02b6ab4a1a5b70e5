package dev.ivr.server.api;

import dev.ivr.server.config.TokenConfig;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Locale;

/**
 * Bearer tokens and roles for the HTTP API. Tokens are compared by their SHA-256 in constant
 * time and never logged. With no token configured, an admin token is generated once into
 * {@code <data-dir>/admin-token} (readable by the owner only) so a fresh install is usable
 * and still closed. Besides configured tokens, sign-in session tokens are accepted once a
 * {@link SessionResolver} is added with {@link #withSessions}.
 */
public final class Auth {
    private static final Logger LOG = LoggerFactory.getLogger(Auth.class);
    /** Key under which the caller's {@link Principal} is stored in the routing context. */
    public static final String PRINCIPAL = "ivr.principal";

    private record Entry(byte[] sha256, Principal principal) {
    }

    private final List<Entry> entries;
    private final SessionResolver sessions;

    private Auth(List<Entry> entries) {
        this(entries, null);
    }

    private Auth(List<Entry> entries, SessionResolver sessions) {
        this.entries = List.copyOf(entries);
        this.sessions = sessions;
    }

    /** The same configured tokens, and session tokens resolved by {@code sessions} (checked after them). */
    public Auth withSessions(SessionResolver sessions) {
        return new Auth(entries, sessions);
    }

    /** From configured tokens; generates the admin token file when there are none. */
    public static Auth fromConfig(List<TokenConfig> tokens, Path tokenFile) {
        List<Entry> entries = new ArrayList<>();
        for (TokenConfig t : tokens) {
            byte[] hash = t.sha256() != null && !t.sha256().isBlank()
                    ? HexFormat.of().parseHex(t.sha256().toLowerCase(Locale.ROOT))
                    : sha256(t.token());
            entries.add(new Entry(hash, new Principal(t.name(), Set.copyOf(t.roles()), t.agent())));
        }
        if (entries.isEmpty()) {
            String token = generatedAdminToken(tokenFile);
            entries.add(new Entry(sha256(token), new Principal("generated-admin", Set.of("admin"), null)));
        }
        return new Auth(entries);
    }

    /** Tokens given directly (tests, tools). */
    public static Auth of(List<TokenConfig> tokens) {
        List<Entry> entries = new ArrayList<>();
        for (TokenConfig t : tokens) {
            entries.add(new Entry(sha256(t.token()), new Principal(t.name(), Set.copyOf(t.roles()), t.agent())));
        }
        return new Auth(entries);
    }

    static String generatedAdminToken(Path file) {
        Path dataDir = file.toAbsolutePath().getParent();
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(dataDir);
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            Files.writeString(file, token + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            LOG.warn("no API token configured: generated an admin token in {} (configure http.tokens for real use)", file);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }

    /** The principal for a presented token, if it is valid. */
    public Optional<Principal> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] h = sha256(token);
        Principal found = null;
        for (Entry e : entries) { // no early exit: time does not depend on which token matched
            if (MessageDigest.isEqual(e.sha256(), h)) {
                found = e.principal();
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The principal for a presented token: a configured token, else a sign-in session (a cluster lookup: call
     * it on a worker thread). Empty when the token is neither, or sessions cannot be read now.
     */
    public Optional<Principal> resolve(String token) {
        Optional<Principal> p = authenticate(token);
        if (p.isPresent() || sessions == null || token == null || token.isEmpty()) {
            return p;
        }
        try {
            return sessions.resolve(token);
        } catch (RuntimeException e) {
            LOG.warn("session lookup failed: {}", e.toString());
            return Optional.empty();
        }
    }

    /** The bearer token of a request, from the Authorization header (or ?token= for WebSocket). */
    public static String bearer(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return h.substring(7).trim();
        }
        return null;
    }

    /**
     * A handler that lets the request through only with a valid token holding one of the roles
     * (admin always). A session token is looked up on a worker thread, never on the event loop.
     */
    public Handler<RoutingContext> require(String... roles) {
        Set<String> wanted = Set.of(roles);
        return ctx -> {
            String token = bearer(ctx);
            Optional<Principal> p = authenticate(token);
            if (p.isPresent() || sessions == null || token == null || token.isEmpty()) {
                decide(ctx, p, wanted);
                return;
            }
            ctx.vertx().executeBlocking(() -> sessions.resolve(token), false).onComplete(ar -> {
                if (ar.succeeded()) {
                    decide(ctx, ar.result(), wanted);
                } else {
                    LOG.warn("session lookup failed: {}", ar.cause().toString());
                    ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json")
                            .end("{\"error\":\"sessions are unavailable; try again shortly\"}");
                }
            });
        };
    }

    private static void decide(RoutingContext ctx, Optional<Principal> p, Set<String> wanted) {
        if (p.isEmpty()) {
            ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"ivr\"")
                    .putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"a valid bearer token is required\"}");
            return;
        }
        if (!p.get().hasAnyRole(wanted)) {
            ctx.response().setStatusCode(403).putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"this token lacks the role: " + String.join(" or ", wanted) + "\"}");
            return;
        }
        ctx.put(PRINCIPAL, p.get());
        ctx.next();
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
