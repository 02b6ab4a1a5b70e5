package dev.ivr.routing.hazelcast;

import dev.ivr.routing.AgentState;
import org.junit.jupiter.api.Test;

import java.util.AbstractMap;
import java.util.Map;

import static dev.ivr.routing.hazelcast.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hazelcast retries an operation whose member died before replying, on the promoted backup that may already
 * have applied it. A retried command must report what it did instead of failing (or applying twice).
 */
class CommandReplayTest {

    /** A map entry as an entry processor sees it. */
    private static final class Entry<V> extends AbstractMap.SimpleEntry<String, V> {
        Entry(String key, V value) {
            super(key, value);
        }
    }

    @Test
    void aRetriedReservationReportsSuccess() {
        Map.Entry<String, AgentRecord> entry = new Entry<>("a1", Fixtures.ready("a1", T0, "sales:5"));
        AgentCommand reserve = AgentCommand.reserve(42, "c1", "q", "n", T0 + 100, T0 + 1);

        AgentResult first = reserve.process(entry);
        AgentResult retried = reserve.process(entry);

        assertThat(first.applied()).isTrue();
        assertThat(retried.applied()).isTrue();
        assertThat(retried.from()).isEqualTo(AgentState.READY);
        assertThat(retried.record()).isEqualTo(first.record());
        assertThat(retried.changed()).isTrue();
        // another decision for the same agent is refused
        assertThat(AgentCommand.reserve(42, "c2", "q", "n", T0 + 100, T0 + 2).process(entry).applied()).isFalse();
    }

    @Test
    void aRetriedOfferReportsSuccessAndAnotherOfferIsRefused() {
        Map.Entry<String, CallRecord> entry = new Entry<>("c1", Fixtures.call("c1", "q", T0, 0));
        AgentRecord agent = Fixtures.ready("a1", T0, "sales:5");
        CallCommand offer = CallCommand.offer(agent, T0 + 1);

        CallResult first = offer.process(entry);
        CallResult retried = offer.process(entry);

        assertThat(first.applied()).isTrue();
        assertThat(retried.applied()).isTrue();
        assertThat(retried.after().offers()).isEqualTo(1);
        assertThat(CallCommand.offer(agent, T0 + 2).process(entry).applied()).as("a second decision").isFalse();
    }

    @Test
    void aRetriedOfferFailureIsNotLost() {
        AgentRecord reserved = Fixtures.ready("a1", T0, "sales:5").reserve(42, "c1", "q", "n", T0 + 100, T0);
        Map.Entry<String, AgentRecord> entry = new Entry<>("a1", reserved);
        AgentCommand failed = AgentCommand.offerFailed("c1", "no-answer", T0 + 5);

        assertThat(failed.process(entry).applied()).isTrue();
        AgentResult retried = failed.process(entry);
        assertThat(retried.applied()).isTrue();
        assertThat(retried.from()).isEqualTo(AgentState.RESERVED);
        assertThat(retried.record().state()).isEqualTo(AgentState.NOT_READY);
    }

    @Test
    void removalEmptiesTheEntry() {
        Map.Entry<String, CallRecord> entry = new Entry<>("c1", Fixtures.call("c1", "q", T0, 0));
        CallResult removed = CallCommand.of(CallCommand.Op.REMOVE_IF_WAITING, null, T0).process(entry);
        assertThat(removed.applied()).isTrue();
        assertThat(removed.after()).isNull();
        assertThat(entry.getValue()).isNull();
    }
}
