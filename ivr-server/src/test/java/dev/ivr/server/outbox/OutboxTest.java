package dev.ivr.server.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
