package dev.ivr.server.config;

import java.time.Duration;

public record DatabaseConfig(
        @Doc("JDBC URL. Empty: an H2 file database under <data-dir>/db. PostgreSQL: jdbc:postgresql://host:5432/ivr (the scheme in lower case, as the drivers take it; user and password go in user and password, never before the host).")
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

    /** The start of every H2 URL. */
    private static final String H2 = "jdbc:h2:";
    /** The start of every PostgreSQL URL. */
    private static final String POSTGRESQL = "jdbc:postgresql:";

    /**
     * Whether {@code url} names an H2 database. In lower case only, as the H2 driver takes it ({@code JDBC:H2:} finds no
     * driver): the one test of "H2 or PostgreSQL" this check, {@code Dialect.ofUrl} and the doctor share.
     */
    public static boolean isH2Url(String url) {
        return url.startsWith(H2);
    }

    /** Whether {@code url} names a PostgreSQL database; in lower case only, as PgJDBC takes it (see {@link #isH2Url}). */
    public static boolean isPostgresqlUrl(String url) {
        return url.startsWith(POSTGRESQL);
    }

    @Override
    public void validate(Problems p) {
        if (url != null && !url.isBlank()) {
            if (!isH2Url(url) && !isPostgresqlUrl(url)) {
                // the scheme only: a PostgreSQL URL may carry password=...
                p.add("url", "only H2 (jdbc:h2:...) and PostgreSQL (jdbc:postgresql://...) are supported (got "
                        + Redaction.scheme(url) + ")");
            } else if (url.matches("[^?;]*//[^/?;]*@.*")) {
                p.add("url", "must not carry user:password@: give database.user and database.password (neither driver"
                        + " reads them there, and the URL is shown in messages)");
            }
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

    /** Without the password, and the URL without its credentials ({@link Redaction}). */
    @Override
    public String toString() {
        return "DatabaseConfig[url=" + Redaction.url(url) + ", user=" + user + ", password=" + Redaction.secret(password)
                + ", poolSize=" + poolSize + ", httpPoolSize=" + httpPoolSize + ", connectTimeout=" + connectTimeout + "]";
    }
}
