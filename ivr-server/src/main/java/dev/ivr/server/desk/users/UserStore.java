package dev.ivr.server.desk.users;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;

/**
 * Users in the database (tables {@code users} and {@code user_skills}, migration V20). Every
 * method blocks on JDBC: call it from worker or virtual threads, never from an event loop.
 * Database failures surface as {@link UserException} of kind UNAVAILABLE.
 *
 * <p>Sign-in never holds a database connection while a password is hashed, and at most a fixed number of
 * password checks run at once: a flood of sign-ins costs CPU within that bound and no connection at all, and
 * what exceeds it is refused at once (BUSY) instead of queueing behind the hashes.
 */
public final class UserStore {
    private static final Logger LOG = LoggerFactory.getLogger(UserStore.class);

    private final DataSource db;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final Semaphore checks;

    public UserStore(DataSource db, PasswordHasher hasher, Clock clock) {
        this(db, hasher, clock, Runtime.getRuntime().availableProcessors());
    }

    /** @param concurrentChecks password checks allowed at once; more are refused with BUSY */
    public UserStore(DataSource db, PasswordHasher hasher, Clock clock, int concurrentChecks) {
        this.db = db;
        this.hasher = hasher;
        this.clock = clock;
        this.checks = new Semaphore(concurrentChecks);
    }

