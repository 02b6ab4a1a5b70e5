package dev.ivr.server.config;

import java.time.Duration;

public record DatabaseConfig(
        @Doc("JDBC URL. Empty: an H2 file database under <data-dir>/db. PostgreSQL: jdbc:postgresql://host:5432/ivr")
        String url,
        @Doc("Database user.")
        String user,
        @Doc("Database password; prefer ${ENV_VAR}.")
        String password,
        @Doc("Most connections in the pool of calls (identify, authenticate, contact history writes).")
        int poolSize,
        @Doc("Most connections in a separate pool for the HTTP side (sign-in, users, the CRM API): a flood of HTTP requests never takes a connection calls need. Not used with the default embedded H2 file database, which one pool serves (the HTTP side shares it; sign-ins are bounded by desk.max-concurrent-sign-ins).")
        int httpPoolSize,
        @Doc("How long a call waits for a connection before it goes on without the database.")
        Duration connectTimeout) implements Validated {

    @Override
    public void validate(Problems p) {
        if (url != null && !url.isBlank() && !url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            p.add("url", "only H2 (jdbc:h2:...) and PostgreSQL (jdbc:postgresql://...) are supported (got '" + url + "')");
        }
        if (poolSize < 1 || poolSize > 500) {
            p.add("pool-size", "must be between 1 and 500 (got " + poolSize + ")");
        }
        if (httpPoolSize < 1 || httpPoolSize > 500) {
            p.add("http-pool-size", "must be between 1 and 500 (got " + httpPoolSize + ")");
        }
        p.positive("connect-timeout", connectTimeout);
        if (connectTimeout != null && connectTimeout.toMillis() < 250) {
            p.add("connect-timeout", "must be at least 250ms (the pool's lower bound)");
        }
    }
}
