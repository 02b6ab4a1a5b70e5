package dev.ivr.server.journal.store;

import dev.ivr.server.db.Dialect;
import dev.ivr.server.journal.kpi.Intervals;
import dev.ivr.server.journal.report.ReportTable;
import dev.ivr.server.journal.report.Reports;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The flow report (IVR containment per interval and flow). A period from and to quarter hours (UTC) whose intervals
 * fall on quarter hours is read from the flow summary ({@link FlowSummary}: a few rows per quarter hour and flow,
 * whatever the number of events). A period cut inside a quarter hour is summed by the database from the events: per
 * quarter hour (UTC) in which
 * a call started (its first flow event of the period) and flow, the calls that entered the flow and those it served
 * by itself; the quarter hours are put together into the report's intervals here. Only those sums leave the
 * database. The same figures as {@link Reports#flows} over the events ({@link #inMemory}, the reference the tests
 * compare with) for calls as the server journals them: a call enters one flow (a server that resumes it writes a
 * resumption) before it ends. A report whose intervals do not fall on quarter hours (a time zone with an odd
 * offset) is computed from the events.
 */
public final class FlowReport {
    private static final long BUCKET_S = 900;

    /*
     * Per call (one pass, grouped by call): its first flow event of the period (the quarter it counts in), the flow it
     * entered (a CALL_ENTERED that names a flow and is not a resumption), its SELF_SERVED ends and the flow they name;
     * then per quarter, entered flow and end flow. No join and no window: both databases read the period's flow events
     * once (by the time or the type-and-time index) and hash them by call.
     */
    private static final String SQL = "select floor(extract(epoch from started) / " + BUCKET_S + "), entered, ended,"
            + " count(entered), sum(served) from (select min(occurred_at) as started,"
            + " min(case when event_type = 'CALL_ENTERED' and (detail is null or detail <> 'resumed') then flow end) as entered,"
            + " min(case when event_type = 'CALL_ENDED' and detail = 'SELF_SERVED' then flow end) as ended,"
            + " sum(case when event_type = 'CALL_ENDED' and detail = 'SELF_SERVED' then 1 else 0 end) as served"
            + " from journal_all where event_type in ('CALL_ENTERED', 'CALL_NODE', 'CALL_ENDED') and call_id is not null"
            + " and event_day >= ? and event_day <= ? and occurred_at >= ? and occurred_at < ? group by call_id) c"
            + " group by floor(extract(epoch from started) / " + BUCKET_S + "), entered, ended";

    private final DataSource dataSource;
    private final Dialect dialect;
    private final JournalReader reader;
    private final Reports reports;

