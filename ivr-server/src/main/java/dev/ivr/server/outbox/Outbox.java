package dev.ivr.server.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ivr.server.json.PooledBytes;
import dev.ivr.server.json.PooledJson;
import dev.ivr.server.secrets.PrivateFiles;
import dev.ivr.server.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Records that must reach the database, kept on local disk until it has them. An append-only
 * journal of JSON lines in segment files ({@code <prefix>*.jsonl}), each line forced to disk
 * before {@link #append} returns, so a crash or restart loses nothing ({@link #appendWritten}: written before it
 * returns, forced within {@link #FORCE_WITHIN}, for records nobody is told are kept; {@link #appendAllWritten}: the
 * same, with {@link #awaitForced} to wait for that force later, for a call's last records). {@link #flush} writes the
 * closed segments to a {@link Sink} in the order they were opened (a sequence number in their names, not the wall
 * clock: see {@link SegmentOrder}) and deletes each once all its lines are written; the
 * sink must be idempotent on the record's key, since a segment cut short by a failure is replayed
 * whole next time. Lines the sink rejects for good (bad data, not an outage) go to
 * {@code rejected.jsonl} for a person to look at. A segment this process wrote without a failure is handed to the
 * sink from the records it kept in memory as they were appended (the same records, in the same order, as its lines:
 * no reading back and parsing of the file; up to {@link #HELD_IN_MEMORY} records in all, the rest read back from
 * their files as those of a previous run are). Used for the contact history
 * ({@code crm.outbox.InteractionOutbox}) and the event journal ({@code journal.store}).
 *
 * @param <T> the record type (a Jackson-readable record)
 */
public class Outbox<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final String SUFFIX = ".jsonl";

    /** Where flushed records go one by one: the database. Must ignore a key it already has. */
    @FunctionalInterface
    public interface Sink<T> {
        /**
         * @throws Rejected when this record can never be written (it is set aside)
         * @throws Exception anything else: the database is not there; try again later
         */
        void write(T item) throws Exception;
    }

    /** Where flushed records go by batches (one transaction each). Must ignore keys it already has. */
    @FunctionalInterface
    public interface BatchSink<T> {
        /**
         * @throws Rejected when some record of the batch can never be written (the batch is then written
         *                  one by one, and the records refused alone are set aside)
         * @throws Exception anything else: the database is not there; try again later
         */
        void write(List<T> batch) throws Exception;
    }

    /** The sink will never accept this record (invalid data, not an outage). */
    public static class Rejected extends Exception {
        public Rejected(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Buffers from a pool shared by all threads: Jackson's default pool is per thread, and appends run on the calls'
     * virtual threads, each new, so every call allocated the generator's buffers (about 10 KB) afresh.
     */
    private static final ObjectMapper JSON = new ObjectMapper(PooledJson.factory())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;
    private final String prefix;
    private final Class<T> type;
    private final Function<T, String> callIdOf;
    private final String what;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ReentrantLock flushLock = new ReentrantLock();
    private final AtomicInteger pending = new AtomicInteger();
    private final ReentrantLock forceLock = new ReentrantLock();
    /** Held by those waiting in {@link #awaitForced} (counted in {@link #waiters}), signalled as the forced mark moves. */
    private final ReentrantLock forcedLock = new ReentrantLock();
    private final java.util.concurrent.locks.Condition forcedMoved = forcedLock.newCondition();
    private final AtomicInteger waiters = new AtomicInteger();
    /**
     * Records kept in memory at most, over every segment (see {@link #held}): 2,000 journal events a second are
     * about 500 per flush; an outbox whose database is away keeps this many and then reads its files, as after a
     * restart.
     */
    public static final int HELD_IN_MEMORY = 20_000;
    /** The records of segments this process closed cleanly, by file, until each is written and deleted. */
    private final java.util.Map<Path, List<T>> held = new java.util.concurrent.ConcurrentHashMap<>();
    /** Records in memory now: in {@link #held} and in the open segment's list. */
    private final AtomicInteger heldCount = new AtomicInteger();
    /**
     * Bytes written to the segments since start (under the append lock), and below which mark every byte is either
     * forced or in a segment whose force failed ({@link #failed}: an append whose line is there throws).
     */
    private long written;
    private final java.util.concurrent.atomic.AtomicLong forced = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong forces = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong forceFailures = new java.util.concurrent.atomic.AtomicLong();
    /** A thread waits to force what {@link #appendWritten} wrote. */
    private final java.util.concurrent.atomic.AtomicBoolean forceScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    /** How long the background force waits next: {@link #FORCE_WITHIN}, doubled after each failure (up to 5 s). */
    private volatile long forceDelayNanos = FORCE_WITHIN.toNanos();
    private static final long MAX_FORCE_DELAY_NANOS = java.time.Duration.ofSeconds(5).toNanos();
    /** Segments whose force failed, with the bytes of them never known forced (published before {@link #forced}). */
    private final List<Segment<T>> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Forcer forcer;
    private Segment<T> current;
    /** The next segment's number: one more than the highest of the segments in the directory, looked at as each opens. */
    private long sequence;
    private final Clock clock;

    /**
     * Opens (creating if needed) the outbox in {@code dir}; segments left by a previous run are pending.
     *
     * @param prefix   the segment files' prefix, e.g. {@code interactions-}
     * @param callIdOf the call a record belongs to (logged with its line when it is written), or null
     * @param what     what the records are, plural, for the logs
     */
    public Outbox(Path dir, String prefix, Class<T> type, Function<T, String> callIdOf, String what) {
        this(dir, prefix, type, callIdOf, what, Clock.systemUTC());
    }

    /**
     * As {@link #Outbox(Path, String, Class, Function, String)}, with the clock whose time goes into the segments'
     * names (as information only: their order is their sequence number, see {@link SegmentOrder}).
     */
    public Outbox(Path dir, String prefix, Class<T> type, Function<T, String> callIdOf, String what, Clock clock) {
        this(dir, prefix, type, callIdOf, what, clock, channel -> channel.force(false));
    }

    /** How a segment is forced to its device (a test makes it fail, as a failing device does). */
    @FunctionalInterface
    interface Forcer {
        void force(FileChannel channel) throws IOException;
    }

    /** One segment file being (or having been) appended to; {@code end} is set when it is closed (append lock). */
    private static final class Segment<T> {
        final FileChannel channel;
        final Path path;
        /** The count of bytes appended since start when it was opened, and when it was closed (-1 while open). */
        final long start;
        volatile long end = -1;
        /**
         * The bytes in its file (under the append lock): it was created empty and only this outbox appends to it, so
         * this is what {@code channel.size()} would answer, without a system call per append (carr25).
         */
        long size;
        /** Set when a force of it failed: the bytes after this mark (up to {@code end}) are not known forced. */
        volatile long unforcedFrom = Long.MAX_VALUE;
        /**
         * The records of its lines, in their order (under the append lock), while all of them are kept: null once a
         * write or force of it failed (its file is read back) or the outbox holds {@link #HELD_IN_MEMORY} already.
         */
        List<T> items = new ArrayList<>();

        Segment(FileChannel channel, Path path, long start) {
            this.channel = channel;
            this.path = path;
            this.start = start;
        }
    }

    Outbox(Path dir, String prefix, Class<T> type, Function<T, String> callIdOf, String what, Clock clock, Forcer forcer) {
        this.forcer = forcer;
        this.clock = clock;
        this.dir = dir;
        this.prefix = prefix;
        this.type = type;
        this.callIdOf = callIdOf;
        this.what = what;
        try {
            PrivateFiles.directory(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    PrivateFiles.file(f); // written by a version that left them readable
                }
            }
            int left = 0;
            for (Path p : segmentFiles()) {
                left += lines(p).size();
                sequence = Math.max(sequence, sequenceOf(prefix, p.getFileName().toString()) + 1);
            }
            pending.set(left);
            if (left > 0) {
                LOG.warn("{} {} from a previous run are waiting in {} for the database", left, what, dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the outbox of " + what + " " + dir, e);
        }
    }

    /**
     * Appends one record durably: when this returns, the line is on the device (forced).
     * When the write throws, the outbox holds nothing of it: a line cut short by a full disk is cut
     * off again, so the next line does not land glued to it.
     *
     * <p>Appends of many calls share their forces (group commit): each writes its line under the
     * append lock, then one force makes every line written so far durable, and an append whose line
     * a force that started after its write already covered returns without forcing again. A busy
     * server forces once for many lines instead of once per line, each call waiting behind the
     * others'. When the force fails, the append throws and its line may still be on disk: the sinks
     * ignore a key they already have, so a record kept elsewhere for a retry is not written twice.
     */
    public void append(T item) throws IOException {
        PooledBytes out = PooledBytes.take();
        try {
            addLine(out, item);
            append(out.bytes(), out.size(), List.of(item));
        } finally {
            out.giveBack();
        }
    }

    /**
     * Appends one record without waiting for its force: when this returns, the line is written to the segment (in the
     * operating system's cache: a server process killed from here on loses nothing), and it is forced to the device by
     * the next force of any append (each forces the whole segment: a record appended later is never durable before
     * this one), by the sealing of its segment (a flush), by {@link #close}, or by a thread of the outbox's own about
     * {@link #FORCE_WITHIN} after this returns, plus the time the device takes to flush. What it does not survive until
     * then is the machine itself stopping (power, kernel). When that force fails, the segment is closed (on Linux a
     * later force of the same file would not prove these bytes reached the device), its lines stay for the flusher,
     * the failure is logged with the count of bytes not known forced and counted ({@link #forceFailures}), and the
     * next lines go to a new segment. For a record nobody is told is kept (a call's first journal event), so that a call
     * does not wait for a device's flush before it goes on; a failure to write it throws, as {@link #append} does.
     */
    public void appendWritten(T item) throws IOException {
        appendAllWritten(List.of(item));
    }

    /**
     * About how long a line of {@link #appendWritten} waits for a force that some append would have made anyway (then
     * the force itself takes the device's flush time; after a failed force, the next waits longer, up to 5 s).
     */
    public static final java.time.Duration FORCE_WITHIN = java.time.Duration.ofMillis(50);

    /** Starts the thread that forces what {@link #appendWritten} wrote, unless one is already waiting to. */
    private void forceSoon(long mark) {
        if (forced.get() >= mark || !forceScheduled.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("outbox-force").start(() -> {
            java.util.concurrent.locks.LockSupport.parkNanos(forceDelayNanos);
            forceScheduled.set(false);
            forceWritten();
        });
    }

    /**
     * Forces everything written so far, unless a force since covered it (then no system call at all). What
     * {@link #appendWritten} relies on. When the force fails, its segment is failed (closed, its unforced bytes
     * logged and counted, see {@link #appendWritten}), and another force is scheduled, later each time, for what is
     * written meanwhile.
     */
    public void forceWritten() {
        Written<T> now = soFar();
        Segment<T> segment = now.segment();
        long target = now.mark();
        if (segment == null || forced.get() >= target) {
            return; // sealed (which forced it or failed it) or forced meanwhile
        }
        try {
            forceUpTo(segment, target);
            forceDelayNanos = FORCE_WITHIN.toNanos();
        } catch (IOException e) {
            forceDelayNanos = Math.min(MAX_FORCE_DELAY_NANOS, forceDelayNanos * 2);
            forceSoon(soFar().mark()); // what was written since, to a new segment (nothing when nothing was)
        }
    }

    /** How many times the segments were forced to the device since the outbox was opened (for tests and probes). */
    public long forces() {
        return forces.get();
    }

    /** How many forces failed since the outbox was opened (each failed its segment: see {@link #appendWritten}). */
    public long forceFailures() {
        return forceFailures.get();
    }

    /**
     * Bytes written to segments whose force failed, after their last successful force: lines on disk (the flusher
     * takes them) not known to be on the device. Never counted as forced.
     */
    public long bytesNotForced() {
        long n = 0;
        for (Segment<T> s : failed) {
            n += s.end - s.unforcedFrom;
        }
        return n;
    }

    /**
     * Appends several records durably, in this order, with one write and one force (as {@link #append} does for one):
     * when this returns, all of them are on the device; when it throws, none is kept (a partial write is cut off),
     * unless the force alone failed, which leaves them written (as {@link #append} says). The records of one call
     * that can wait for each other (a call's node events with its next event) cost one append instead of many.
     */
    public void appendAll(List<T> items) throws IOException {
        if (items.isEmpty()) {
            return;
        }
        PooledBytes out = PooledBytes.take();
        try {
            for (T item : items) {
                addLine(out, item);
            }
            append(out.bytes(), out.size(), items);
        } finally {
            out.giveBack();
        }
    }

    /**
     * Lines written by {@link #appendAllWritten} and not yet known forced: {@link #awaitForced} waits for them.
     */
    public static final class Unforced {
        private final Written<?> at;

        private Unforced(Written<?> at) {
            this.at = at;
        }
    }

    /**
     * Writes several records as {@link #appendAll} does (one write, in this order; when it throws, none is kept), but
     * returns without waiting for their force: when this returns, the lines are in the segment (in the operating
     * system's cache: a server process killed from here on loses nothing), and they are forced by the next force of
     * any append, by the sealing of their segment, by {@link #close}, or by the outbox's own thread about
     * {@link #FORCE_WITHIN} later, as {@link #appendWritten}'s. {@link #awaitForced} with the result waits for that
     * force and says whether it succeeded, so that the one who appended can wait where a wait costs nobody (a call's
     * end: after its connection to the PBX is closed), and the calls ending within those milliseconds share one force
     * instead of one each.
     */
    public Unforced appendAllWritten(List<T> items) throws IOException {
        Written<T> w;
        PooledBytes out = PooledBytes.take();
        try {
            for (T item : items) {
                addLine(out, item);
            }
            w = write(out.bytes(), out.size(), items);
        } finally {
            out.giveBack();
        }
        forceSoon(w.mark());
        return new Unforced(w);
    }

    /**
     * Waits until the lines of {@code lines} are forced to the device, by whichever force covers them first (this
     * thread forces nothing itself unless interrupted); throws as {@link #append} does when that force failed (the
     * lines are still in their segment for the flusher, not known to be on the device).
     */
    public void awaitForced(Unforced unforced) throws IOException {
        Written<?> lines = unforced.at;
        if (forced.get() < lines.mark()) {
            waiters.incrementAndGet();
            forcedLock.lock();
            try {
                while (forced.get() < lines.mark()) {
                    forceSoon(lines.mark()); // scheduled when written; again in case a failed force delayed the next
                    forcedMoved.await(1, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // not waiting any more: forced here (shared as any append's)
            } finally {
                forcedLock.unlock();
                waiters.decrementAndGet();
            }
            if (forced.get() < lines.mark()) {
                @SuppressWarnings("unchecked")
                Segment<T> mine = (Segment<T>) lines.segment();
                forceUpTo(mine, lines.mark());
                return;
            }
        }
        checkForced(lines.segment(), lines.mark());
    }

    /** Moves the forced mark up to {@code mark} (a force succeeded, or failed its segment) and wakes those waiting. */
    private void forcedTo(long mark) {
        forced.accumulateAndGet(mark, Math::max);
        if (waiters.get() > 0) { // read after the mark moved; a waiter counts itself before it looks at the mark
            forcedLock.lock();
            try {
                forcedMoved.signalAll();
            } finally {
                forcedLock.unlock();
            }
        }
    }

    /**
     * Records as JSON lines (UTF-8), encoded straight into a pooled buffer: no copy per record, none for the write.
     */
    private static void addLine(PooledBytes out, Object item) throws IOException {
        JSON.writeValue(out, item); // closing the stream (Jackson's default) does nothing
        out.write('\n');
    }

    /**
     * Appends the lines of {@code items} (each ending in a newline), the first {@code length} bytes of {@code line},
     * with one write and one shared force.
     */
    private void append(byte[] line, int length, List<T> items) throws IOException {
        Written<T> w = write(line, length, items);
        forceUpTo(w.segment(), w.mark());
    }

    /** Where a write went: its segment, and the count of bytes appended since start once it was written. */
    private record Written<T>(Segment<T> segment, long mark) {
    }

    /** Writes the lines of {@code items} with one write, not forced (see {@link #append(byte[], int, List)}). */
    private Written<T> write(byte[] line, int length, List<T> items) throws IOException {
        int count = items.size();
        long mine;
        Segment<T> segment;
        appendLock.lock();
        try {
            while (current == null) {
                // a number no segment in the directory has (another outbox on this directory and prefix, which the
                // data directory's lock keeps out, or a file put there by hand): the highest there, plus one.
                // CREATE_NEW alone would not see it, the wall clock being part of the name.
                sequence = Math.max(sequence, highestSequence() + 1);
                Path path = dir.resolve(segmentName(prefix, sequence++, clock.millis()));
                try {
                    current = new Segment<>(FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE, StandardOpenOption.APPEND), PrivateFiles.fileAttributes(path)),
                            path, written);
                    forceDirectory();
                } catch (FileAlreadyExistsException e) {
                    // created since we looked: the next number names this one
                }
            }
            long start = current.size;
            try {
                ByteBuffer buf = ByteBuffer.wrap(line, 0, length);
                while (buf.hasRemaining()) {
                    current.channel.write(buf);
                }
            } catch (IOException e) {
                cutBack(start);
                throw e;
            }
            current.size = start + length;
            written += length;
            mine = written;
            segment = current;
            keep(segment, items);
            pending.addAndGet(count); // the lines are in the segment: a flush takes them, even if a force fails
        } finally {
            appendLock.unlock();
        }
        return new Written<>(segment, mine);
    }

    /** Keeps the records just written to {@code segment} with it, while it keeps them all (append lock). */
    private void keep(Segment<T> segment, List<T> items) {
        if (segment.items == null) {
            return;
        }
        if (heldCount.addAndGet(items.size()) > HELD_IN_MEMORY) {
            heldCount.addAndGet(-items.size());
            forget(segment); // its file is read back when flushed
            return;
        }
        segment.items.addAll(items);
    }

    /** The segment's records are no longer kept in memory (append lock): its file is read back when flushed. */
    private void forget(Segment<T> segment) {
        if (segment.items != null) {
            heldCount.addAndGet(-segment.items.size());
            segment.items = null;
        }
    }

    /** The records {@link #held} for the segment file {@code path} are let go (written, or to be read back from it). */
    private void release(Path path) {
        List<T> kept = held.remove(path);
        if (kept != null) {
            heldCount.addAndGet(-kept.size());
        }
    }

    /** The segment was closed with every line written and forced: its records go to {@link #held} (append lock). */
    private void hold(Segment<T> segment) {
        if (segment.items != null) {
            held.put(segment.path, segment.items);
            segment.items = null;
        }
    }

    /** The highest sequence number of the segments in the directory, or -1. */
    private long highestSequence() throws IOException {
        long highest = -1;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                highest = Math.max(highest, sequenceOf(prefix, p.getFileName().toString()));
            }
        }
        return highest;
    }

    /**
     * Makes every byte appended up to {@code mark} (a count over all segments) durable, sharing the
     * force with the appends around it. {@code mine} is the segment the line went to. Throws when that segment's
     * force failed after the line was written (by this force or another), even if a later one succeeded.
     */
    private void forceUpTo(Segment<T> mine, long mark) throws IOException {
        if (forced.get() >= mark) {
            checkForced(mine, mark);
            return;
        }
        forceLock.lock();
        try {
            if (forced.get() >= mark) {
                checkForced(mine, mark); // a force that started after our write covered it, or failed it
                return;
            }
            Written<T> now = soFar();
            Segment<T> segment = now.segment();
            long target = now.mark();
            if (segment == mine) {
                long before = forced.get();
                try {
                    forcer.force(segment.channel);
                    forces.incrementAndGet();
                    forcedTo(target);
                    checkForced(mine, mark); // a seal that failed while this force ran
                    return;
                } catch (java.nio.channels.ClosedChannelException e) {
                    // sealed meanwhile: sealing forces first, or fails the segment (below)
                } catch (IOException e) {
                    appendLock.lock();
                    try {
                        fail(segment, before, e);
                    } finally {
                        appendLock.unlock();
                    }
                    throw e;
                }
            }
            // our segment was closed after our write: sealing forced it first, which forced says, or failed it
            if (forced.get() < mark) {
                throw new IOException("the outbox segment was closed before its line was forced");
            }
            checkForced(mine, mark);
        } finally {
            forceLock.unlock();
        }
    }

    /** The segment appended to (null when sealed) and the bytes written to the segments so far, read together. */
    private Written<T> soFar() {
        appendLock.lock();
        try {
            return new Written<>(current, written);
        } finally {
            appendLock.unlock();
        }
    }

    /** Throws when the byte at {@code mark} of {@code segment} is in its part a failed force left unforced. */
    private static void checkForced(Segment<?> segment, long mark) throws IOException {
        if (mark > segment.unforcedFrom) {
            throw new IOException("the force of outbox segment " + segment.path.getFileName() + " failed");
        }
    }

    /**
     * A force of {@code segment} failed (under the append lock): it is closed if it is the one appended to (the next
     * append opens another), the bytes written to it after {@code forcedBefore} (the mark forced when that force
     * started) are never counted as forced, and every append waiting for them throws. Its lines stay for the flusher.
     */
    private void fail(Segment<T> segment, long forcedBefore, IOException cause) {
        forget(segment);
        release(segment.path);
        if (segment == current) {
            segment.end = written;
            try {
                segment.channel.close();
            } catch (IOException e) {
                // closing anyway
            }
            current = null;
        }
        long from = Math.max(forcedBefore, segment.start);
        long notForced = Math.max(0, segment.end - from);
        if (from < segment.unforcedFrom) {
            segment.unforcedFrom = from; // before forced moves past it: a waiter that sees forced sees this
        }
        if (!failed.contains(segment)) {
            failed.add(segment);
        }
        forceFailures.incrementAndGet(); // before forced moves: a waiter woken by it that throws sees the count
        forcedTo(segment.end);
        LOG.error("cannot force the outbox segment {} of {}: {}; {} byte(s) written to it since its last force are not"
                + " known to be on the device (its lines stay for the database; the appends waiting for them fail);"
                + " the next records go to a new segment", segment.path, what, cause.toString(), notForced);
    }

    /** The segment being appended to is closed: everything written so far is forced first (under the append lock). */
    private void forceAndClose() throws IOException {
        Segment<T> segment = current;
        segment.end = written;
        long before = forced.get();
        try {
            forcer.force(segment.channel);
            forces.incrementAndGet();
            forcedTo(segment.end);
            if (segment.unforcedFrom == Long.MAX_VALUE) {
                hold(segment);
            }
        } catch (IOException e) {
            fail(segment, before, e);
            throw e;
        } finally {
            if (current == segment) {
                current = null;
                segment.channel.close();
            }
        }
    }

    /** Takes off what a failed append wrote; if even that fails, leaves the segment for a new one. */
    private void cutBack(long size) {
        forget(current); // what the file holds now is read back from it
        try {
            current.channel.truncate(size);
        } catch (IOException e) {
            LOG.error("cannot cut a failed write off {}: {}; starting a new segment", current.path, e.toString());
            abandonSegment();
            return;
        }
        long before = forced.get();
        try {
            forcer.force(current.channel);
        } catch (IOException e) {
            fail(current, before, e);
        }
    }

    /** Closes the segment being written (what it holds stays for the flusher); the next append starts another. */
    private void abandonSegment() {
        if (current == null) {
            return;
        }
        try {
            forceAndClose(); // what other appends wrote there before (the device is failing: may fail the segment)
        } catch (IOException e) {
            // said by fail
        }
    }

    /** Records not yet confirmed written to the sink. */
    public int pending() {
        return pending.get();
    }

    /**
     * Writes every pending record to the sink, oldest first. Stops at the first failure
     * (the rest stays for the next flush).
     *
     * @return true when nothing is pending any more
     */
    public boolean flush(Sink<T> sink) {
        return flush(batch -> {
            for (T item : batch) {
                sink.write(item);
            }
        }, 1);
    }

    /**
     * Writes every pending record to the sink in batches of up to {@code batchSize}, oldest first. Stops at the
     * first failure (the rest stays for the next flush; a segment is deleted only once all its lines are written).
     *
     * @return true when nothing is pending any more
     */
    public boolean flush(BatchSink<T> sink, int batchSize) {
        flushLock.lock();
        try {
            seal();
            for (Path segment : segments()) {
                List<T> kept = held.get(segment);
                List<Line<T>> items;
                int count;
                if (kept != null) { // written by this process without a failure: its records, as appended
                    items = new ArrayList<>(kept.size());
                    for (T item : kept) {
                        items.add(new Line<>(null, item));
                    }
                    count = kept.size();
                } else {
                    List<String> lines = lines(segment);
                    items = new ArrayList<>(lines.size());
                    for (String line : lines) {
                        try {
                            items.add(new Line<>(line, JSON.readValue(line, type)));
                        } catch (JsonProcessingException e) {
                            setAside(line, "unreadable line in " + segment.getFileName() + ": " + e.getOriginalMessage());
                        }
                    }
                    count = lines.size();
                }
                for (int from = 0; from < items.size(); from += batchSize) {
                    if (!write(sink, items.subList(from, Math.min(items.size(), from + batchSize)))) {
                        return false;
                    }
                }
                Files.delete(segment);
                release(segment);
                pending.addAndGet(-count);
            }
            return pending.get() == 0;
        } catch (IOException e) {
            LOG.error("cannot read the outbox of {} {}: {}", what, dir, e.toString());
            return false;
        } finally {
            flushLock.unlock();
        }
    }

    /** A record to write, with its line as read from the file (null: kept in memory; its JSON is made if set aside). */
    private record Line<T>(String text, T item) {
    }

    /** One batch; on a rejection, its records one by one. False when the sink is not there. */
    private boolean write(BatchSink<T> sink, List<Line<T>> batch) {
        String previous = MDC.get("call");
        try {
            if (batch.size() == 1 && callIdOf != null) {
                MDC.put("call", LogText.callId(callIdOf.apply(batch.get(0).item())));
            }
            sink.write(batch.stream().map(Line::item).toList());
            return true;
        } catch (Rejected e) {
            if (batch.size() == 1) {
                Line<T> one = batch.get(0);
                if (one.text() == null) {
                    reject(one.item(), e.getMessage());
                } else {
                    setAside(one.text(), e.getMessage());
                }
                return true;
            }
            for (Line<T> one : batch) {
                if (!write(sink, List.of(one))) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            LOG.debug("outbox flush stopped: {}", e.toString());
            return false;
        } finally {
            restore(previous);
        }
    }

    /** Keeps a record the sink refused for good in {@code rejected.jsonl}, and says so. */
    public void reject(T item, String why) {
        try {
            setAside(JSON.writeValueAsString(item), why);
        } catch (JsonProcessingException e) {
            LOG.error("cannot keep a rejected record of {}: {}", what, e.getOriginalMessage());
        }
    }

    private void setAside(String line, String why) {
        Path rejected = dir.resolve("rejected.jsonl");
        try {
            try (SeekableByteChannel ch = Files.newByteChannel(rejected, Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND, StandardOpenOption.SYNC),
                    PrivateFiles.fileAttributes(rejected))) {
                ByteBuffer buf = ByteBuffer.wrap((line.strip() + "\n").getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            LOG.error("a record of {} set aside in {}: {}", what, rejected, why);
        } catch (IOException e) {
            LOG.error("cannot write {}: {} (record refused: {})", rejected, e.toString(), why);
        }
    }

    /** Closes the segment being appended to, so that a flush can take it. */
    private void seal() throws IOException {
        appendLock.lock();
        try {
            if (current != null) {
                forceAndClose();
            }
        } finally {
            appendLock.unlock();
        }
    }

    /** The closed segments, oldest first (see {@link SegmentOrder}). */
    private List<Path> segments() throws IOException {
        List<Path> files = segmentFiles();
        Path open; // read after listing: a segment listed is either this one or closed
        appendLock.lock();
        try {
            open = current == null ? null : current.path;
        } finally {
            appendLock.unlock();
        }
        return files.stream().filter(p -> !p.equals(open)).toList();
    }

    /** Every segment file in the directory, oldest first. */
    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(SUFFIX);
            }).sorted(new SegmentOrder(prefix)).toList();
        }
    }

    /**
     * A segment's name: the prefix, {@code s}, its sequence number in the directory (12 digits or more), {@code -},
     * the wall clock when it was opened (for a person reading the directory; never used to order), {@code .jsonl}.
     */
    static String segmentName(String prefix, long sequence, long wallClockMillis) {
        return prefix + String.format(java.util.Locale.ROOT, "s%012d-%d", sequence, Math.max(0, wallClockMillis)) + SUFFIX;
    }

    /**
     * The order segments are written to the sink in, the order they were opened: first the segments named by
     * versions before the sequence ({@code <prefix><wall clock ms>-<nnnnnn>.jsonl}), by their clock then their
     * number as they always were (they are all older than any segment named by this version: a server upgraded with
     * records waiting writes those first); then those named by {@link #segmentName}, by their sequence number alone,
     * whatever the wall clock said (set back between two segments, it used to put the newer one first). A name of
     * neither form (not made by an outbox) goes between the two, by name.
     */
    static final class SegmentOrder implements java.util.Comparator<Path> {
        private final String prefix;

        SegmentOrder(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public int compare(Path a, Path b) {
            Key x = key(a.getFileName().toString());
            Key y = key(b.getFileName().toString());
            int c = x.rank != y.rank ? Integer.compare(x.rank, y.rank)
                    : x.first != y.first ? Long.compare(x.first, y.first)
                    : Long.compare(x.second, y.second);
            return c != 0 ? c : x.name.compareTo(y.name);
        }

        /** Old names first (rank 0, by clock and number), then names of neither form (1), then sequenced ones (2). */
        private Key key(String name) {
            long seq = sequenceOf(prefix, name);
            if (seq >= 0) {
                return new Key(2, seq, 0, name);
            }
            long[] old = oldName(prefix, name);
            return old == null ? new Key(1, 0, 0, name) : new Key(0, old[0], old[1], name);
        }

        private record Key(int rank, long first, long second, String name) {
        }
    }

    /** The sequence number of a segment named by {@link #segmentName}, or -1 for any other name. */
    static long sequenceOf(String prefix, String name) {
        if (!name.startsWith(prefix + "s") || !name.endsWith(SUFFIX)) {
            return -1;
        }
        String rest = name.substring(prefix.length() + 1, name.length() - SUFFIX.length());
        int dash = digitPair(rest);
        return dash < 0 ? -1 : Long.parseLong(rest, 0, dash, 10);
    }

    /** The wall clock and number of a segment named by an earlier version ({@code <ms>-<n>}), or null. */
    private static long[] oldName(String prefix, String name) {
        String rest = name.substring(prefix.length(), name.length() - SUFFIX.length());
        int dash = digitPair(rest);
        if (dash < 0 || rest.length() - dash - 1 > 18) {
            return null;
        }
        return new long[]{Long.parseLong(rest, 0, dash, 10), Long.parseLong(rest, dash + 1, rest.length(), 10)};
    }

    /** Where the dash is in {@code <digits>-<digits>} (at most 18 digits before it, to fit a long), or -1. */
    private static int digitPair(String s) {
        int dash = s.indexOf('-');
        return dash > 0 && dash <= 18 && digits(s, 0, dash) && digits(s, dash + 1, s.length()) ? dash : -1;
    }

    private static boolean digits(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The complete lines of a segment; a torn last line (a crash mid-write) is set aside. */
    private List<String> lines(Path segment) throws IOException {
        String text = Files.readString(segment, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
            String line = text.substring(start, nl);
            if (!line.isBlank()) {
                out.add(line);
            }
            start = nl + 1;
        }
        if (start < text.length() && !text.substring(start).isBlank()) {
            out.add(text.substring(start)); // unreadable JSON is set aside when flushed
        }
        return out;
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can sync a directory; the file itself is forced
        }
    }

    private static void restore(String previous) {
        if (previous == null) {
            MDC.remove("call");
        } else {
            MDC.put("call", previous);
        }
    }

    @Override
    public void close() {
        appendLock.lock();
        try {
            if (current != null) {
                forceAndClose();
            }
        } catch (IOException e) {
            LOG.warn("closing the outbox: {}", e.toString());
        } finally {
            appendLock.unlock();
        }
    }

    /** The JSON form used in the segments (also handy for tools). */
    public static ObjectMapper json() {
        return JSON;
    }
}
