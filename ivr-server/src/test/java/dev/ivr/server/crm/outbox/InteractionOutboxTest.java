package dev.ivr.server.crm.outbox;

import dev.ivr.server.crm.Interaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InteractionOutboxTest {
    @TempDir
    Path dir;

    static Interaction call(String id) {
        Instant t = Instant.parse("2025-03-01T09:00:00Z");
        return new Interaction(id, "3612345678", "1000", "main", "3", t, t.plusSeconds(30), List.of("a", "b"),
                Map.of("menu", "1"), "C1", "OK", "q", "agent-1", Duration.ofSeconds(3), Duration.ofSeconds(20),
                Interaction.Outcome.ROUTED, "n1");
    }

    @Test
    void whatIsAppendedSurvivesAReopenAndIsWrittenInOrder() throws IOException {
        try (InteractionOutbox box = new InteractionOutbox(dir)) {
            box.append(call("c1"));
            box.append(call("c2"));
            assertThat(box.pending()).isEqualTo(2);
        }
        List<Interaction> written = new ArrayList<>();
        try (InteractionOutbox box = new InteractionOutbox(dir)) {
            assertThat(box.pending()).isEqualTo(2);
            box.append(call("c3"));
            assertThat(box.flush(written::add)).isTrue();
            assertThat(box.pending()).isZero();
        }
        assertThat(written).extracting(Interaction::callId).containsExactly("c1", "c2", "c3");
        assertThat(written.get(0)).isEqualTo(call("c1"));
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void theOutboxIsReadableByTheServersUserAlone() throws IOException {
        Path old = Files.createDirectories(dir.resolve("old"));
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path earlier = Files.writeString(old.resolve("interactions-1-000000.jsonl"), "");
        Files.setPosixFilePermissions(earlier, PosixFilePermissions.fromString("rw-r--r--"));
        try (InteractionOutbox box = new InteractionOutbox(old)) {
            box.append(call("c1"));
            box.reject(call("c2"), "bad data");
        }
        assertThat(mode(old)).isEqualTo("rwx------");
        try (var files = Files.list(old)) {
            assertThat(files.toList()).hasSize(3).allSatisfy(f -> assertThat(mode(f)).as("%s", f).isEqualTo("rw-------"));
        }
    }

    private static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aFailedFlushKeepsEverythingForTheNextOne() throws IOException {
        List<String> written = new ArrayList<>();
        try (InteractionOutbox box = new InteractionOutbox(dir)) {
            box.append(call("c1"));
            box.append(call("c2"));
            boolean done = box.flush(i -> {
                if (i.callId().equals("c2")) {
                    throw new SQLException("connection refused", "08001");
                }
                written.add(i.callId());
            });
            assertThat(done).isFalse();
            assertThat(box.pending()).isEqualTo(2);
            // the sink is idempotent on the call id: the segment is replayed whole
            assertThat(box.flush(i -> written.add(i.callId()))).isTrue();
        }
        assertThat(written).containsExactly("c1", "c1", "c2");
    }

    @Test
    void aTornLastLineAndRejectedInteractionsAreSetAside() throws IOException {
        try (InteractionOutbox box = new InteractionOutbox(dir)) {
            box.append(call("c1"));
        }
        try (var files = Files.list(dir)) {
            Path segment = files.findFirst().orElseThrow();
            Files.writeString(segment, "{\"callId\":\"c2\",\"ani\":\"36", StandardOpenOption.APPEND); // a crash mid-write
        }
        List<String> written = new ArrayList<>();
        try (InteractionOutbox box = new InteractionOutbox(dir)) {
            box.append(call("bad"));
            assertThat(box.flush(i -> {
                if (i.callId().equals("bad")) {
                    throw new InteractionOutbox.Rejected("value too long", null);
                }
                written.add(i.callId());
            })).isTrue();
        }
        assertThat(written).containsExactly("c1");
        List<String> rejected = Files.readAllLines(dir.resolve("rejected.jsonl"));
        assertThat(rejected).hasSize(2);
        assertThat(rejected.get(0)).startsWith("{\"callId\":\"c2\"");
        assertThat(rejected.get(1)).contains("\"callId\":\"bad\"");
    }
}
