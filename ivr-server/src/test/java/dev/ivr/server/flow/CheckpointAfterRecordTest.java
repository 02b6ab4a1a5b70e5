package dev.ivr.server.flow;

import dev.ivr.server.call.CallInfo;
import dev.ivr.server.crm.Authentication;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.crm.Customer;
import dev.ivr.server.crm.Identification;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.crm.NoCrmStore;
import dev.ivr.server.flow.engine.Checkpoints;
import dev.ivr.server.flow.engine.FlowEngine;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.flow.tools.CallerSteps;
import dev.ivr.server.flow.tools.SimulatedChannel;
import dev.ivr.server.flow.tools.TranscriptAudio;
import dev.ivr.server.speech.SpeechModels;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A finished call's checkpoint stays until its interaction is durable: a server killed between the call's end and
 * the writer's commit leaves the checkpoint, from which a surviving server records the call.
 */
class CheckpointAfterRecordTest {
    /** A store whose writer has not committed yet: it keeps what waits for the commit. */
    static final class SlowWriter implements CrmStore {
        final CrmStore none = new NoCrmStore();
        final List<Interaction> recorded = new CopyOnWriteArrayList<>();
        final List<Runnable> waiting = new CopyOnWriteArrayList<>();

        @Override
        public Identification identify(String ani) {
            return none.identify(ani);
        }

        @Override
        public Authentication authenticate(String accountNumber, String pin, String callId) {
            return none.authenticate(accountNumber, pin, callId);
        }

        @Override
        public Optional<Customer> customer(String customerId) {
            return none.customer(customerId);
        }

        @Override
        public void record(Interaction interaction) {
            recorded.add(interaction);
        }

        @Override
        public void record(Interaction interaction, Runnable whenDurable) {
            recorded.add(interaction);
            waiting.add(whenDurable);
        }
    }

    /** The cluster's checkpoints, as far as this test sees them. */
    static final class Kept implements Checkpoints {
        final Map<String, String> states = new ConcurrentHashMap<>();

        @Override
        public void save(String callId, String state) {
            states.put(callId, state);
        }

        @Override
        public Optional<String> load(String callId) {
            return Optional.ofNullable(states.get(callId));
        }

        @Override
        public void delete(String callId) {
            states.remove(callId);
        }
    }

    @Test
    void theCheckpointGoesOnlyOnceTheInteractionIsDurable() {
        var set = SpeechFlowsTest.load(SpeechFlowsTest.DIR, SpeechModels.SIMULATED).flowSet();
        CallInfo info = new CallInfo("durable-1", "listen", Map.of(), List.of(), "+3612345678", "", "1000",
                "PJSIP/1-1", "en", "from-pbx", "1000", "127.0.0.1");
        SlowWriter crm = new SlowWriter();
        Kept checkpoints = new Kept();
        SimulatedChannel channel = new SimulatedChannel(info, CallerSteps.parse("say:my invoice@0.75"), null, x -> { });

        new FlowEngine(() -> set, new TranscriptAudio(), crm, CallRouter.NONE, checkpoints, Clock.systemUTC(), "a",
                channel.speech(true)).run(channel, "listen");

        assertThat(crm.recorded).extracting(Interaction::callId).containsExactly("durable-1");
        assertThat(checkpoints.load("durable-1")).as("the call is over, its interaction not yet durable").isPresent();
        crm.waiting.forEach(Runnable::run); // the writer's commit (or the outbox on disk)
        assertThat(checkpoints.load("durable-1")).isEmpty();
    }
}
