package dev.ivr.server.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.ivr.testsupport.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
    record Item(String id, int n) {
    }

    @TempDir
    Path dir;

    private Outbox<Item> open() {
        return new Outbox<>(dir, "items-", Item.class, Item::id, "item(s)");
    }

    @Test
    void batchesAreWrittenInOrderAndARejectedRecordIsSetAsideAlone() throws IOException {
        List<List<Item>> batches = new ArrayList<>();
        List<Item> written = new ArrayList<>();
        try (Outbox<Item> box = open()) {
            for (int i = 0; i < 7; i++) {
                box.append(new Item("c" + i, i));
            }
            boolean done = box.flush(batch -> {
                if (batch.stream().anyMatch(it -> it.n() == 4)) {
                    throw new Outbox.Rejected("bad item", null);
                }
                batches.add(batch);
                written.addAll(batch);
            }, 3);
            assertThat(done).isTrue();
            assertThat(box.pending()).isZero();
        }
        assertThat(written).extracting(Item::n).containsExactly(0, 1, 2, 3, 5, 6);
        assertThat(batches.get(0)).hasSize(3);
        assertThat(Files.readString(dir.resolve("rejected.jsonl"))).contains("\"c4\"").doesNotContain("\"c3\"");
    }

    private Outbox<Item> open(Clock clock) {
        return new Outbox<>(dir, "items-", Item.class, Item::id, "item(s)", clock);
    }

    /** Seals the segment being written (a flush the database refuses) so that the next append starts another. */
    private static void sealRefused(Outbox<Item> box) {
        assertThat(box.flush(batch -> {
            throw new IOException("database down");
        }, 10)).isFalse();
    }

    /**
     * Segments used to be named by the wall clock first: a clock set back (by hand, by NTP stepping it) between two
     * segments ordered the newer before the older, and the flush wrote a call's later records first. Their order is
     * now their sequence number, carried over a restart from the names in the directory.
     */
    @Test
    void aClockSetBackDoesNotReorderTheSegments() throws IOException {
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(1_800_000_000_000L));
        try (Outbox<Item> box = open(clock)) {
            box.append(new Item("a", 1));
            sealRefused(box);
            clock.advance(Duration.ofMillis(-3_600_000)); // an hour back
            box.append(new Item("b", 2));
            sealRefused(box);
            clock.advance(Duration.ofMillis(-86_400_000)); // a day back, and restarted
        }
        try (Outbox<Item> box = open(clock)) {
            box.append(new Item("c", 3));
            sealRefused(box);
            clock.advance(Duration.ofMillis(-clock.millis())); // as far back as it goes
            box.append(new Item("d", 4));
            assertThat(box.pending()).isEqualTo(4);
            List<Item> written = new ArrayList<>();
            assertThat(box.flush(written::addAll, 1)).isTrue();
            assertThat(written).extracting(Item::id).containsExactly("a", "b", "c", "d");
        }
        try (var files = Files.list(dir)) {
            assertThat(files).as("every segment written and deleted").isEmpty();
        }
    }

    /**
     * A server upgraded with records waiting in segments of the old naming ({@code <ms>-<n>}, ordered by the clock and
     * then the number, whatever the number of digits) writes those first, in their old order, then its own, even when
     * its clock is behind theirs; the new segments' numbers start where the directory's highest left off.
     */
    @Test
    void segmentsOfTheOldNamingAreWrittenFirstInTheirOrder() throws IOException {
        Files.writeString(dir.resolve("items-1733400000000-000001.jsonl"), line("old-3"));
        Files.writeString(dir.resolve("items-1733400000000-000000.jsonl"), line("old-2"));
        Files.writeString(dir.resolve("items-999-000007.jsonl"), line("old-1")); // fewer digits: still older
        Files.writeString(dir.resolve("items-1733400000001-000000.jsonl"), line("old-4") + line("old-5"));
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(1_000)); // behind every old segment
        try (Outbox<Item> box = open(clock)) {
            assertThat(box.pending()).isEqualTo(5);
            box.append(new Item("new-1", 1));
            sealRefused(box);
            box.append(new Item("new-2", 2));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("items-s")).sorted())
                    .containsExactly("items-s000000000000-1000.jsonl", "items-s000000000001-1000.jsonl");
        }
        Files.writeString(dir.resolve("items-s000000000041-5.jsonl"), line("new-3")); // numbers carry on from the highest
        try (Outbox<Item> box = open(clock)) {
            box.append(new Item("new-4", 4));
            List<Item> written = new ArrayList<>();
            assertThat(box.flush(written::addAll, 2)).isTrue();
            assertThat(written).extracting(Item::id)
                    .containsExactly("old-1", "old-2", "old-3", "old-4", "old-5", "new-1", "new-2", "new-3", "new-4");
        }
    }

    @Test
    void theOrderOfNames() {
        Outbox.SegmentOrder order = new Outbox.SegmentOrder("items-");
        List<String> names = List.of("items-5-000000.jsonl", "items-1733400000000-000000.jsonl",
                "items-1733400000000-000002.jsonl", "items-unexpected.jsonl", "items-s000000000002-1.jsonl",
                "items-s000000000010-0.jsonl", "items-s1000000000000-0.jsonl");
        List<String> shuffled = new ArrayList<>(names);
        java.util.Collections.reverse(shuffled);
        shuffled.sort((a, b) -> order.compare(Path.of(a), Path.of(b)));
        assertThat(shuffled).containsExactlyElementsOf(names);
        assertThat(Outbox.sequenceOf("items-", Outbox.segmentName("items-", 42, 1_733_400_000_000L))).isEqualTo(42);
        assertThat(Outbox.segmentName("items-", 42, -5)).isEqualTo("items-s000000000042-0.jsonl");
        assertThat(Outbox.sequenceOf("items-", "items-1733400000000-000002.jsonl")).isEqualTo(-1);
        assertThat(Outbox.sequenceOf("items-", "items-sx-1.jsonl")).isEqualTo(-1);
    }

    private static String line(String id) {
        return "{\"id\":\"" + id + "\",\"n\":0}\n";
    }

    /**
     * A record appended without waiting for its force is in the segment when the append returns (an outbox opened
     * again without closing this one, as after the server's process was killed, has it), and is forced by the
     * outbox's own thread soon after, or by the next append's force, which covers every line written before it.
     */
    @Test
    void aRecordAppendedWrittenIsInTheSegmentAtOnceAndForcedSoon() throws IOException {
        try (Outbox<Item> box = open()) {
            box.appendWritten(new Item("a", 1));
            try (Outbox<Item> afterAKill = open()) {
                assertThat(afterAKill.pending()).isEqualTo(1);
            }
            await().until(() -> box.forces() == 1); // by the outbox's thread: nothing else forced
            long before = box.forces();
            for (int i = 0; i < 100; i++) {
                box.appendWritten(new Item("w" + i, i));
            }
            box.append(new Item("forced", 100));
            assertThat(box.forces() - before).as("one force for many lines, not one each").isLessThan(20);
            long settled = box.forces();
            box.forceWritten(); // everything is forced already (by the append): no system call
            assertThat(box.forces()).isEqualTo(settled);
            List<Item> written = new ArrayList<>();
            assertThat(box.flush(written::addAll, 500)).isTrue();
            assertThat(written).hasSize(102);
            assertThat(written.get(0).id()).isEqualTo("a");
            assertThat(written.get(101).id()).isEqualTo("forced");
        }
    }

    /**
     * A call's last records: written at once (a killed process loses nothing), forced by a force that covers them
     * (this thread forces nothing), and the calls ending while a force runs share the next one: two forces for a hundred
     * writes, whatever the timing (the second force starts only once the first, held here, is done, and covers every
     * line written by then). Twenty-second round.
     */
    @Test
    void linesWrittenAreAwaitedUntilAForceCoversThemAndShareIt() throws Exception {
        java.util.concurrent.CountDownLatch inFirstForce = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<Long> forcedSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Outbox<Item> box = open(channel -> {
            if (inFirstForce.getCount() > 0) {
                inFirstForce.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
            }
            channel.force(false);
            forcedSizes.add(channel.size());
        })) {
            Outbox.Unforced first = box.appendAllWritten(List.of(new Item("a", 1), new Item("b", 2)));
            try (Outbox<Item> afterAKill = open()) {
                assertThat(afterAKill.pending()).as("written at once").isEqualTo(2);
            }
            assertThat(inFirstForce.await(30, java.util.concurrent.TimeUnit.SECONDS))
                    .as("the outbox's own force of a and b, held").isTrue();
            List<Outbox.Unforced> more = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                more.add(box.appendAllWritten(List.of(new Item("c" + i, i))));
            }
            long all = Files.size(dir.resolve(segmentNames().get(0)));
            release.countDown();
            box.awaitForced(first);
            for (Outbox.Unforced u : more) {
                box.awaitForced(u);
            }
            assertThat(box.forces()).as("a and b's force, and one for the hundred written while it ran").isEqualTo(2);
            assertThat(forcedSizes).last().isEqualTo(all);
            List<Item> written = new ArrayList<>();
            assertThat(box.flush(written::addAll, 500)).isTrue();
            assertThat(written).hasSize(102);
        }
    }

    /** The force a call's end waits for fails: the wait throws, the failure is counted, the lines still go out. */
    @Test
    void aWaitForAForceThatFailedThrows() throws IOException {
        try (Outbox<Item> box = open(channel -> {
            throw new IOException("Input/output error (the test's device)");
        })) {
            Outbox.Unforced lines = box.appendAllWritten(List.of(new Item("a", 1), new Item("b", 2)));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> box.awaitForced(lines))
                    .isInstanceOf(IOException.class);
            assertThat(box.forceFailures()).isEqualTo(1);
            assertThat(box.bytesNotForced()).isEqualTo(line("a").length() + line("b").length());
            List<Item> written = new ArrayList<>();
            assertThat(box.flush(written::addAll, 10)).isTrue();
            assertThat(written).extracting(Item::id).containsExactly("a", "b");
        }
    }

    private Outbox<Item> open(Outbox.Forcer forcer) {
        return new Outbox<>(dir, "items-", Item.class, Item::id, "item(s)", Clock.systemUTC(), forcer);
    }

    private List<String> segmentNames() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("items-")).sorted().toList();
        }
    }

    /**
     * The outbox's own force of what {@link Outbox#appendWritten} wrote fails (the device said EIO): it used to log
     * and leave the segment open, and the next append's force of the same file "succeeded" and counted the line as
     * forced, which on Linux proves nothing after a failed fsync. Now the failure is counted, the segment is closed
     * with its bytes never counted forced, the next records go to a new segment, and the line still reaches the sink.
     */
    @Test
    void aFailedBackgroundForceFailsItsSegmentAndIsCounted() throws IOException {
        java.util.concurrent.atomic.AtomicReference<java.nio.channels.FileChannel> failing =
                new java.util.concurrent.atomic.AtomicReference<>();
        try (Outbox<Item> box = open(channel -> {
            if (failing.compareAndSet(null, channel) || failing.get() == channel) {
                throw new IOException("Input/output error (the test's device)");
            }
            channel.force(false);
        })) {
            box.appendWritten(new Item("a", 1));
            await().until(() -> box.forceFailures() == 1);
            long lineA = line("a").length();
            assertThat(box.bytesNotForced()).isEqualTo(lineA);
            box.append(new Item("b", 2)); // a new segment, forced
            assertThat(box.forceFailures()).isEqualTo(1);
            assertThat(box.bytesNotForced()).as("a later force does not count a's bytes forced").isEqualTo(lineA);
            assertThat(segmentNames()).as("b went to a segment of its own").hasSize(2);
            List<Item> written = new ArrayList<>();
            assertThat(box.flush(written::addAll, 10)).isTrue();
            assertThat(written).extracting(Item::id).containsExactly("a", "b");
        }
    }

    /**
     * A segment whose seal (its force when a flush closes it) failed used to be closed with its bytes uncounted, and
     * the next segment's successful force moved the forced mark past them: appends still waiting for their force in
     * the failed segment then returned as if their lines were on the device. They fail now, and the bytes are never
     * counted forced; the lines still reach the sink.
     */
    @Test
    void appendsWaitingOnASegmentWhoseSealFailedFail() throws Exception {
        java.util.concurrent.atomic.AtomicReference<java.nio.channels.FileChannel> first =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CountDownLatch inForce = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (Outbox<Item> box = open(channel -> {
            if (first.compareAndSet(null, channel)) { // a's force: held until the segment's seal failed
                inForce.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
            } else if (first.get() == channel) {
                throw new IOException("Input/output error (the test's device)"); // the seal's force
            }
            channel.force(false);
        })) {
            try {
                var a = appendOnItsOwnThread(box, new Item("a", 1));
                assertThat(inForce.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("a's force started").isTrue();
                var b = appendOnItsOwnThread(box, new Item("b", 2));
                await().until(() -> box.pending() == 2); // b written, waiting for the force a holds
                sealRefused(box); // the seal's force fails
                assertThat(box.forceFailures()).isEqualTo(1);
                box.appendWritten(new Item("c", 3)); // the next segment
                sealRefused(box); // forced: the forced mark moves past a and b
                release.countDown();
                assertThat(catchThrowableOf(a)).as("a's force did not make it").isNotNull();
                assertThat(catchThrowableOf(b)).as("b's force did not make it").isNotNull();
                assertThat(box.bytesNotForced()).isEqualTo(2L * line("a").length());
                List<Item> written = new ArrayList<>();
                assertThat(box.flush(written::addAll, 10)).isTrue();
                assertThat(written).extracting(Item::id).containsExactlyInAnyOrder("a", "b", "c");
            } finally {
                release.countDown(); // a failed assertion above leaves no thread waiting for ever
            }
        }
    }

    /**
     * The append on a thread of its own. Not {@code CompletableFuture.runAsync}: its common pool has one thread where
     * the JVM sees two processors (surefire raises it to two, an IDE does not), and there a, held in its force, kept b
     * from ever starting (the wait for b's write timed out, and the next test's a never started at all).
     */
    private static java.util.concurrent.CompletableFuture<Void> appendOnItsOwnThread(Outbox<Item> box, Item item) {
        var done = new java.util.concurrent.CompletableFuture<Void>();
        Thread.ofPlatform().daemon().name("append-" + item.id()).start(() -> {
            try {
                append(box, item);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private static void append(Outbox<Item> box, Item item) {
        try {
            box.append(item);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Throwable catchThrowableOf(java.util.concurrent.CompletableFuture<Void> f) {
        try {
            f.join();
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(java.io.UncheckedIOException.class);
            return e.getCause();
        }
    }

    /**
     * Two outboxes on one directory and prefix (which the data directory's lock keeps out; a tool, a test) each took
     * the sequence number after the highest they saw when opened, and their segments, named at different
     * milliseconds, shared numbers: the order between them was the clock's again. Each takes a number no segment in
     * the directory has.
     */
    @Test
    void twoOutboxesOnOneDirectoryNeverShareASequenceNumber() throws IOException {
        try (Outbox<Item> one = open(new MutableClock(Instant.ofEpochMilli(1_000)));
             Outbox<Item> two = open(new MutableClock(Instant.ofEpochMilli(2_000)))) {
            for (int i = 0; i < 3; i++) {
                one.append(new Item("one-" + i, i));
                sealRefused(one);
                two.append(new Item("two-" + i, i));
                sealRefused(two);
            }
        }
        List<Long> sequences = segmentNames().stream().map(n -> Outbox.sequenceOf("items-", n)).toList();
        assertThat(sequences).hasSize(6).doesNotHaveDuplicates().doesNotContain(-1L);
    }

    @Test
    void aFailingSinkKeepsTheSegmentForTheNextFlush() throws IOException {
        try (Outbox<Item> box = open()) {
            box.append(new Item("a", 1));
            box.append(new Item("b", 2));
            assertThat(box.flush(batch -> {
                throw new IOException("database down");
            }, 10)).isFalse();
            assertThat(box.pending()).isEqualTo(2);
            List<Item> written = new ArrayList<>();
            assertThat(box.flush(written::addAll, 10)).isTrue();
            assertThat(written).extracting(Item::id).containsExactly("a", "b");
        }
    }

    /**
     * A segment this process wrote without a failure reaches the sink as the records appended (the same objects: its
     * file is not read back and parsed); its lines are still on disk until then, and an outbox opened on them after
     * a restart reads equal records from the file.
     */
    @Test
    void aSegmentWrittenCleanlyIsHandedOverFromMemoryAndReadBackAfterARestart() throws IOException {
        Item a = new Item("a", 1);
        Item b = new Item("b", 2);
        Item c = new Item("c", 3);
        try (Outbox<Item> box = open()) {
            box.append(a);
            box.appendAll(List.of(b, c));
            List<Item> written = new ArrayList<>();
            assertThat(box.flush(written::addAll, 10)).isTrue();
            assertThat(written).hasSize(3);
            assertThat(written.get(0)).isSameAs(a);
            assertThat(written.get(1)).isSameAs(b);
            assertThat(written.get(2)).isSameAs(c);
            box.append(a);
            box.appendWritten(b);
        }
        try (Outbox<Item> reopened = open()) {
            List<Item> written = new ArrayList<>();
            assertThat(reopened.flush(written::addAll, 10)).isTrue();
            assertThat(written).containsExactly(a, b);
            assertThat(written.get(0)).isNotSameAs(a);
        }
    }

    /** Over {@link Outbox#HELD_IN_MEMORY} records waiting, a segment's are read back from its file, all and in order. */
    @Test
    void beyondWhatIsHeldInMemoryTheFileIsReadBack() throws IOException {
        List<Item> many = new ArrayList<>();
        for (int i = 0; i <= Outbox.HELD_IN_MEMORY; i++) {
            many.add(new Item("i" + i, i));
        }
        Item first = new Item("first", 0);
        try (Outbox<Item> box = open()) {
            box.append(first);
            box.appendAll(many); // more than the outbox holds: this segment is read back
            List<Item> written = new ArrayList<>();
            assertThat(box.flush(written::addAll, 1000)).isTrue();
            assertThat(written).hasSize(many.size() + 1);
            assertThat(written.get(0)).isEqualTo(first).isNotSameAs(first);
            assertThat(written.subList(1, written.size())).isEqualTo(many);
            box.append(first); // nothing held any more: the next segment is kept in memory again
            written.clear();
            assertThat(box.flush(written::addAll, 10)).isTrue();
            assertThat(written.get(0)).isSameAs(first);
        }
    }

    /**
     * The records the outboxes keep (journal events, interactions) read back from their JSON lines equal to what was
     * appended: a segment handed over from memory and one read from its file write the same rows.
     */
    @Test
    void theOutboxesRecordsReadBackEqualToWhatWasAppended() throws IOException {
        var json = Outbox.json();
        var event = new dev.ivr.server.journal.JournalEvent("0193a1b2-0000-7000-8000-000000000001",
                Instant.parse("2026-12-06T00:40:01.123456789Z"), dev.ivr.server.journal.JournalEvent.Type.CALL_ENDED,
                "1764900000.1", "customer-service", "menu", "sales", "agent-7", 2_000L, "caller_hangup", "a reason",
                "node-1", "C42");
        assertThat(json.readValue(json.writeValueAsString(event), dev.ivr.server.journal.JournalEvent.class)).isEqualTo(event);
        var interaction = new dev.ivr.server.crm.Interaction("1764900000.1", "+15551234567", "100", "customer-service",
                "3", Instant.parse("2026-12-06T00:40:01.5Z"), Instant.parse("2026-12-06T00:41:02.25Z"),
                List.of("start", "menu"), java.util.Map.of("choice", "2", "account", "Ünïcode \"quoted\""), "C42",
                "IDENTIFIED", "sales", "agent-7", Duration.ofMillis(1500), Duration.ofSeconds(61),
                dev.ivr.server.crm.Interaction.Outcome.ROUTED, "queue");
        assertThat(json.readValue(json.writeValueAsString(interaction), dev.ivr.server.crm.Interaction.class))
                .isEqualTo(interaction);
    }

    /** Several records appended together are lines of their own, in order, among single appends; kept across a restart. */
    @Test
    void recordsAppendedTogetherAreSeparateLinesInOrder() throws IOException {
        try (Outbox<Item> box = open()) {
            box.append(new Item("a", 1));
            box.appendAll(List.of(new Item("b", 2), new Item("c", 3), new Item("d", 4)));
            box.appendAll(List.of());
            box.appendAll(List.of(new Item("e", 5)));
            assertThat(box.pending()).isEqualTo(5);
            assertThat(box.flush(batch -> {
                throw new IOException("database down");
            }, 2)).isFalse();
            assertThat(box.pending()).isEqualTo(5);
        }
        try (Outbox<Item> reopened = open()) {
            assertThat(reopened.pending()).isEqualTo(5);
            List<Item> written = new ArrayList<>();
            assertThat(reopened.flush(written::addAll, 2)).isTrue();
            assertThat(written).extracting(Item::id).containsExactly("a", "b", "c", "d", "e");
            assertThat(reopened.pending()).isZero();
        }
    }

    /**
     * Records longer than the encoding buffer's first size, with non-ASCII text and characters JSON escapes, are whole
     * lines of their own (each JSON, then one newline), alone and together, and read back as they were.
     */
    @Test
    void longAndNonAsciiRecordsAreWholeLines() throws IOException {
        String big = "Kovács \"Anna\"\n\u00e9\u4e2d\u0001".repeat(300);
        List<Item> items = List.of(new Item(big, 1), new Item("x", 2), new Item(big + "2", 3));
        try (Outbox<Item> box = open()) {
            box.append(items.get(0));
            box.appendAll(items.subList(1, 3));
        }
        List<String> lines = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("{").endsWith("}"));
        try (Outbox<Item> reopened = open()) {
            List<Item> written = new ArrayList<>();
            assertThat(reopened.flush(written::addAll, 10)).isTrue();
            assertThat(written).containsExactlyElementsOf(items);
        }
    }

    /**
     * Appends from many threads share their forces (group commit) while a flusher seals and takes segments: every
     * record appended is written exactly once, and a reopened outbox has nothing left over.
     */
    @Test
    void concurrentAppendsAndFlushesLoseAndDuplicateNothing() throws Exception {
        java.util.Set<String> written = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger duplicates = new java.util.concurrent.atomic.AtomicInteger();
        int threads = 16;
        int each = 200;
        try (Outbox<Item> box = open()) {
            java.util.concurrent.atomic.AtomicBoolean appending = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread flusher = Thread.ofPlatform().start(() -> {
                while (appending.get()) {
                    box.flush(batch -> batch.forEach(it -> {
                        if (!written.add(it.id())) {
                            duplicates.incrementAndGet();
                        }
                    }), 50);
                    Thread.onSpinWait();
                }
            });
            List<Thread> appenders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * each;
                appenders.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < each; i++) {
                        try {
                            box.append(new Item("r" + (base + i), base + i));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }));
            }
            for (Thread a : appenders) {
                a.join();
            }
            appending.set(false);
            flusher.join();
            box.flush(batch -> batch.forEach(it -> {
                if (!written.add(it.id())) {
                    duplicates.incrementAndGet();
                }
            }), 50);
            assertThat(box.pending()).isZero();
        }
        assertThat(written).hasSize(threads * each);
        assertThat(duplicates).hasValue(0);
        try (Outbox<Item> again = open()) {
            assertThat(again.pending()).isZero();
        }
    }
}
