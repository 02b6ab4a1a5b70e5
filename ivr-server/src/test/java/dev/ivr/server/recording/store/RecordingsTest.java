package dev.ivr.server.recording.store;

import dev.ivr.server.call.CallInfo;
import dev.ivr.server.call.CallRecorder;
import dev.ivr.server.call.RecordingPauses;
import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.config.RecordingConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.recording.Recording;
import dev.ivr.server.recording.RecordingCipher;
import dev.ivr.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The recording service on the embedded H2 database, with a PBX that writes what it is told into a list. */
class RecordingsTest {
    @TempDir
    Path tmp;
    Database db;
    JdbcRecordings store;
    final MutableClock clock = new MutableClock();
    final List<String> pbx = new CopyOnWriteArrayList<>();

    /** Records the commands; "writes" the file as Asterisk would (under the recordings directory). */
    final CallRecorder recorder = new CallRecorder() {
        @Override
        public void start(String channel, String file) {
            pbx.add("start " + channel + " " + file);
            try {
                Path p = Path.of(file);
                Files.createDirectories(p.getParent());
                Files.write(p, new byte[] {'R', 'I', 'F', 'F', 1, 2, 3, 4});
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void mute(String channel, boolean muted) {
            pbx.add((muted ? "mute " : "unmute ") + channel);
        }

        @Override
        public void stop(String channel) {
            pbx.add("stop " + channel);
        }
    };

    @BeforeEach
    void open() {
        db = Database.open(new DatabaseConfig("", "sa", "", 5, 2, Duration.ofMillis(500)), tmp.resolve("db"));
        assertThat(db.awaitReady(Duration.ofSeconds(30))).isTrue();
        store = new JdbcRecordings(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Recordings recordings(List<String> policies, RecordingCipher cipher, Duration retention) {
        RecordingConfig cfg = new RecordingConfig(true, "never", policies, tmp.resolve("rec"), "", "wav", retention,
                Duration.ofDays(1), List.of("supervisor"), "", Duration.ofSeconds(10));
        return new Recordings(cfg, tmp.resolve("rec"), store, recorder, cipher, new SplittableRandom(1), clock);
    }

    private static CallInfo call(String uniqueId, String channel) {
        return new CallInfo(uniqueId, "flow", Map.of(), List.of(), "3612345678", "", "1000", channel, "en", "from-pstn",
                "1000", "");
    }

    @Test
    void anAlwaysQueueIsRecordedOnAnswerANeverQueueIsNot() {
        Recordings r = recordings(List.of("billing=always", "sales=on-demand"), null, Duration.ofDays(90));
        assertThat(r.agentAnswered("1700.1", "billing", "tess")).isPresent();
        assertThat(r.agentAnswered("1700.2", "support", "tess")).as("default never").isEmpty();
        assertThat(r.agentAnswered("1700.3", "sales", "tess")).as("on demand: the agent starts it").isEmpty();
        assertThat(pbx).singleElement().asString()
                .matches("start 1700\\.1 " + java.util.regex.Pattern.quote(tmp.resolve("rec").toString())
                        + "/2025-01-06/1700\\.1-[0-9a-f]{32}\\.wav");
        Recording row = store.forCall("1700.1").get(0);
        assertThat(row.state()).isEqualTo(Recording.State.RECORDING);
        assertThat(row.reason()).isEqualTo("always");
        assertThat(row.queue()).isEqualTo("billing");
        assertThat(row.agentId()).isEqualTo("tess");
    }

    @Test
    void aPercentageSamplesCallsWithTheInjectedGenerator() {
        RecordingConfig cfg = new RecordingConfig(true, "50%", List.of(), tmp.resolve("rec"), "", "wav",
                Duration.ofDays(1), Duration.ofDays(1), List.of(), "", Duration.ofSeconds(10));
        // nextInt(100) below 50 records: the generator says 10, 90, 49, 50
        int[] draws = {10, 90, 49, 50};
        java.util.concurrent.atomic.AtomicInteger i = new java.util.concurrent.atomic.AtomicInteger();
        java.util.random.RandomGenerator scripted = new java.util.random.RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int nextInt(int bound) {
                return draws[i.getAndIncrement()];
            }
        };
        Recordings r = new Recordings(cfg, tmp.resolve("rec"), store, recorder, null, scripted, clock);
        List<Boolean> recorded = new java.util.ArrayList<>();
        for (int n = 0; n < 4; n++) {
            recorded.add(r.agentAnswered("1800." + n, "any", "a" + n).isPresent());
        }
        assertThat(recorded).containsExactly(true, false, true, false);
    }

    @Test
    void onDemandStartsAndStopsOnlyInOnDemandQueues() {
        Recordings r = recordings(List.of("sales=on-demand", "billing=always"), null, Duration.ofDays(90));
        assertThat(r.onDemand("1900.1", "billing", "tess", true)).isEqualTo(Recordings.Demand.NOT_ALLOWED);
        assertThat(r.onDemand("1900.1", "sales", "tess", false)).isEqualTo(Recordings.Demand.NOTHING_TO_STOP);
        assertThat(r.onDemand("1900.1", "sales", "tess", true)).isEqualTo(Recordings.Demand.STARTED);
        assertThat(r.onDemand("1900.1", "sales", "tess", true)).isEqualTo(Recordings.Demand.ALREADY);
        assertThat(r.onDemand("1900.1", "sales", "tess", false)).isEqualTo(Recordings.Demand.STOPPED);
        assertThat(pbx).hasSize(2).last().isEqualTo("stop 1900.1");
        assertThat(store.forCall("1900.1")).singleElement().satisfies(x -> {
            assertThat(x.state()).isEqualTo(Recording.State.ENDED);
            assertThat(x.reason()).isEqualTo("on-demand");
        });
    }

    @Test
    @SuppressWarnings("try")
    void aSecretIsTypedWhileTheRunningRecordingIsMutedAndOnlyThen() {
        Recordings r = recordings(List.of("billing=always"), null, Duration.ofDays(90));
        try (RecordingPauses.Paused p = r.pause(call("2000.1", "PJSIP/trunk-00000001"))) {
            assertThat(pbx).as("nothing records the call: nothing to pause").isEmpty();
        }
        r.agentAnswered("2000.1", "billing", "tess");
        pbx.clear();
        try (RecordingPauses.Paused p = r.pause(call("2000.1", "PJSIP/trunk-00000001"))) {
            assertThat(pbx).containsExactly("mute PJSIP/trunk-00000001");
        }
        assertThat(pbx).containsExactly("mute PJSIP/trunk-00000001", "unmute PJSIP/trunk-00000001");
        r.callEnded("2000.1");
        pbx.clear();
        try (RecordingPauses.Paused p = r.pause(call("2000.1", "PJSIP/trunk-00000001"))) {
            assertThat(pbx).as("ended: nothing to pause").isEmpty();
        }
    }

    @Test
    void aFailingPbxLeavesTheRowMissingAndTheErrorToTheCaller() {
        CallRecorder refusing = new CallRecorder() {
            @Override
            public void start(String channel, String file) {
                throw new IllegalStateException("AMI MixMonitor refused: No such channel");
            }

            @Override
            public void mute(String channel, boolean muted) {
            }

            @Override
            public void stop(String channel) {
            }
        };
        RecordingConfig cfg = new RecordingConfig(true, "always", List.of(), tmp.resolve("rec"), "", "wav",
                Duration.ofDays(1), Duration.ofDays(1), List.of(), "", Duration.ofSeconds(10));
        Recordings r = new Recordings(cfg, tmp.resolve("rec"), store, refusing, null, new SplittableRandom(1), clock);
        assertThatThrownBy(() -> r.agentAnswered("2100.1", "q", "a")).hasMessageContaining("No such channel");
        assertThat(store.forCall("2100.1")).singleElement().satisfies(x -> assertThat(x.state()).isEqualTo(Recording.State.MISSING));
    }

    @Test
    void endedRecordingsAreSealedEncryptedAfterTheDelayAndPlayDecrypted() throws IOException {
        byte[] key = new byte[32];
        new Random(3).nextBytes(key);
        Recordings r = recordings(List.of("billing=always"), new RecordingCipher(key), Duration.ofDays(90));
        Recording started = r.agentAnswered("2200.1", "billing", "tess").orElseThrow();
        Path plain = tmp.resolve("rec").resolve(started.fileName());
        byte[] audio = Files.readAllBytes(plain);
        r.callEnded("2200.1");
        assertThat(r.seal()).as("within the seal delay: Asterisk may still be closing the file").isZero();
        clock.advance(Duration.ofSeconds(11));
        assertThat(r.seal()).isEqualTo(1);
        Recording sealed = store.get(started.id()).orElseThrow();
        assertThat(sealed.state()).isEqualTo(Recording.State.STORED);
        assertThat(sealed.encrypted()).isTrue();
        assertThat(sealed.fileName()).isEqualTo(started.fileName() + ".enc");
        assertThat(plain).doesNotExist();
        assertThat(Files.readAllBytes(tmp.resolve("rec").resolve(sealed.fileName()))).isNotEqualTo(audio);
        assertThat(r.audio(sealed)).isEqualTo(audio);
        assertThat(r.seal()).as("once").isZero();
    }

    @Test
    void aFileThePbxNeverWroteIsMarkedMissingAndARecordingThatLostItsHangUpIsSealedAfterAWhile() throws IOException {
        Recordings r = recordings(List.of("billing=always"), null, Duration.ofDays(90));
        Recording a = r.agentAnswered("2300.1", "billing", "tess").orElseThrow();
        Files.delete(tmp.resolve("rec").resolve(a.fileName()));
        Recording b = r.agentAnswered("2300.2", "billing", "tess").orElseThrow();
        r.callEnded("2300.1");
        clock.advance(Duration.ofMinutes(1));
        assertThat(r.seal()).isEqualTo(1);
        assertThat(store.get(a.id()).orElseThrow().state()).isEqualTo(Recording.State.MISSING);
        assertThat(store.get(b.id()).orElseThrow().state()).as("no hang-up heard yet").isEqualTo(Recording.State.RECORDING);
        clock.advance(Recordings.LONGEST_CALL);
        assertThat(r.seal()).isEqualTo(1);
        Recording sealed = store.get(b.id()).orElseThrow();
        assertThat(sealed.state()).isEqualTo(Recording.State.STORED);
        assertThat(sealed.encrypted()).isFalse();
        assertThat(sealed.bytes()).isEqualTo(8L);
    }

    @Test
    void thePurgeDeletesFilesPastTheRetentionAndMarksTheRows() throws IOException {
        Recordings r = recordings(List.of("billing=always"), null, Duration.ofDays(30));
        Recording old = r.agentAnswered("2400.1", "billing", "tess").orElseThrow();
        r.callEnded("2400.1");
        clock.advance(Duration.ofDays(20));
        Recording young = r.agentAnswered("2400.2", "billing", "tess").orElseThrow();
        r.callEnded("2400.2");
        clock.advance(Duration.ofMinutes(1));
        r.seal();
        assertThat(r.purge()).as("nothing older than 30 days").isZero();
        clock.advance(Duration.ofDays(10));
        assertThat(r.purge()).isEqualTo(1);
        Recording purged = store.get(old.id()).orElseThrow();
        assertThat(purged.state()).isEqualTo(Recording.State.DELETED);
        assertThat(purged.deletedAt()).isEqualTo(clock.instant());
        assertThat(tmp.resolve("rec").resolve(old.fileName())).doesNotExist();
        assertThat(tmp.resolve("rec").resolve(young.fileName())).exists();
        assertThat(store.get(young.id()).orElseThrow().state()).isEqualTo(Recording.State.STORED);
        assertThat(r.purge()).as("idempotent").isZero();
    }

    @Test
    void fileNamesCannotLeaveTheDirectory() {
        Recordings r = recordings(List.of(), null, Duration.ofDays(1));
        assertThatThrownBy(() -> r.file("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Recordings.safe("17.3;/x")).isEqualTo("17.3__x");
    }
}