    /**
     * The user if the id exists, is enabled and the password matches; the same time is spent either way. The
     * stored hash is read on a connection given back before hashing.
     *
     * @throws UserException BUSY when the allowed number of password checks are running already
     */
    public Optional<User> authenticate(String id, String password) {
        if (!checks.tryAcquire()) {
            throw new UserException(UserException.Kind.BUSY, "too many sign-ins at this moment; try again in a second");
        }
        boolean ok;
        boolean enabled = false;
        try {
            String hash = null;
            if (id != null && UserSpec.ID.matcher(id).matches()) {
                try (Connection c = db.getConnection();
                     PreparedStatement ps = c.prepareStatement("select password_hash, enabled from users where id = ?")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            hash = rs.getString(1);
                            enabled = rs.getBoolean(2);
                        }
                    }
                } catch (SQLException e) {
                    throw unavailable(e);
                }
            }
            ok = hasher.verify(password, hash); // a dummy hash when the user is unknown; no connection held
        } finally {
            checks.release();
        }
        return ok && enabled ? find(id) : Optional.empty();
    }

    public Optional<User> find(String id) {
        try (Connection c = db.getConnection()) {
            return find(c, id);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Every user, by id. */
    public List<User> list() {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from users order by id");
             ResultSet rs = ps.executeQuery()) {
            Map<String, Map<String, Integer>> skills = allSkills(c);
            List<User> out = new ArrayList<>();
            while (rs.next()) {
                out.add(user(rs, skills.getOrDefault(rs.getString("id"), Map.of())));
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Creates a user; INVALID with every problem, EXISTS when the id is taken. */
    public User create(UserSpec spec) {
        List<String> problems = spec.problemsForCreate();
        if (!problems.isEmpty()) {
            throw new UserException(UserException.Kind.INVALID, String.join("; ", problems));
        }
        String hash = hasher.hash(spec.password());
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (find(c, spec.id()).isPresent()) {
                    throw new UserException(UserException.Kind.EXISTS, "a user '" + spec.id() + "' already exists");
                }
                try (PreparedStatement ps = c.prepareStatement("insert into users (id, name, password_hash, roles, endpoint,"
                        + " languages, enabled, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, spec.id());
                    ps.setString(2, spec.name() == null || spec.name().isBlank() ? spec.id() : spec.name().strip());
                    ps.setString(3, hash);
                    ps.setString(4, joined(spec.roles()));
                    ps.setString(5, blankToNull(spec.endpoint()));
                    ps.setString(6, joined(spec.languages() == null ? Set.of() : spec.languages()));
                    ps.setBoolean(7, spec.enabled() == null || spec.enabled());
                    ps.setObject(8, now);
                    ps.setObject(9, now);
                    ps.executeUpdate();
                }
                writeSkills(c, spec.id(), spec.skills() == null ? Map.of() : spec.skills());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            LOG.info("user '{}' created with roles {}", spec.id(), joined(spec.roles()));
            return find(c, spec.id()).orElseThrow();
        } catch (SQLException e) {
            if (isDuplicate(e)) {
                throw new UserException(UserException.Kind.EXISTS, "a user '" + spec.id() + "' already exists");
            }
            throw unavailable(e);
        }
    }

    /** Applies the non-null fields of {@code changes} (the id is ignored); NOT_FOUND, INVALID. */
    public User update(String id, UserSpec changes) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                User current = find(c, id).orElseThrow(() -> notFound(id));
                List<String> problems = changes.problemsForUpdate(current);
                if (!problems.isEmpty()) {
                    throw new UserException(UserException.Kind.INVALID, String.join("; ", problems));
                }
                String endpoint = changes.endpoint() == null ? current.endpoint() : blankToNull(changes.endpoint());
                try (PreparedStatement ps = c.prepareStatement("update users set name = ?, roles = ?, endpoint = ?,"
                        + " languages = ?, enabled = ?, updated_at = ? where id = ?")) {
                    ps.setString(1, changes.name() == null ? current.name() : changes.name().strip());
                    ps.setString(2, joined(changes.roles() == null ? current.roles() : changes.roles()));
                    ps.setString(3, endpoint);
                    ps.setString(4, joined(changes.languages() == null ? current.languages() : changes.languages()));
                    ps.setBoolean(5, changes.enabled() == null ? current.enabled() : changes.enabled());
                    ps.setObject(6, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                    ps.setString(7, id);
                    ps.executeUpdate();
                }
                if (changes.password() != null) {
                    try (PreparedStatement ps = c.prepareStatement("update users set password_hash = ? where id = ?")) {
                        ps.setString(1, hasher.hash(changes.password()));
                        ps.setString(2, id);
                        ps.executeUpdate();
                    }
                }
                if (changes.skills() != null) {
                    try (PreparedStatement ps = c.prepareStatement("delete from user_skills where user_id = ?")) {
                        ps.setString(1, id);
                        ps.executeUpdate();
                    }
                    writeSkills(c, id, changes.skills());
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            LOG.info("user '{}' changed{}", id, changes.password() != null ? " (new password)" : "");
            return find(c, id).orElseThrow();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** @return false when there was no such user */
    public boolean delete(String id) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from users where id = ?")) {
            ps.setString(1, id);
            boolean deleted = ps.executeUpdate() > 0;
            if (deleted) {
                LOG.info("user '{}' deleted", id);
            }
            return deleted;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    // ---------------------------------------------------------------- rows

    private static final String COLUMNS = "id, name, roles, endpoint, languages, enabled, created_at, updated_at";

    private static Optional<User> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from users where id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, Integer> skills = new TreeMap<>();
                try (PreparedStatement sp = c.prepareStatement("select skill, level from user_skills where user_id = ?")) {
                    sp.setString(1, id);
                    try (ResultSet s = sp.executeQuery()) {
                        while (s.next()) {
                            skills.put(s.getString(1), s.getInt(2));
                        }
                    }
                }
                return Optional.of(user(rs, skills));
            }
        }
    }

    private static Map<String, Map<String, Integer>> allSkills(Connection c) throws SQLException {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select user_id, skill, level from user_skills");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getInt(3));
            }
        }
        return out;
    }

    private static User user(ResultSet rs, Map<String, Integer> skills) throws SQLException {
        return new User(rs.getString("id"), rs.getString("name"), split(rs.getString("roles")), rs.getString("endpoint"),
                skills, split(rs.getString("languages")), rs.getBoolean("enabled"),
                instant(rs.getObject("created_at", OffsetDateTime.class)), instant(rs.getObject("updated_at", OffsetDateTime.class)));
    }

    private static void writeSkills(Connection c, String id, Map<String, Integer> skills) throws SQLException {
        if (skills.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into user_skills (user_id, skill, level) values (?, ?, ?)")) {
            for (Map.Entry<String, Integer> e : new TreeMap<>(skills).entrySet()) {
                ps.setString(1, id);
                ps.setString(2, e.getKey());
                ps.setInt(3, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static Set<String> split(String s) {
        if (s == null || s.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String joined(Set<String> s) {
        return String.join(",", new TreeSet<>(s));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static boolean isDuplicate(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    private static UserException notFound(String id) {
        return new UserException(UserException.Kind.NOT_FOUND, "no user '" + id + "'");
    }

    private static UserException unavailable(SQLException e) {
        LOG.warn("users: database error: {}", e.getMessage());
        return new UserException("the user database is unavailable; try again shortly", e);
    }
}
