package dev.ivr.server.pbx;

import dev.ivr.server.config.AmiConfig;
import dev.ivr.server.health.Health;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.EventGeneratingAction;
import org.asteriskjava.manager.event.FullyBootedEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * This server's connection to Asterisk's manager interface, through Asterisk-Java's
 * {@link ManagerConnection}: logs in in the background (retrying while Asterisk is away, so the
 * server starts without it), reconnects by itself after a loss, and hands every event to the
 * listeners on one virtual thread, in order, off Asterisk-Java's reader. After every login
 * (Asterisk's {@code FullyBooted}) the login hooks run: the place to reconcile state.
 */
public final class AmiConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AmiConnection.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration LOGIN_COMPLETION = Duration.ofSeconds(10);

    private final AmiConfig config;
    private final ManagerConnection connection;
    private final List<Consumer<ManagerEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> loginHooks = new CopyOnWriteArrayList<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("ami-events").factory());
    private final Thread login;
    private volatile boolean closed;

    private AmiConnection(AmiConfig config) {
        this.config = config;
        this.connection = new ManagerConnectionFactory(config.host(), config.port(), config.username(), config.secret())
                .createManagerConnection();
        connection.addEventListener(e -> {
            if (!closed) {
                events.execute(() -> dispatch(e));
            }
        });
        this.login = Thread.ofVirtual().name("ami-login").unstarted(this::loginLoop);
    }

    /** Connects in the background; {@link #available()} says when it is logged in. */
    public static AmiConnection start(AmiConfig config) {
        AmiConnection ami = new AmiConnection(config);
        ami.login.start();
        return ami;
    }

    private void loginLoop() {
        Duration backoff = Duration.ofSeconds(1);
        while (!closed) {
            try {
                connection.login();
                LOG.info("AMI: logged in to {}:{} as {} (Asterisk {})", config.host(), config.port(), config.username(),
                        connection.getVersion());
                return;
            } catch (Exception e) {
                LOG.warn("AMI: cannot log in to {}:{} ({}); retrying in {} s", config.host(), config.port(), e.getMessage(),
                        backoff.toSeconds());
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private void dispatch(ManagerEvent e) {
        for (Consumer<ManagerEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                LOG.warn("AMI: {} listener failed: {}", e.getClass().getSimpleName(), ex.toString());
            }
        }
        if (e instanceof FullyBootedEvent) {
            // Asterisk sends it while the client is still completing its login: wait until it has
            long deadline = System.nanoTime() + LOGIN_COMPLETION.toNanos();
            while (!available() && !closed && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ex) {
                    return;
                }
            }
            for (Runnable hook : loginHooks) {
                try {
                    hook.run();
                } catch (RuntimeException ex) {
                    LOG.warn("AMI: after login: {}", ex.toString());
                }
            }
        }
    }

    /** Receives every event, in order, on the connection's event thread (which may block briefly). */
    public void addListener(Consumer<ManagerEvent> listener) {
        listeners.add(listener);
    }

    /** Runs after every login (the first and each reconnection), on the event thread. */
    public void onLogin(Runnable hook) {
        loginHooks.add(hook);
    }

    /** Whether the connection is up and logged in. */
    public boolean available() {
        return !closed && connection.getState() == ManagerConnectionState.CONNECTED;
    }

    /** Sends an action whose answer is a list of events (or one completion event). */
    public ResponseEvents send(EventGeneratingAction action, Duration timeout) throws Exception {
        if (!available()) {
            throw new IllegalStateException("not connected to the manager interface at " + config.host() + ":" + config.port());
        }
        return connection.sendEventGeneratingAction(action, timeout.toMillis());
    }

    /** Sends an action answered by one response. */
    public org.asteriskjava.manager.response.ManagerResponse sendAction(org.asteriskjava.manager.action.ManagerAction action,
                                                                        Duration timeout) throws Exception {
        if (!available()) {
            throw new IllegalStateException("not connected to the manager interface at " + config.host() + ":" + config.port());
        }
        return connection.sendAction(action, timeout.toMillis());
    }

    public Health health() {
        return available() ? Health.up("logged in to " + config.host() + ":" + config.port())
                : Health.down("not connected to " + config.host() + ":" + config.port() + " (" + connection.getState() + ")");
    }

    @Override
    public void close() {
        closed = true;
        login.interrupt();
        try {
            if (connection.getState() == ManagerConnectionState.CONNECTED) {
                connection.logoff();
            }
        } catch (RuntimeException e) {
            // going away anyway
        }
        events.shutdownNow();
    }
}
