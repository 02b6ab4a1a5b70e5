package dev.ivr.server.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

public record HttpConfig(
        @Doc("Whether the HTTP server runs at all.")
        boolean enabled,
        @Doc("Address the HTTP server binds to.")
        String bind,
        @Doc("TCP port of the HTTP server; 0 picks a free port.")
        int port,
        @Doc("API tokens and their roles. Callers send 'Authorization: Bearer <token>'. When none is configured, an admin token is generated into <data-dir>/admin-token on first start.")
        List<TokenConfig> tokens) implements Validated {

    public HttpConfig {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }

    @Override
    public void validate(Problems p) {
        p.notBlank("bind", bind);
        p.listenPort("port", port);
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
