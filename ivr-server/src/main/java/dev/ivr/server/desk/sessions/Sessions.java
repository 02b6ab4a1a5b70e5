package dev.ivr.server.desk.sessions;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import dev.ivr.server.api.Principal;
import dev.ivr.server.api.SessionResolver;
import dev.ivr.server.desk.users.User;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sign-in sessions, WebSocket tickets and sign-in lockouts, all in the cluster so that any
 * server accepts a session opened on another one (a desktop reconnecting after a server died).
 *
 * <ul>
 *   <li>{@value #SESSIONS}: SHA-256 of the token → {@link Session}; each entry expires after the
 *       idle timeout (every read restarts it: a sliding expiry) and at the latest after the
 *       maximum age. Tokens themselves are never stored, so reading the map gives no token.</li>
 *   <li>{@value #TICKETS}: SHA-256 of a one-time WebSocket ticket → session key, short-lived,
 *       removed when redeemed.</li>
 *   <li>{@value #FAILURES}: wrong passwords in a row per user id, kept for the lockout time.</li>
 * </ul>
 * Every method blocks on the cluster: call it from worker or virtual threads.
 */
public final class Sessions implements SessionResolver {
    public static final String SESSIONS = "ivr.desk.sessions";
    public static final String TICKETS = "ivr.desk.ws-tickets";
    public static final String FAILURES = "ivr.desk.login-failures";

    /** A session found by its key (the hash of its token), for WebSocket connections that hold no token. */
    public record Ref(String key, Session session) {
    }

    private final IMap<String, Session> sessions;
    private final IMap<String, String> tickets;
    private final IMap<String, Integer> failures;
    private final Duration idle;
    private final Duration maxAge;
    private final Duration ticketTtl;
    private final int attempts;
    private final Duration lockout;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Sessions(HazelcastInstance hz, Duration idle, Duration maxAge, Duration ticketTtl, int attempts,
                    Duration lockout, Clock clock) {
        this.sessions = hz.getMap(SESSIONS);
        this.tickets = hz.getMap(TICKETS);
        this.failures = hz.getMap(FAILURES);
        this.idle = idle;
        this.maxAge = maxAge;
        this.ticketTtl = ticketTtl;
        this.attempts = attempts;
        this.lockout = lockout;
        this.clock = clock;
    }

    /** A new session for a user who just proved their password; returns its bearer token. */
    public String open(User user) {
        String token = randomToken();
        Session s = new Session(user.id(), user.name(), user.roles(), user.isAgent() ? user.id() : null,
                user.endpoint(), user.skills(), user.languages(), clock.instant());
        sessions.set(keyOf(token), s, maxAge.toMillis(), TimeUnit.MILLISECONDS, idle.toMillis(), TimeUnit.MILLISECONDS);
        return token;
    }

    /** The session of a token (and its idle time restarts). */
    public Optional<Session> find(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Optional.empty();
        }
        return Optional.ofNullable(sessions.get(keyOf(token)));
    }

    @Override
    public Optional<Principal> resolve(String token) {
        return find(token).map(Session::principal);
    }

    /** Signs out; false when the token is not a session. */
    public boolean close(String token) {
        return token != null && sessions.remove(keyOf(token)) != null;
    }

    /** Ends every session of a user (deleted, disabled, roles or profile changed); returns their keys. */
    public List<String> closeAll(String userId) {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, Session> e : sessions.entrySet()) {
            if (e.getValue().userId().equals(userId)) {
                keys.add(e.getKey());
            }
        }
        keys.forEach(sessions::delete);
        return keys;
    }

    /**
     * Calls {@code ended} with the key of every session that ends anywhere in the cluster (signed
     * out, expired, ended by an admin), on a Hazelcast thread: hand over, do not block.
     */
    public UUID onEnd(Consumer<String> ended) {
        return sessions.addEntryListener(new Ended(ended), false);
    }

    public void removeListener(UUID registration) {
        sessions.removeEntryListener(registration);
    }

    private record Ended(Consumer<String> ended) implements EntryRemovedListener<String, Session>,
            EntryExpiredListener<String, Session>, EntryEvictedListener<String, Session> {
        @Override
        public void entryRemoved(EntryEvent<String, Session> event) {
            ended.accept(event.getKey());
        }

        @Override
        public void entryExpired(EntryEvent<String, Session> event) {
            ended.accept(event.getKey());
        }

        @Override
        public void entryEvicted(EntryEvent<String, Session> event) {
            ended.accept(event.getKey());
        }
    }

    /** Whether the session of this key is still open; the read restarts its idle time. */
    public Optional<Session> touch(String key) {
        return Optional.ofNullable(sessions.get(key));
    }

    /** A one-time ticket for a WebSocket connection of this session, valid for the ticket time to live. */
    public Optional<String> ticket(String token) {
        if (find(token).isEmpty()) {
            return Optional.empty();
        }
        String ticket = randomToken();
        tickets.set(keyOf(ticket), keyOf(token), ticketTtl.toMillis(), TimeUnit.MILLISECONDS);
        return Optional.of(ticket);
    }

    /** Redeems a ticket once: the session it was issued for, if both are still valid. */
    public Optional<Ref> redeem(String ticket) {
        if (ticket == null || ticket.isEmpty() || ticket.length() > 200) {
            return Optional.empty();
        }
        String sessionKey = tickets.remove(keyOf(ticket));
        if (sessionKey == null) {
            return Optional.empty();
        }
        return touch(sessionKey).map(s -> new Ref(sessionKey, s));
    }

    /** Whether sign-in is refused for this user id now (too many wrong passwords). */
    public boolean lockedOut(String userId) {
        Integer n = failures.get(userId);
        return n != null && n >= attempts;
    }

    /** Counts a wrong password; the count is forgotten after the lockout time without another failure. */
    public void failed(String userId) {
        while (true) { // compare-and-set: two servers counting the same user never lose a failure
            Integer n = failures.putIfAbsent(userId, 1, lockout.toMillis(), TimeUnit.MILLISECONDS);
            if (n == null) {
                return;
            }
            if (failures.replace(userId, n, n + 1)) {
                failures.setTtl(userId, lockout.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
        }
    }

    public void succeeded(String userId) {
        failures.delete(userId);
    }

    public Duration lockout() {
        return lockout;
    }

    private String randomToken() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** The map key of a token: its SHA-256 in hex. */
    public static String keyOf(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
