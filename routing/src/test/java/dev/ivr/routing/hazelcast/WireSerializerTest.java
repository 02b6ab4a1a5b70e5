package dev.ivr.routing.hazelcast;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.RelaxationStep;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.routing.ServiceLevelTarget;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ivr.routing.test.TestSeal;

import static dev.ivr.routing.hazelcast.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** Every wire type survives a round trip through Hazelcast's serialization, found by the service-loader hook. */
class WireSerializerTest {
    private final SerializationService ss = new DefaultSerializationServiceBuilder().build();

    private <T> T roundTrip(Object value) {
        Data data = ss.toData(value);
        assertThat(data.getType()).as("written by WireSerializer, not Java serialization")
                .isEqualTo(WireSerializer.TYPE_ID);
        return ss.toObject(data);
    }

    @Test
    void withASealValuesAreSealedAndNothingElseIsRead() {
        SerializationService sealed = sealedService(new TestSeal((byte) 1));
        AgentRecord agent = Fixtures.loggedIn("a1", Map.of("sales", 7), Set.of("en"));
        Data data = sealed.toData(agent);
        assertThat(data.getType()).isEqualTo(WireSerializer.TYPE_ID);
        assertThat(new String(data.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("a1", "sales");
        assertThat((AgentRecord) sealed.toObject(data)).isEqualTo(agent);
        // another key, or no key at all, reads nothing; the sealed reader refuses plain bytes
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sealedService(new TestSeal((byte) 2)).toObject(data))
                .isInstanceOf(com.hazelcast.nio.serialization.HazelcastSerializationException.class)
                .hasMessageContaining("refused");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ss.toObject(data)).isInstanceOf(RuntimeException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sealed.toObject(ss.toData(agent)))
                .hasMessageContaining("refused");
    }

    static SerializationService sealedService(dev.ivr.routing.ValueSeal seal) {
        com.hazelcast.config.SerializationConfig config = new com.hazelcast.config.SerializationConfig();
        dev.ivr.routing.hazelcast.HazelcastRouting.seal(config, seal);
        return new DefaultSerializationServiceBuilder().setConfig(config).build();
    }

    @Test
    void agentRecordsAndCommands() {
        AgentRecord agent = Fixtures.loggedIn("a1", Map.of("sales", 7, "french", 3), Set.of("fr", "en"))
                .ready(T0).reserve(42, "c1", "sales", "node", T0 + 5, T0 + 1, "decider").notReady("break", T0 + 2);
        assertThat((AgentRecord) roundTrip(agent)).isEqualTo(agent);

        AgentCommand login = AgentCommand.login(new AgentProfile("a", "Ann", "PJSIP/1", Map.of("x", 2), Set.of("en")), 9, T0);
        assertThat((AgentCommand) roundTrip(login)).isEqualTo(login);
        AgentCommand reserve = AgentCommand.reserve(9, "c", "q", "n", T0 + 9, T0, "decider");
        assertThat((AgentCommand) roundTrip(reserve)).isEqualTo(reserve);

        AgentResult result = new AgentResult(true, AgentState.READY, T0, agent);
        assertThat((AgentResult) roundTrip(result)).isEqualTo(result);
        AgentResult unknown = new AgentResult(false, null, 0, null);
        assertThat((AgentResult) roundTrip(unknown)).isEqualTo(unknown);
    }

    @Test
    void callRecordsAndCommands() {
        CallRecord call = Fixtures.call(CallRequest.builder("c1", "sales").skill("x", 4).language("fr")
                .priority(3).preferredAgent("a1").pbx("pbx-b").build(), T0).offer("a2", "Bob", "PJSIP/2", T0 + 3);
        assertThat((CallRecord) roundTrip(call)).isEqualTo(call);
        assertThat(((CallRecord) roundTrip(call)).pbx()).isEqualTo("pbx-b");
        CallCommand offer = CallCommand.offer(Fixtures.ready("a", T0, "x:1"), T0);
        assertThat((CallCommand) roundTrip(offer)).isEqualTo(offer);
        for (CallResult r : List.of(new CallResult(true, call, null), new CallResult(false, call, call),
                new CallResult(true, call, call.requeue("a2")), new CallResult(false, null, null))) {
            assertThat((CallResult) roundTrip(r)).isEqualTo(r);
        }
    }

    @Test
    void queueDefinitionsAndStatistics() {
        QueueDefinition q = QueueDefinition.builder("support").name("Support").requireSkill("support", 5)
                .priority(2).priorityAging(Duration.ofSeconds(30))
                .serviceLevel(new ServiceLevelTarget(0.9, Duration.ofSeconds(15), Duration.ofMinutes(15)))
                .relax(RelaxationStep.after(Duration.ofSeconds(30)).skillLevel("support", 3))
                .relax(RelaxationStep.after(Duration.ofSeconds(60)).addQueue("billing"))
                .maxWait(Duration.ofMinutes(5), "voicemail").ringTime(Duration.ofSeconds(15))
                .wrapUp(Duration.ofSeconds(10)).preferredAgentWait(Duration.ofSeconds(20)).build();
        assertThat(((QueueEntry) roundTrip(new QueueEntry(q))).definition()).isEqualTo(q);
        QueueDefinition minimal = QueueDefinition.builder("m").build();
        assertThat(((QueueEntry) roundTrip(new QueueEntry(minimal))).definition()).isEqualTo(minimal);

        QueueStatsRecord stats = QueueStatsRecord.empty(60_000 * 30)
                .record(60_000 * 30, T0, new int[]{QueueStatsRecord.ANSWERED}, new long[]{3});
        QueueStatsRecord back = roundTrip(stats);
        assertThat(back.totals(T0)).containsExactly(stats.totals(T0));
        StatsCommand command = new StatsCommand(T0, 1000, new int[]{1, 2}, new long[]{3, 4});
        StatsCommand c = roundTrip(command);
        assertThat(c.deltas()).containsExactly(3, 4);
    }

    @Test
    void events() {
        Instant at = Instant.ofEpochMilli(T0).plusNanos(123);
        List<RoutingEvent> events = List.of(
                new RoutingEvent.AgentStateChanged("a", AgentState.READY, AgentState.RESERVED, null, "c", at),
                new RoutingEvent.CallQueued("c", "q", 2, "node", at),
                new RoutingEvent.CallOffered("c", "q", "a", 1, at),
                new RoutingEvent.CallRequeued("c", "q", "a", "no-answer", at),
                new RoutingEvent.CallAnswered("c", "q", "a", Duration.ofSeconds(12), at),
                new RoutingEvent.CallAbandoned("c", "q", Duration.ofSeconds(3), RoutingEvent.CALLER_HANGUP, at),
                new RoutingEvent.MaxWaitReached("c", "q", "voicemail", Duration.ofMinutes(5), at));
        for (RoutingEvent e : events) {
            assertThat(((EventEnvelope) roundTrip(new EventEnvelope(e))).event()).isEqualTo(e);
        }
    }
}
