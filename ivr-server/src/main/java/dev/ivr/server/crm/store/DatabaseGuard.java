package dev.ivr.server.crm.store;

import com.zaxxer.hikari.HikariDataSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Every database call of the store goes through here: a circuit breaker (resilience4j) in
 * front of the connection pool. Once calls fail, it opens and further calls are refused at
 * once for {@code retryAfter} (callers are not each made to wait the pool's timeout), then one
 * call tries the database again.
 */
final class DatabaseGuard {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseGuard.class);

    /** Work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** The database could not do the work. */
    static final class Unavailable extends Exception {
        private final boolean dataError;

        Unavailable(String message, Throwable cause, boolean dataError) {
            super(message, cause);
            this.dataError = dataError;
        }

        /** The database is up but refused this data (constraint, value too long): retrying will not help. */
        boolean dataError() {
            return dataError;
        }
    }

    private final DataSource dataSource;
    private final BooleanSupplier ready;
    private final CircuitBreaker breaker;
    private final Duration retryAfter;

    DatabaseGuard(DataSource dataSource, BooleanSupplier ready, Duration retryAfter) {
        this.dataSource = dataSource;
        this.ready = ready;
        this.retryAfter = retryAfter;
        this.breaker = CircuitBreaker.of("crm-database", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(3)
                .failureRateThreshold(50)
                .waitDurationInOpenState(retryAfter)
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true) // health shows the retry without waiting for a call
                .recordException(e -> e instanceof SQLException s && !isDataError(s))
                .build());
        breaker.getEventPublisher().onStateTransition(e -> {
            switch (e.getStateTransition().getToState()) {
                case OPEN -> LOG.warn("CRM database unavailable: callers are answered UNAVAILABLE at once; retrying in {}s",
                        retryAfter.toSeconds());
                case CLOSED -> LOG.info("CRM database reachable again");
                default -> LOG.debug("CRM database circuit {}", e.getStateTransition());
            }
        });
    }

    /** Runs work on a pooled connection, unless the database is known to be down. */
    <T> T call(Work<T> work) throws Unavailable {
        if (!ready.getAsBoolean()) {
            throw new Unavailable("the database is not ready (schema not migrated yet)", null, false);
        }
        if (!breaker.tryAcquirePermission()) {
            throw new Unavailable("the database is unavailable (next try within " + retryAfter.toSeconds() + "s)", null, false);
        }
        long t0 = System.nanoTime();
        try {
            T result = onConnection(work);
            breaker.onSuccess(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            return result;
        } catch (SQLException e) {
            breaker.onError(System.nanoTime() - t0, TimeUnit.NANOSECONDS, e);
            throw new Unavailable(rootMessage(e), e, isDataError(e));
        } catch (RuntimeException | Error e) {
            breaker.onError(System.nanoTime() - t0, TimeUnit.NANOSECONDS, e);
            throw e;
        }
    }

    /** Runs work on a connection without asking the breaker (the outbox flusher probes with it). */
    <T> T direct(Work<T> work) throws SQLException {
        return onConnection(work);
    }

    /**
     * Runs work on a pooled connection. A connection that failed for another reason than the
     * data is evicted from the pool: not every driver's error codes tell the pool that the
     * connection is dead (H2's "database closed" does not), and the next call must not get it again.
     * When the failed connection turns out to be dead (the database was closed and opened again
     * since it was pooled, as H2 does after a failed write), every connection of the pool is
     * retired and the work is tried once more on a fresh one, so stale pooled connections never
     * cost a caller or a request.
     */
    private <T> T onConnection(Work<T> work) throws SQLException {
        try {
            return attempt(work);
        } catch (StaleConnection stale) {
            try {
                return attempt(work);
            } catch (StaleConnection again) {
                throw again.failure;
            }
        }
    }

    private static boolean isValid(Connection c) {
        try {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** The work failed on a connection that is dead: worth one more try on another. */
    private static final class StaleConnection extends SQLException {
        final SQLException failure;

        StaleConnection(SQLException failure) {
            super(failure.getMessage(), failure.getSQLState(), failure);
            this.failure = failure;
        }
    }

    private <T> T attempt(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try {
                return work.run(c);
            } catch (SQLException e) {
                if (!isDataError(e) && dataSource instanceof HikariDataSource pool) {
                    boolean dead = e instanceof SQLNonTransientConnectionException
                            || e instanceof SQLTransientConnectionException || !isValid(c);
                    pool.evictConnection(c);
                    if (dead) {
                        // the others pooled with it are as stale: none of them is handed out again
                        pool.getHikariPoolMXBean().softEvictConnections();
                        throw new StaleConnection(e);
                    }
                }
                throw e;
            }
        }
    }

    /** Whether calls would be tried now (ready and the circuit not open). */
    boolean available() {
        return ready.getAsBoolean() && breaker.getState() != CircuitBreaker.State.OPEN
                && breaker.getState() != CircuitBreaker.State.FORCED_OPEN;
    }

    boolean ready() {
        return ready.getAsBoolean();
    }

    /** The database answered outside the breaker (the outbox was written): close the circuit now. */
    void recovered() {
        if (breaker.getState() != CircuitBreaker.State.CLOSED) {
            breaker.transitionToClosedState();
        }
    }

    /** SQL states of class 22 (data exception) and 23 (integrity constraint): the data, not the database. */
    static boolean isDataError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
