package dev.ivr.server.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

public record HttpConfig(
        @Doc("Whether the HTTP server runs at all.")
        boolean enabled,
        @Doc("Address the HTTP server binds to.")
        String bind,
        @Doc("TCP port of the HTTP server; 0 picks a free port (the one bound is reported in <data-dir>/ports.json).")
        int port,
        @Doc("API tokens and their roles. Callers send 'Authorization: Bearer <token>'. When none is configured, an admin token is generated into <data-dir>/admin-token on first start.")
        List<TokenConfig> tokens,
        @Doc("Where the generated admin token is kept when no token is configured: servers of one cluster given the same file accept the same token (./ivr cluster does so). Empty: <data-dir>/admin-token.")
        String adminTokenFile,
        @Doc("HTTPS: certificate and key (PEM). Without it, passwords, tokens and customer data cross the network in clear: keep HTTP on loopback or a protected network (docs/security.md).")
        TlsConfig tls,
        @Doc("A connection without any traffic for this long is closed (keep-alive, idle WebSockets; open desktops send a ping well within it).")
        Duration idleTimeout,
        @Doc("A request's head (request line and headers) must arrive within this after the connection opens or the previous answer: slow senders are cut off.")
        Duration headerTimeout,
        @Doc("Most HTTP connections open at once on this server; more are closed as they arrive (the file descriptors stay for calls).")
        int maxConnections,
        @Doc("Addresses (CIDR) of reverse proxies whose X-Forwarded-For header names the client (for sign-in throttling per address). Empty: the header is ignored.")
        List<String> trustedProxies) implements Validated {

    public HttpConfig {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        tls = tls == null ? new TlsConfig("", "", -1) : tls;
        adminTokenFile = adminTokenFile == null ? "" : adminTokenFile;
    }

    /** The generated admin token's file: {@code admin-token-file}, or {@code <data-dir>/admin-token}. */
    public java.nio.file.Path adminTokenPath(java.nio.file.Path dataDir) {
        return adminTokenFile.isBlank() ? dataDir.resolve("admin-token") : java.nio.file.Path.of(adminTokenFile);
    }

    @Override
    public void validate(Problems p) {
        p.notBlank("bind", bind);
        p.listenPort("port", port);
        p.section("tls", tls);
        p.positive("idle-timeout", idleTimeout);
        p.positive("header-timeout", headerTimeout);
        if (maxConnections < 1 || maxConnections > 1_000_000) {
            p.add("max-connections", "must be between 1 and 1000000 (got " + maxConnections + ")");
        }
        p.cidrs("trusted-proxies", trustedProxies);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            TokenConfig t = tokens.get(i);
            p.section("tokens[" + i + "]", t);
            if (t.name() != null && !names.add(t.name())) {
                p.add("tokens[" + i + "].name", "'" + t.name() + "' is used twice");
            }
        }
    }
}
