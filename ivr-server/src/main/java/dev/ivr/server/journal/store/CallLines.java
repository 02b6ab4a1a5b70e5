package dev.ivr.server.journal.store;

import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.text.SharedStrings;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The journal writer's own copy of each open call's flow events (issue 16, twentieth round): what the flow and funnel
 * summaries ({@link FlowSummary#write}, {@link FunnelSummary#write}) would otherwise read back from
 * {@code journal_events} and {@code journal_nodes} at every batch with a new event of the call (about 50 reads of a
 * growing line per call of the simple flow). Per call id: its CALL_ENTERED, CALL_NODE and CALL_ENDED rows as the
 * database has them (time rounded to the microsecond as H2 stores it, the row's {@code seq}, flow and node cut to the
 * columns, the detail only as far as the summaries tell it apart), in the order of the reads: time, then seq.
 *
 * <p>A line is only kept where it is provably the database's: it is made from the funnel summary's read of the
 * call in the batch that inserted (the database took it) the call's entry (a CALL_ENTERED naming a flow, not a
 * resumption), and from then on each event of the call the database takes in this writer's batches is added with
 * the {@code seq} the batch gave it. Only on the embedded H2 file database (no database URL configured; {@link JdbcJournal}'s
 * {@code soleWriter}), which one server process writes: no other writer can add a row of the call behind this one's
 * back (an H2 server, {@code jdbc:h2:tcp://}, is shared by several servers: read as on PostgreSQL). A line is dropped when the call's
 * CALL_ENDED was written and summarised, when a batch that touched it rolls back ({@link #rolledBack}), when an event
 * cannot be told exactly (no seq known), and by the bounds below; a call without a line (a resumed call, one begun
 * before the process started, a dropped or evicted line, an H2 server, PostgreSQL) is read from the database as
 * before.
 *
 * <p>Bounds: {@link #maxLines} lines (least recently used evicted first), {@link #maxEvents} events in all and
 * {@link #maxLine} in one line, and a line not touched for {@link #maxIdleNanos} is evicted (a call whose end this
 * writer never saw). The defaults (50,000 lines, 500,000 events, 2,000 per line, an hour) hold 10,000 calls in
 * progress with 50 events each; an event costs about 48 bytes (flow and node names shared), so at most about 25 MB.
 *
 * <p>One writer thread uses it (the journal writer's); the methods are synchronized only so that a stray caller
 * cannot break the maps.
 */
final class CallLines {
    static final byte ENTERED = 0;
    static final byte RESUMED = 1;
    static final byte NODE = 2;
    static final byte ENDED = 3;
    static final byte HUNG_UP = 4;
    /** Flow and node names shared at most (a flow's nodes are few; ever-new names only clear them now and then). */
    private static final int MAX_NAMES = 10_000;

    /** One row of a call's line: seq, time in epoch microseconds, the batch that added it, kind, flow, node. */
    record Entry(long seq, long micros, int batch, byte kind, String flow, String node) {
        boolean before(long otherMicros, long otherSeq) {
            return micros < otherMicros || micros == otherMicros && seq < otherSeq;
        }
    }

    /** A call's line and when it was last touched. */
    static final class Line {
        final List<Entry> entries = new ArrayList<>();
        long touched;
    }

    private final int maxLines;
    private final int maxEvents;
    private final int maxLine;
    private final long maxIdleNanos;
    private final LinkedHashMap<String, Line> lines = new LinkedHashMap<>(1024, 0.75f, true);
    private final Set<String> touched = new HashSet<>();
    private final SharedStrings names = new SharedStrings(MAX_NAMES);
    private int events;
    private int batch;
    private long hits;
    private long misses;

    CallLines() {
        this(50_000, 500_000, 2_000, 3_600_000_000_000L);
    }

    CallLines(int maxLines, int maxEvents, int maxLine, long maxIdleNanos) {
        this.maxLines = maxLines;
        this.maxEvents = maxEvents;
        this.maxLine = maxLine;
        this.maxIdleNanos = maxIdleNanos;
    }

    /** Whether the event is a row of a call's line (what the summaries read back). */
    static boolean lineEvent(JournalEvent e) {
        return e.callId() != null && switch (e.type()) {
            case CALL_ENTERED, CALL_NODE, CALL_ENDED -> true;
            default -> false;
        };
    }

    /**
     * The time as H2 keeps it in a {@code timestamp with time zone} (six fractional digits): rounded half up to the
     * microsecond (H2's {@code DateTimeUtils.convertScale}); in epoch microseconds.
     */
    static long micros(Instant at) {
        long nanos = at.getNano();
        return at.getEpochSecond() * 1_000_000 + (nanos + 500) / 1_000;
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
    }

    /** A new batch: the lines not touched for too long are evicted; what the batch adds is stamped with its number. */
    synchronized void begin() {
        batch++;
        touched.clear();
        long now = System.nanoTime();
        for (Iterator<Line> it = lines.values().iterator(); it.hasNext(); ) {
            Line l = it.next(); // least recently used first
            if (now - l.touched <= maxIdleNanos) {
                break;
            }
            events -= l.entries.size();
            it.remove();
        }
    }

    /** The batch committed: its lines stay. */
    synchronized void committed() {
        touched.clear();
    }

    /** The batch rolled back: the lines it touched are dropped (they may hold rows the database does not have). */
    synchronized void rolledBack() {
        touched.forEach(this::drop);
        touched.clear();
    }

    synchronized boolean has(String call) {
        return lines.containsKey(call);
    }

    /** Drops a call's line (its later events are read from the database). */
    synchronized void drop(String call) {
        Line l = lines.remove(call);
        if (l != null) {
            events -= l.entries.size();
        }
    }

    /**
     * Adds a row the database took in this batch ({@code seq} its row number) to the call's line, if it has one. The
     * event's call id, flow, node and detail as {@link JdbcJournal#bind} cuts them.
     */
    synchronized void add(JournalEvent e, long seq) {
        String call = JdbcJournal.cut(e.callId(), 128);
        Line l = lines.get(call);
        if (l == null) {
            return;
        }
        touched.add(call);
        insert(l, entry(seq, micros(e.at()), e.type().name(), JdbcJournal.cut(e.flow(), 200),
                JdbcJournal.cut(e.node(), 200), JdbcJournal.cut(e.detail(), 500)));
        if (l.entries.size() > maxLine) {
            drop(call);
        } else {
            bound();
        }
    }

    /** A row of this batch (type, flow, node and detail as the table has them), with what the summaries tell apart. */
    private Entry entry(long seq, long micros, String type, String flow, String node, String detail) {
        byte kind = switch (type) {
            case "CALL_ENTERED" -> "resumed".equals(detail) ? RESUMED : ENTERED;
            case "CALL_NODE" -> NODE;
            default -> FunnelSummary.HUNG_UP.equals(detail) ? HUNG_UP : ENDED;
        };
        return new Entry(seq, micros, batch, kind, name(flow), kind == NODE || kind == HUNG_UP ? name(node) : null);
    }

    private static void insert(Line l, Entry x) {
        List<Entry> es = l.entries;
        int i = es.size();
        while (i > 0 && !es.get(i - 1).before(x.micros(), x.seq())) {
            i--;
        }
        es.add(i, x);
        l.touched = System.nanoTime();
    }

    /**
     * Makes a call's line from the funnel summary's read of its rows in this batch (the call's entry among them):
     * from now on its rows come from here.
     */
    synchronized void seed(String call, List<FunnelSummary.Ev> read) {
        drop(call);
        if (read.size() > maxLine) {
            return;
        }
        Line l = new Line();
        for (FunnelSummary.Ev e : read) {
            l.entries.add(entry(e.seq(), micros(e.at()), e.type(), e.flow(), e.node(), e.detail()));
        }
        l.touched = System.nanoTime();
        lines.put(call, l);
        events += l.entries.size();
        touched.add(call);
        bound();
    }

    private void bound() {
        for (Iterator<Line> it = lines.values().iterator(); it.hasNext() && (lines.size() > maxLines || events > maxEvents); ) {
            events -= it.next().entries.size();
            it.remove();
        }
    }

    private String name(String s) {
        return names.share(s);
    }

    /**
     * The call's funnel events as {@link FunnelSummary#write} reads them ({@code withBatch}: with this batch's rows,
     * else without them), or null when it has no line.
     */
    synchronized List<FunnelSummary.Ev> funnel(String call, boolean withBatch) {
        return rows(call, withBatch, x -> new FunnelSummary.Ev(x.seq(), null, instant(x.micros()), type(x.kind()),
                x.flow(), x.node(), detail(x.kind())));
    }

    /** The call's flow events as {@link FlowSummary#write} reads them, or null when it has no line. */
    synchronized List<FlowSummary.Flowed> flow(String call) {
        return rows(call, true, x -> new FlowSummary.Flowed(instant(x.micros()), type(x.kind()), x.flow(),
                detail(x.kind())));
    }

    /** The call's line as {@code T}s (without this batch's rows unless {@code withBatch}), or null when it has none. */
    private <T> List<T> rows(String call, boolean withBatch, Function<Entry, T> as) {
        Line l = lines.get(call);
        if (l == null) {
            misses++;
            return null;
        }
        hits++;
        List<T> out = new ArrayList<>(l.entries.size());
        for (Entry x : l.entries) {
            if (withBatch || x.batch() != batch) {
                out.add(as.apply(x));
            }
        }
        return out;
    }

    private static String type(byte kind) {
        return switch (kind) {
            case ENTERED, RESUMED -> "CALL_ENTERED";
            case NODE -> "CALL_NODE";
            default -> "CALL_ENDED";
        };
    }

    /** The detail as far as the summaries tell it apart. */
    private static String detail(byte kind) {
        return switch (kind) {
            case RESUMED -> "resumed";
            case HUNG_UP -> FunnelSummary.HUNG_UP;
            default -> null;
        };
    }

    /** How often a summary found a line (hits) or read from the database (misses); for tests and the benchmark. */
    synchronized long[] counts() {
        return new long[] {hits, misses};
    }

    synchronized int size() {
        return lines.size();
    }
}
