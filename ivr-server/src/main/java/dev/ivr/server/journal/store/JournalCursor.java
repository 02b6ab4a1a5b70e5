package dev.ivr.server.journal.store;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads the journal's new rows by sequence number, each once. Every read starts {@link #OVERLAP} numbers before the
 * highest number read so far, because the transactions of two servers commit out of sequence order (a row numbered
 * below one already read can appear later), and the numbers read in that range are remembered, so that no row is
 * returned twice. A row that commits more than {@link #OVERLAP} numbers late is not seen. One reader's: not for
 * several threads at once.
 */
public final class JournalCursor {
    /** How far back each read starts: more rows than several servers' transactions in flight together hold. */
    public static final long OVERLAP = 1000;

    private final JournalReader reader;
    private final boolean nodeEvents;
    private long highest;
    /** The numbers read that a next read can meet again (above {@code highest - OVERLAP}). */
    private final TreeSet<Long> readNear = new TreeSet<>();

    public JournalCursor(JournalReader reader) {
        this(reader, true);
    }

    /**
     * A cursor over every row ({@code nodeEvents}) or over those of {@code journal_events} only (no node event: the
     * live KPIs, which never read them). Both tables take their numbers from one sequence, so the overlap covers the
     * same transactions either way; without node rows the highest number read is lower, never higher, and each read
     * starts no later than it would with them.
     */
    public JournalCursor(JournalReader reader, boolean nodeEvents) {
        this.reader = reader;
        this.nodeEvents = nodeEvents;
    }

    /** The rows not returned before (of those that happened at or after {@code since}), in sequence order. */
    public List<JournalReader.Row> next(Instant since) throws SQLException {
        List<JournalReader.Row> rows = reader.after(Math.max(0, highest - OVERLAP), since, nodeEvents);
        rows.removeIf(r -> {
            if (!readNear.add(r.seq())) {
                return true; // returned by an earlier read
            }
            highest = Math.max(highest, r.seq());
            if (readNear.size() > 2 * OVERLAP) { // a first read of a busy period: keep only the numbers near the top
                readNear.headSet(highest - OVERLAP, true).clear();
            }
            return false;
        });
        readNear.headSet(highest - OVERLAP, true).clear();
        return rows;
    }

    /** Forgets what was read: the next read starts from the journal's first row. */
    public void reset() {
        highest = 0;
        readNear.clear();
    }
}
