package dev.ivr.server.cluster;

import com.hazelcast.map.ExtendedMapEntry;
import dev.ivr.server.cluster.HazelcastCheckpoints.Checkpoint;
import dev.ivr.server.cluster.LostCallRecorder.ClaimLost;
import dev.ivr.server.cluster.LostCallRecorder.ReleaseClaim;
import dev.ivr.server.cluster.LostCallRecorder.TakeLost;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The entry processors of {@link LostCallRecorder} on one entry each, as the partition owner runs them: a lost
 * member's checkpoint is claimed (not removed) by one survivor, a lost claimer's claims are claimed again, and a
 * claim is removed only by its claimer.
 */
class LostCallClaimsTest {
    static final String B = "uuid-of-b";
    static final String A = "uuid-of-a";
    static final String C = "uuid-of-c";
    static final String STATE_OF_B = "{\"server\":\"b\",\"path\":[\"pick\"]}";
    static final Instant AT = Instant.parse("2026-12-04T15:00:00Z");
    static final long TTL = 300_000;

    /** An entry as an entry processor sees it, with the TTL of its last write. */
    static final class Entry implements ExtendedMapEntry<String, Checkpoint> {
        final String key;
        Checkpoint value;
        long ttlMillis = -1;

        Entry(String key, Checkpoint value) {
            this.key = key;
            this.value = value;
        }

        @Override
        public String getKey() {
            return key;
        }

        @Override
        public Checkpoint getValue() {
            return value;
        }

        @Override
        public Checkpoint setValue(Checkpoint v) {
            Checkpoint old = value;
            value = v;
            ttlMillis = -1;
            return old;
        }

        @Override
        public Checkpoint setValue(Checkpoint v, long ttl, TimeUnit unit) {
            Checkpoint old = setValue(v);
            ttlMillis = unit.toMillis(ttl);
            return old;
        }

        @Override
        public Checkpoint setValueWithoutChangingExpiryTime(Checkpoint v) {
            return setValue(v);
        }
    }

    static ClaimLost aClaimsForLost(String lost) {
        return new ClaimLost("b", lost, A, AT, TTL);
    }

    @Test
    void aCheckpointOfTheLostMemberIsClaimedNotRemoved() {
        Entry e = new Entry("call-1", new Checkpoint("call-1", STATE_OF_B, B));
        Checkpoint answered = aClaimsForLost(B).process(e);

        assertThat(answered).isNotNull().isEqualTo(e.value);
        assertThat(e.value.state()).isEqualTo(STATE_OF_B);
        assertThat(e.value.member()).as("still the writer's").isEqualTo(B);
        assertThat(e.value.claimedBy()).isEqualTo(A);
        assertThat(e.value.claimedFrom()).isEqualTo(B);
        assertThat(e.value.claimedAt()).isEqualTo(AT);
        assertThat(e.ttlMillis).as("the claim lives its own time to live").isEqualTo(TTL);
    }

    @Test
    void aSecondSurvivorGetsNothingOnceOneHasClaimed() {
        Entry e = new Entry("call-1", new Checkpoint("call-1", STATE_OF_B, B));
        aClaimsForLost(B).process(e);
        Checkpoint claimed = e.value;

        assertThat(new ClaimLost("b", B, C, AT.plusSeconds(1), TTL).process(e)).isNull();
        assertThat(e.value).isSameAs(claimed);
        assertThat(new TakeLost("b", B).process(e)).as("nor a member of the previous release").isNull();
        assertThat(e.value).isSameAs(claimed);
    }

    @Test
    void theClaimsOfALostClaimerAreClaimedAgain() {
        Entry e = new Entry("call-1", new Checkpoint("call-1", STATE_OF_B, B));
        aClaimsForLost(B).process(e);

        Checkpoint again = new ClaimLost("a", A, C, AT.plusSeconds(5), TTL).process(e);
        assertThat(again).isNotNull();
        assertThat(e.value.claimedBy()).isEqualTo(C);
        assertThat(e.value.claimedFrom()).isEqualTo(A);
        assertThat(e.value.state()).as("the call's own state: it was on b").isEqualTo(STATE_OF_B);
        assertThat(e.value.member()).isEqualTo(B);
    }

    @Test
    void aClaimIsAnsweredAgainToItsClaimerForTheSameLostMemberOnly() {
        Entry e = new Entry("call-1", new Checkpoint("call-1", STATE_OF_B, B));
        aClaimsForLost(B).process(e);

        assertThat(aClaimsForLost(B).process(e)).as("a's scan for b tried again").isNotNull();
        assertThat(aClaimsForLost("uuid-of-d").process(e)).as("a's scan for another lost member").isNull();
        assertThat(e.value.claimedFrom()).isEqualTo(B);
    }

    @Test
    void liveCallsAndOtherKeysAreLeftAlone() {
        Entry live = new Entry("call-2", new Checkpoint("call-2", "{\"server\":\"c\"}", C));
        assertThat(aClaimsForLost(B).process(live)).isNull();
        assertThat(live.value.claimedBy()).isNull();

        Entry moved = new Entry("call-3", new Checkpoint("call-1", STATE_OF_B, B));
        assertThat(aClaimsForLost(B).process(moved)).as("a value copied under another key").isNull();
        assertThat(moved.value.claimedBy()).isNull();

        Entry none = new Entry("call-4", null);
        assertThat(aClaimsForLost(B).process(none)).isNull();
        assertThat(none.value).isNull();
    }

    @Test
    void aCheckpointOfAnOlderServerIsClaimedByItsServerName() {
        Entry old = new Entry("call-1", new Checkpoint("call-1", STATE_OF_B, null));
        assertThat(aClaimsForLost(B).process(old)).isNotNull();
        assertThat(old.value.claimedBy()).isEqualTo(A);

        Entry other = new Entry("call-2", new Checkpoint("call-2", "{\"server\":\"c\"}", null));
        assertThat(aClaimsForLost(B).process(other)).isNull();
        Entry unreadable = new Entry("call-3", new Checkpoint("call-3", "not json", null));
        assertThat(aClaimsForLost(B).process(unreadable)).isNull();
    }

    @Test
    void onlyTheClaimerRemovesAClaimedCheckpoint() {
        Entry e = new Entry("call-1", new Checkpoint("call-1", STATE_OF_B, B));
        aClaimsForLost(B).process(e);

        assertThat(new ReleaseClaim(C).process(e)).isFalse();
        assertThat(e.value).isNotNull();
        assertThat(new ReleaseClaim(A).process(e)).isTrue();
        assertThat(e.value).isNull();
        assertThat(new ReleaseClaim(A).process(e)).as("once").isFalse();
    }

    @Test
    void aCallResumedAfterItsClaimKeepsItsNewCheckpoint() {
        Entry e = new Entry("call-1", new Checkpoint("call-1", STATE_OF_B, B));
        aClaimsForLost(B).process(e);
        Checkpoint resumed = new Checkpoint("call-1", "{\"server\":\"c\"}", C);
        e.setValue(resumed); // the dialplan brought the call back late: its new server checkpoints it

        assertThat(new ReleaseClaim(A).process(e)).isFalse();
        assertThat(e.value).isSameAs(resumed);
    }

    @Test
    void thePreviousReleasesScanStillTakesAnUnclaimedCheckpointOfTheLostMember() {
        Entry e = new Entry("call-1", new Checkpoint("call-1", STATE_OF_B, B));
        assertThat(new TakeLost("b", B).process(e)).isNotNull();
        assertThat(e.value).isNull();
    }
}
