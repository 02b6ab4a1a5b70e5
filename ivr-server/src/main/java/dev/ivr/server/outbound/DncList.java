package dev.ivr.server.outbound;

import dev.ivr.server.crm.phone.PhoneNumbers;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The do-not-call list, in the database: numbers in E.164 (whatever format they came in, read
 * with libphonenumber and the CRM's default country), for every campaign ({@link #ALL}) or one.
 * The dialer asks it in the transaction that claims an attempt ({@link #listed(Connection,
 * String, String)}), so a number added a moment before is never dialled.
 */
public final class DncList {
    /** The scope of an entry that holds for every campaign. */
    public static final String ALL = "*";
    private static final String SCOPE = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}";

    private final DataSource dataSource;
    private final PhoneNumbers phones;

    public DncList(DataSource dataSource, PhoneNumbers phones) {
        this.dataSource = dataSource;
        this.phones = phones;
    }

    /** An entry of the list. */
    public record Entry(String e164, String scope, String source, String reason, String campaign, String callId,
                        String customerId, String addedBy, Instant addedAt) {
    }

    /** Where an entry comes from and why. */
    public record Origin(String source, String reason, String campaign, String callId, String customerId, String addedBy) {
        public static Origin of(String source, String reason, String addedBy) {
            return new Origin(source, reason, null, null, null, addedBy);
        }
    }

    /**
     * The number in E.164, or an {@link IllegalArgumentException} saying why it is not one.
     */
    public String normalise(String raw) {
        return switch (phones.parse(raw == null ? "" : raw.trim())) {
            case PhoneNumbers.Number n -> n.e164();
            case PhoneNumbers.Withheld w -> throw new IllegalArgumentException("no number given");
            case PhoneNumbers.Invalid i -> throw new IllegalArgumentException("'" + raw + "' is not a phone number: " + i.reason());
        };
    }

    /** {@link #ALL} for null/blank/"*"/"all", else the campaign name (checked). */
    public static String scope(String campaign) {
        if (campaign == null || campaign.isBlank() || ALL.equals(campaign) || "all".equals(campaign)) {
            return ALL;
        }
        if (!campaign.matches(SCOPE)) {
            throw new IllegalArgumentException("'" + campaign + "' is not a campaign name");
        }
        return campaign;
    }

    /**
     * Adds a number (any format) to the list of a campaign or of all.
     *
     * @return whether it was added (false: it was on that list already, and keeps its first entry)
     */
    public boolean add(String raw, String scope, Origin origin, Instant now) throws SQLException {
        String e164 = normalise(raw);
        try (Connection c = dataSource.getConnection()) {
            return add(c, e164, scope(scope), origin, now);
        }
    }

    /** Adds every number, all or none: a bad number is an {@link IllegalArgumentException} naming its line. */
    public int addAll(List<String> raws, String scope, Origin origin, Instant now) throws SQLException {
        List<String> numbers = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < raws.size(); i++) {
            try {
                numbers.add(normalise(raws.get(i)));
            } catch (IllegalArgumentException e) {
                bad.add("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", bad.subList(0, Math.min(10, bad.size())))
                    + (bad.size() > 10 ? " (and " + (bad.size() - 10) + " more)" : ""));
        }
        String s = scope(scope);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int added = 0;
                for (String n : numbers) {
                    if (add(c, n, s, origin, now)) {
                        added++;
                    }
                }
                c.commit();
                return added;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    static boolean add(Connection c, String e164, String scope, Origin o, Instant now) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("select 1 from dnc_numbers where e164 = ? and scope = ?")) {
            exists.setString(1, e164);
            exists.setString(2, scope);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("insert into dnc_numbers (e164, scope, source, reason, campaign, call_id,"
                + " customer_id, added_by, added_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, e164);
            ps.setString(2, scope);
            ps.setString(3, o.source());
            ps.setString(4, cut(o.reason(), 255));
            ps.setString(5, o.campaign());
            ps.setString(6, cut(o.callId(), 128));
            ps.setString(7, o.customerId());
            ps.setString(8, cut(o.addedBy(), 128));
            ps.setObject(9, now.atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) { // added at the same moment elsewhere
                return false;
            }
            throw e;
        }
    }

    /** Removes a number from the list of a campaign or of all; false when it was not there. */
    public boolean remove(String raw, String scope) throws SQLException {
        String e164 = normalise(raw);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from dnc_numbers where e164 = ? and scope = ?")) {
            ps.setString(1, e164);
            ps.setString(2, scope(scope));
            return ps.executeUpdate() > 0;
        }
    }

    /** Whether the number may not be called by this campaign: on its list or on the list of all. */
    public boolean listed(String e164, String campaign) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return listed(c, e164, campaign);
        }
    }

    static boolean listed(Connection c, String e164, String campaign) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from dnc_numbers where e164 = ? and scope in (?, ?)")) {
            ps.setString(1, e164);
            ps.setString(2, ALL);
            ps.setString(3, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The entries of one number (any format), every scope. */
    public List<Entry> lookup(String raw) throws SQLException {
        return query("where e164 = ?", normalise(raw), Integer.MAX_VALUE);
    }

    /** The entries of a scope ({@code null}: every scope), in number order, at most {@code limit}. */
    public List<Entry> list(String scope, int limit) throws SQLException {
        return scope == null ? query("", null, limit) : query("where scope = ?", scope(scope), limit);
    }

    /** How many entries a scope has ({@code null}: all entries). */
    public int count(String scope) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from dnc_numbers" + (scope == null ? "" : " where scope = ?"))) {
            if (scope != null) {
                ps.setString(1, scope(scope));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private List<Entry> query(String where, String arg, int limit) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select e164, scope, source, reason, campaign, call_id, customer_id, added_by,"
                     + " added_at from dnc_numbers " + where + " order by e164, scope")) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            ps.setMaxRows(Math.max(1, limit));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime at = rs.getObject(9, OffsetDateTime.class);
                    out.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), at == null ? null : at.toInstant()));
                }
            }
        }
        return out;
    }

    /** The entry for an opt-out given in a flow: the campaign's list, or all when {@code everyCampaign}. */
    public boolean optOut(String e164, String campaign, boolean everyCampaign, String callId, String customerId, Instant now)
            throws SQLException {
        String scope = everyCampaign || campaign == null ? ALL : scope(campaign);
        try (Connection c = dataSource.getConnection()) {
            return add(c, e164, scope, new Origin("flow", "opted out during the call", campaign, callId, customerId, null), now);
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** Unused-safe accessor for callers that only need to normalise. */
    public Optional<String> e164(String raw) {
        try {
            return Optional.of(normalise(raw));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
