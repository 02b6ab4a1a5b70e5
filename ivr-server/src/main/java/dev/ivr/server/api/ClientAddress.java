package dev.ivr.server.api;

import dev.ivr.server.net.Cidr;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The address of the client behind a request: the connection's peer, or, when the peer is a trusted proxy
 * ({@code http.trusted-proxies}), the nearest address in {@code X-Forwarded-For} that is not a trusted proxy.
 * Sign-in throttling counts by it. Without trusted proxies the header is ignored: a client cannot choose it.
 */
public final class ClientAddress {
    private static final String KEY = "ivr.client-address";

    private ClientAddress() {
    }

    /** Stores the client address of every request, for {@link #of}. */
    static Handler<RoutingContext> resolver(List<Cidr> trustedProxies) {
        return ctx -> {
            ctx.put(KEY, resolve(ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host(),
                    ctx.request().getHeader("X-Forwarded-For"), trustedProxies));
            ctx.next();
        };
    }

    /** The client address of a request (the peer's, when no resolver ran). */
    public static String of(RoutingContext ctx) {
        String a = ctx.get(KEY);
        if (a != null) {
            return a;
        }
        return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
    }

    static String resolve(String peer, String forwardedFor, List<Cidr> trusted) {
        if (peer == null) {
            return "unknown";
        }
        if (forwardedFor == null || trusted.isEmpty() || !isTrusted(peer, trusted)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) { // right to left: the last hop a trusted proxy did not add
            String hop = hops[i].strip();
            if (!isTrusted(hop, trusted)) {
                return hop.length() > 64 ? hop.substring(0, 64) : hop;
            }
        }
        return peer;
    }

    private static boolean isTrusted(String address, List<Cidr> trusted) {
        if (!address.matches("[0-9A-Fa-f:.]{2,45}")) { // a literal address only: no name lookups
            return false;
        }
        try {
            InetAddress a = InetAddress.getByName(address);
            return trusted.stream().anyMatch(c -> c.contains(a));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
