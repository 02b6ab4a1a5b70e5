package dev.ivr.server.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Event ids are version-7 UUIDs: unique, in the text form of any UUID, and ordered by the millisecond they were made in. */
class JournalEventIdTest {
    @Test
    void anIdIsAVersion7UuidWithTheTimeItWasMadeIn() {
        long before = System.currentTimeMillis();
        String id = JournalEvent.newId();
        long after = System.currentTimeMillis();
        UUID u = UUID.fromString(id);
        assertThat(id).hasSize(36).isEqualTo(u.toString());
        assertThat(u.version()).isEqualTo(7);
        assertThat(u.variant()).isEqualTo(2);
        assertThat(u.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    @Test
    void idsAreUniqueAndTheirTextSortsByTheMillisecondTheyWereMadeIn() throws InterruptedException {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add(JournalEvent.newId())).isTrue();
        }
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(JournalEvent.newId());
            Thread.sleep(2); // the next one in a later millisecond
        }
        assertThat(made).isSorted();
    }

    @Test
    void theRandomPartIsNotTheSameFromOneIdToTheNext() {
        Set<Long> low = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            low.add(UUID.fromString(JournalEvent.newId()).getLeastSignificantBits());
        }
        assertThat(low).hasSize(1_000);
    }

    @Test
    void idsMadeOneAfterAnotherSortInThatOrderAlsoWithinAMillisecond() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            made.add(JournalEvent.newId());
        }
        assertThat(made).isSorted().doesNotHaveDuplicates();
        for (String id : made) {
            UUID u = UUID.fromString(id);
            assertThat(u.version()).isEqualTo(7);
            assertThat(u.variant()).isEqualTo(2);
        }
    }

    @Test
    void idsMadeOnManyThreadsAtOnceAreUnique() throws InterruptedException {
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    seen.add(JournalEvent.newId());
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(seen).hasSize(80_000);
    }
}
