package dev.ivr.server.outbound;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Max-concurrent across servers, under contention, on the default H2 file database and on PostgreSQL: three
 * "servers" (threads with their own pooled connections) claim and end attempts of one campaign with max-concurrent 1
 * as fast as they can, each asking first how many are under way, as the dialer's round does. No attempt may start
 * before the one before it ended. On H2 this failed within a campaign or two (CampaignDialerIT failed so once under
 * CI's load): H2 handed the claim's count its previous result (its per-statement result reuse, now off) and, less
 * often, a claim that took the campaign's row with {@code select ... for update} counted without the attempt the
 * previous claim had just committed (the row is now taken with an update).
 */
@Tag("integration")
class CampaignClaimRaceIT {
    private static final int CONTACTS = 100;

    @TempDir
    Path tmp;
    private Database db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void onTheDefaultH2DatabaseThreeServersClaimingAtOnceNeverHaveTwoAttemptsUnderWay() throws Exception {
        race(open("", "sa"), 4);
    }

    @Test
    void onPostgresThreeServersClaimingAtOnceNeverHaveTwoAttemptsUnderWay() throws Exception {
        race(open(PostgresServer.get().newDatabase(), PostgresServer.USER), 2);
    }

    private CampaignStore open(String url, String user) {
        db = Database.open(new DatabaseConfig(url, user, "", 6, 2, Duration.ofSeconds(2)), tmp.resolve("data"));
        assertThat(db.awaitReady(Duration.ofSeconds(30))).isTrue();
        return new CampaignStore(db.dataSource());
    }

    private static void race(CampaignStore store, int campaigns) throws Exception {
        for (int i = 1; i <= campaigns; i++) {
            race(store, "race-" + i);
        }
    }

    private static void race(CampaignStore store, String campaign) throws Exception {
        Clock clock = Clock.systemUTC();
        Map<String, String> contacts = new LinkedHashMap<>();
        for (int i = 0; i < CONTACTS; i++) {
            contacts.put("C" + i, "+36155%05d".formatted(i));
        }
        assertThat(store.start(campaign, "s", contacts, clock.instant().minusSeconds(1))).isEqualTo(CONTACTS);

        ExecutorService servers = Executors.newFixedThreadPool(3);
        List<Future<Integer>> claimed = new ArrayList<>();
        Instant giveUp = clock.instant().plus(Duration.ofMinutes(2));
        for (String node : List.of("node-a", "node-b", "node-c")) {
            claimed.add(servers.submit(() -> {
                int mine = 0;
                while (clock.instant().isBefore(giveUp)) {
                    store.inFlight(campaign); // the round's own count, the same statement as the claim's
                    List<CampaignStore.Due> due = store.due(campaign, clock.instant(), 3);
                    if (due.isEmpty() && store.inFlight(campaign) == 0) {
                        return mine;
                    }
                    for (CampaignStore.Due d : due) {
                        Optional<CampaignStore.Claimed> a = store.claim(campaign, d, 1, node, clock::instant);
                        if (a.isPresent()) {
                            mine++;
                            store.finish(campaign, a.get(), "answered", clock.instant(), null);
                        }
                    }
                }
                return mine;
            }));
        }
        int total = 0;
        for (Future<Integer> f : claimed) {
            total += f.get();
        }
        servers.shutdown();
        assertThat(total).as("every contact called once").isEqualTo(CONTACTS);

        List<CampaignStore.Attempt> byStart = store.attempts(campaign).stream()
                .sorted(Comparator.comparing(CampaignStore.Attempt::startedAt)).toList();
        assertThat(byStart).hasSize(CONTACTS);
        for (int i = 1; i < byStart.size(); i++) {
            assertThat(byStart.get(i).startedAt()).as("attempt %d (%s) started before %d (%s) ended", i,
                            byStart.get(i).node(), i - 1, byStart.get(i - 1).node())
                    .isAfterOrEqualTo(byStart.get(i - 1).endedAt());
        }
    }
}
