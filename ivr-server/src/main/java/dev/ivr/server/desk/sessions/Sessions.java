package dev.ivr.server.desk.sessions;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import dev.ivr.server.api.Principal;
import dev.ivr.server.api.SessionResolver;
import dev.ivr.server.cluster.ClusterSecret;
import dev.ivr.server.wire.ClusterValue;
import dev.ivr.server.desk.users.User;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
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
 *   <li>{@value #FAILURES}: sign-in attempts not (yet) proven right, per user id and client address, and per
 *       client address, kept for the lockout time; keyed by an HMAC of the id and address (never the id as
 *       typed, whatever its length) and counted by entry processors, atomically cluster-wide.</li>
 * </ul>
 * Every value is sealed by the cluster ({@link ClusterValue}) and bound to its key. Every method blocks on the
 * cluster: call it from worker or virtual threads.
 *
 * <p>Sign-in throttling locks only the source of the guesses: wrong passwords for one user id from one address
 * stop that user id from that address, and wrong passwords for any ids from one address stop that address; the
 * user signing in from elsewhere is not affected, so nobody can lock a named account out by guessing.
 */
public final class Sessions implements SessionResolver {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Sessions.class);
    public static final String SESSIONS = "ivr.desk.sessions";
    public static final String TICKETS = "ivr.desk.ws-tickets";
    public static final String FAILURES = "ivr.desk.login-failures";

    /** A session found by its key (the hash of its token), for WebSocket connections that hold no token. */
    public record Ref(String key, Session session) {
    }

    /** A session as kept in the cluster, bound to its key (a sealed session copied under another key is refused). */
    record Stored(String key, Session session) implements ClusterValue {
    }

    /** A WebSocket ticket as kept in the cluster: the key of the session it opens. */
    record Ticket(String key, String sessionKey) implements ClusterValue {
    }

    /** Attempts counted on one throttling key. */
    record Attempts(String key, int count) implements ClusterValue {
    }

    /** Counts one attempt, atomically on the key's partition, and keeps the count for {@code ttlMillis} from now. */
    record CountAttempt(long ttlMillis) implements EntryProcessor<String, Attempts, Integer>, ClusterValue {
        @Override
        public Integer process(Map.Entry<String, Attempts> entry) {
            Attempts a = entry.getValue();
            int n = (a == null || !a.belongsTo(entry.getKey()) ? 0 : a.count()) + 1;
            ((ExtendedMapEntry<String, Attempts>) entry).setValue(new Attempts(entry.getKey(), n), ttlMillis,
                    TimeUnit.MILLISECONDS);
            return n;
        }
    }

    /** Takes back one attempt that turned out right (or was never checked); the entry goes at zero. */
    record Forgive() implements EntryProcessor<String, Attempts, Integer>, ClusterValue {
        @Override
        public Integer process(Map.Entry<String, Attempts> entry) {
            Attempts a = entry.getValue();
            int n = a == null || !a.belongsTo(entry.getKey()) ? 0 : a.count() - 1;
            if (n <= 0) {
                entry.setValue(null);
            } else {
                entry.setValue(new Attempts(entry.getKey(), n));
            }
            return Math.max(0, n);
        }
    }

    private final IMap<String, Stored> sessions;
    private final IMap<String, Ticket> tickets;
    private final IMap<String, Attempts> failures;
    private final Duration idle;
    private final Duration maxAge;
    private final Duration ticketTtl;
    private final int attempts;
    private final int addressAttempts;
    private final Duration lockout;
    private final Clock clock;
    private final byte[] throttleKey;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param attempts        sign-in attempts not proven right for one user id from one address before that pair is refused
     * @param addressAttempts sign-in attempts not proven right from one address (any ids) before the address is refused
     * @param lockout         how long counts are kept after the last attempt
     */
    public Sessions(HazelcastInstance hz, Duration idle, Duration maxAge, Duration ticketTtl, int attempts,
                    int addressAttempts, Duration lockout, Clock clock) {
        this.sessions = hz.getMap(SESSIONS);
        this.tickets = hz.getMap(TICKETS);
        this.failures = hz.getMap(FAILURES);
        this.idle = idle;
        this.maxAge = maxAge;
        this.ticketTtl = ticketTtl;
        this.attempts = attempts;
        this.addressAttempts = addressAttempts;
        this.lockout = lockout;
        this.clock = clock;
        this.throttleKey = ClusterSecret.of(hz).derive("ivr/sign-in-throttle/v1");
    }

    /** A new session for a user who just proved their password; returns its bearer token. */
    public String open(User user) {
        String token = randomToken();
        Session s = new Session(user.id(), user.name(), user.roles(), user.isAgent() ? user.id() : null,
                user.endpoint(), user.skills(), user.languages(), clock.instant());
        String key = keyOf(token);
        sessions.set(key, new Stored(key, s), maxAge.toMillis(), TimeUnit.MILLISECONDS, idle.toMillis(), TimeUnit.MILLISECONDS);
        return token;
    }

    /** The session of a token (and its idle time restarts). */
    public Optional<Session> find(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Optional.empty();
        }
        return touch(keyOf(token));
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
        for (Map.Entry<String, Stored> e : sessions.entrySet()) {
            if (e.getValue().belongsTo(e.getKey()) && e.getValue().session().userId().equals(userId)) {
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

    private record Ended(Consumer<String> ended) implements EntryRemovedListener<String, Stored>,
            EntryExpiredListener<String, Stored>, EntryEvictedListener<String, Stored> {
        @Override
        public void entryRemoved(EntryEvent<String, Stored> event) {
            ended.accept(event.getKey());
        }

        @Override
        public void entryExpired(EntryEvent<String, Stored> event) {
            ended.accept(event.getKey());
        }

        @Override
        public void entryEvicted(EntryEvent<String, Stored> event) {
            ended.accept(event.getKey());
        }
    }

    /** Whether the session of this key is still open; the read restarts its idle time. */
    public Optional<Session> touch(String key) {
        Stored s;
        try {
            s = sessions.get(key);
        } catch (HazelcastSerializationException e) { // not sealed with this cluster's key: forged
            LOG.warn("a session that does not open with the cluster's key was refused: {}", e.getMessage());
            return Optional.empty();
        }
        if (s == null) {
            return Optional.empty();
        }
        if (!s.belongsTo(key)) {
            LOG.warn("a session stored under another key was refused (copied within the cluster?)");
            return Optional.empty();
        }
        if (s.session().createdAt().plus(maxAge).isBefore(clock.instant())) {
            return Optional.empty(); // older than the maximum age, whatever the map says (a replayed entry)
        }
        return Optional.of(s.session());
    }

    /** A one-time ticket for a WebSocket connection of this session, valid for the ticket time to live. */
    public Optional<String> ticket(String token) {
        if (find(token).isEmpty()) {
            return Optional.empty();
        }
        String ticket = randomToken();
        String key = keyOf(ticket);
        tickets.set(key, new Ticket(key, keyOf(token)), ticketTtl.toMillis(), TimeUnit.MILLISECONDS);
        return Optional.of(ticket);
    }

    /** Redeems a ticket once: the session it was issued for, if both are still valid. */
    public Optional<Ref> redeem(String ticket) {
        if (ticket == null || ticket.isEmpty() || ticket.length() > 200) {
            return Optional.empty();
        }
        String key = keyOf(ticket);
        Ticket t;
        try {
            t = tickets.remove(key);
        } catch (HazelcastSerializationException e) {
            LOG.warn("a ticket that does not open with the cluster's key was refused: {}", e.getMessage());
            return Optional.empty();
        }
        if (t == null || !t.belongsTo(key)) {
            return Optional.empty();
        }
        return touch(t.sessionKey()).map(s -> new Ref(t.sessionKey(), s));
    }

    /** Why a sign-in attempt is refused before its password is checked. */
    public enum Refusal {
        /** Too many attempts for this user id from this address. */
        USER_FROM_ADDRESS,
        /** Too many attempts from this address, whatever the ids. */
        ADDRESS
    }

    /**
     * Counts a sign-in attempt for {@code userId} from {@code address} before its password is checked, as a
     * failure until {@link #succeeded} or {@link #forgive} says otherwise: with many attempts in parallel, only
     * the allowed number is ever checked. Counts are cluster-wide and atomic.
     *
     * @return empty when the password may be checked, else why not (for {@link #lockout()} after the last attempt)
     */
    public Optional<Refusal> attempt(String userId, String address) {
        int forUser = failures.executeOnKey(userKey(userId, address), new CountAttempt(lockout.toMillis()));
        int fromAddress = failures.executeOnKey(addressKey(address), new CountAttempt(lockout.toMillis()));
        if (forUser > attempts) {
            return Optional.of(Refusal.USER_FROM_ADDRESS);
        }
        if (fromAddress > addressAttempts) {
            return Optional.of(Refusal.ADDRESS);
        }
        return Optional.empty();
    }

    /** The password was right: the user's count from this address is cleared, the address's attempt taken back. */
    public void succeeded(String userId, String address) {
        failures.delete(userKey(userId, address));
        failures.executeOnKey(addressKey(address), new Forgive());
    }

    /** The attempt was not checked after all (the server was busy): it does not count. */
    public void forgive(String userId, String address) {
        failures.executeOnKey(userKey(userId, address), new Forgive());
        failures.executeOnKey(addressKey(address), new Forgive());
    }

    private String userKey(String userId, String address) {
        return "u:" + mac(userId.toLowerCase(Locale.ROOT) + "\n" + address);
    }

    private String addressKey(String address) {
        return "a:" + mac(address);
    }

    /** Throttling keys: an HMAC under a key derived from the cluster secret, of bounded length whatever was typed. */
    private String mac(String s) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(throttleKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(s.getBytes(StandardCharsets.UTF_8)), 0, 20);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