    /** @param dialect the database's ({@link dev.ivr.server.db.Database#dialect}) */
    public FlowReport(DataSource dataSource, Dialect dialect, Reports reports) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.reader = new JournalReader(dataSource);
        this.reports = reports;
    }

    /** Per interval and flow ({@code flow} null for every flow): calls entered, self-served, containment. */
    public ReportTable table(Instant from, Instant to, Intervals intervals, String flow) throws SQLException {
        if (!QueueReport.quarterHours(from, to, intervals)) {
            return inMemory(from, to, intervals, flow);
        }
        if (QueueReport.onQuarter(from) && QueueReport.onQuarter(to)) {
            return fromSummary(from, to, intervals, flow);
        }
        return fromEvents(from, to, intervals, flow);
    }

    /** The report from the flow summary's rows of the period's quarter hours (from and to on quarter hours). */
    ReportTable fromSummary(Instant from, Instant to, Intervals intervals, String flow) throws SQLException {
        java.util.NavigableMap<Instant, Instant> ends = QueueReport.intervalEnds(from, to, intervals);
        // interval start (cut at from) -> flow -> {entered, self-served}
        TreeMap<Instant, Map<String, long[]>> sums = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            FlowSummary.sums(c, JournalSummary.quarter(from), JournalSummary.quarter(to), flow).forEach((q, flows) -> {
                Map<String, long[]> row = sums.computeIfAbsent(ends.floorKey(Instant.ofEpochSecond(q * BUCKET_S)),
                        k -> new TreeMap<>());
                flows.forEach((name, s) -> {
                    long[] r = row.computeIfAbsent(name, k -> new long[2]);
                    r[0] += s[FlowSummary.ENTERED];
                    r[1] += s[FlowSummary.SERVED];
                });
            });
        }
        return rows(sums, ends);
    }

    /**
     * The report summed by the database from the period's events (for a period cut inside a quarter hour; the flow
     * report before the summary, which the benchmark compares with).
     */
    ReportTable fromEvents(Instant from, Instant to, Intervals intervals, String flow) throws SQLException {
        java.util.NavigableMap<Instant, Instant> ends = QueueReport.intervalEnds(from, to, intervals);
        TreeMap<Instant, Map<String, long[]>> sums = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL)) {
            bindPeriod(ps, 1, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // every call of the quarter started at or after from: the quarter's start cut at from lies in
                    // the call's interval, as the interval edges inside the period fall on quarter hours
                    Instant quarter = Instant.ofEpochSecond(rs.getLong(1) * BUCKET_S);
                    Map<String, long[]> flows = sums.computeIfAbsent(ends.floorKey(quarter.isBefore(from) ? from : quarter),
                            k -> new TreeMap<>());
                    String entered = rs.getString(2);
                    // a self-served end counts for the flow the call entered, else for the one the end names
                    String served = entered != null ? entered : rs.getString(3);
                    if (entered != null && (flow == null || flow.equals(entered))) {
                        flows.computeIfAbsent(entered, k -> new long[2])[0] += rs.getLong(4);
                    }
                    if (served != null && (flow == null || flow.equals(served))) {
                        flows.computeIfAbsent(served, k -> new long[2])[1] += rs.getLong(5);
                    }
                }
            }
        }
        return rows(sums, ends);
    }


    private static ReportTable rows(Map<Instant, Map<String, long[]>> sums, Map<Instant, Instant> ends) {
        List<List<Object>> rows = new ArrayList<>();
        sums.forEach((start, flows) -> flows.forEach((name, s) -> {
            if (s[0] > 0) { // a flow appears in an interval when calls entered it then
                rows.add(Reports.flowRow(start, ends.get(start), name, s[0], s[1]));
            }
        }));
        return new ReportTable(Reports.FLOW_COLUMNS, rows);
    }

    /*
     * The funnel's calls: per call its first CALL_ENTERED of the period that names a flow and is not a resumption (the
     * flow the call entered; one window per call over the period's entries alone), then the period's node events and
     * hang-ups in the IVR counted per flow (the one the call entered, when it entered before the event, else the
     * event's own) and node: calls that reached the node, hang-ups there, and when the node was first reached.
     */
    private static final String ENTERED = "select call_id, flow, occurred_at, seq from (select call_id, flow, occurred_at,"
            + " seq, row_number() over (partition by call_id order by occurred_at, seq) as rn from journal_events"
            + " where event_type = 'CALL_ENTERED' and flow is not null and (detail is null or detail <> 'resumed')"
            + " and call_id is not null and event_day >= ? and event_day <= ? and occurred_at >= ? and occurred_at < ?) w"
            + " where rn = 1";
    private static final String FUNNEL = "select f, event_type, flow_node, count(distinct call_id), count(*),"
            + " min(occurred_at), min(seq) from (select coalesce(case when e.call_id is not null and (e.occurred_at"
            + " < x.occurred_at or e.occurred_at = x.occurred_at and e.seq < x.seq) then e.flow end, x.flow) as f,"
            + " x.event_type, x.flow_node, x.call_id, x.occurred_at, x.seq from journal_all x left join (" + ENTERED
            + ") e on e.call_id = x.call_id where x.call_id is not null and x.flow_node is not null"
            + " and (x.event_type = 'CALL_NODE' or x.event_type = 'CALL_ENDED' and x.detail = 'ABANDONED_IN_IVR')"
            + " and x.event_day >= ? and x.event_day <= ? and x.occurred_at >= ? and x.occurred_at < ?) n"
            + " where f is not null group by f, event_type, flow_node";

    /**
     * The drop-off funnel of the period ({@code flow} null for every flow): per flow that calls entered in the period,
     * each node in the order calls first reached it, with the calls that reached it and the callers who hung up there.
     * A period from and to quarter hours (UTC) is read from the funnel summary ({@link FunnelSummary}, both
     * databases: {@link #funnelFromSummary}); a period cut inside a quarter hour is, on PostgreSQL, summed by the
     * database from the events ({@link #funnelSummed}) and, on H2, computed from the events read into memory
     * ({@link #funnelInMemory}): H2 evaluates the summing query's per-call window again for each node event (101 s
     * for one day of a million-event journal, against 82 ms read into memory; docs/benchmarks.md).
     */
    public ReportTable funnel(Instant from, Instant to, String flow) throws SQLException {
        if (QueueReport.onQuarter(from) && QueueReport.onQuarter(to)) {
            return funnelFromSummary(from, to, flow);
        }
        return dialect == Dialect.H2 ? funnelInMemory(from, to, flow) : funnelSummed(from, to, flow);
    }

    /**
     * The funnel from the funnel summary's rows of the period's quarter hours (from and to on quarter hours): a few
     * rows per quarter hour, flow and node, whatever the number of events.
     */
    ReportTable funnelFromSummary(Instant from, Instant to, String flow) throws SQLException {
        Map<String, FunnelSummary.Flow> flows;
        try (Connection c = dataSource.getConnection()) {
            flows = FunnelSummary.sums(c, JournalSummary.quarter(from), JournalSummary.quarter(to), flow);
        }
        List<List<Object>> rows = new ArrayList<>();
        flows.forEach((name, f) -> f.steps().stream()
                .sorted(java.util.Comparator.comparingLong(FunnelSummary.Step::firstAt)
                        .thenComparingLong(FunnelSummary.Step::firstSeq))
                .forEach(s -> rows.add(Reports.funnelRow(name, s.node(), s.reached(), s.hungUp(), f.entered()))));
        return new ReportTable(Reports.FUNNEL_COLUMNS, rows);
    }

    /**
     * The funnel summed by the database: only the sums per flow and node leave it; the same table as
     * {@link Reports#funnel} over the period's events ({@link #funnelInMemory}, the reference), for calls with an id.
     */
    ReportTable funnelSummed(Instant from, Instant to, String flow) throws SQLException {
        Map<String, Long> entered = new TreeMap<>();
        // flow -> node -> {reached, hung up, first reached (epoch micros), its seq}
        Map<String, Map<String, long[]>> nodes = new java.util.HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select flow, count(*) from (" + ENTERED + ") e group by flow")) {
                bindPeriod(ps, 1, from, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (flow == null || flow.equals(rs.getString(1))) {
                            entered.put(rs.getString(1), rs.getLong(2));
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(FUNNEL)) {
                bindPeriod(ps, 1, from, to);
                bindPeriod(ps, 5, from, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long[] n = nodes.computeIfAbsent(rs.getString(1), k -> new java.util.HashMap<>())
                                .computeIfAbsent(rs.getString(3), k -> new long[] {0, 0, Long.MAX_VALUE, Long.MAX_VALUE});
                        if ("CALL_NODE".equals(rs.getString(2))) {
                            Instant first = rs.getTimestamp(6).toInstant();
                            n[0] = rs.getLong(4);
                            n[2] = first.getEpochSecond() * 1_000_000 + first.getNano() / 1_000;
                            n[3] = rs.getLong(7);
                        } else {
                            n[1] = rs.getLong(5);
                        }
                    }
                }
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        entered.forEach((name, calls) -> nodes.getOrDefault(name, Map.of()).entrySet().stream()
                .filter(n -> n.getValue()[0] > 0)
                .sorted(java.util.Comparator.comparingLong((Map.Entry<String, long[]> n) -> n.getValue()[2])
                        .thenComparingLong(n -> n.getValue()[3]))
                .forEach(n -> rows.add(Reports.funnelRow(name, n.getKey(), n.getValue()[0], n.getValue()[1], calls))));
        return new ReportTable(Reports.FUNNEL_COLUMNS, rows);
    }

    /** The funnel from the period's events read into memory ({@link Reports#funnel}): the reference. */
    public ReportTable funnelInMemory(Instant from, Instant to, String flow) throws SQLException {
        return reports.funnel(reader.events(from, to), flow);
    }

    private static void bindPeriod(PreparedStatement ps, int first, Instant from, Instant to) throws SQLException {
        ps.setDate(first, Date.valueOf(from.atZone(ZoneOffset.UTC).toLocalDate()));
        ps.setDate(first + 1, Date.valueOf(to.atZone(ZoneOffset.UTC).toLocalDate()));
        ps.setTimestamp(first + 2, Timestamp.from(from));
        ps.setTimestamp(first + 3, Timestamp.from(to));
    }

    /** The same report from the period's events read into memory ({@link Reports#flows}): the reference. */
    public ReportTable inMemory(Instant from, Instant to, Intervals intervals, String flow) throws SQLException {
        return reports.flows(reader.events(from, to), from, to, intervals, flow);
    }
}
