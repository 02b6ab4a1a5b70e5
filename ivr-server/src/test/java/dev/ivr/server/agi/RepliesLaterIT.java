package dev.ivr.server.agi;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.server.call.CallChannel;
import dev.ivr.server.call.CallFailedException;
import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.call.ScriptResolvers;
import dev.ivr.server.config.AgiConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Commands whose replies no thread waits for ({@link CallChannel#playUntilLater} and the others, what a caller
 * waiting for an agent sends): over real sockets against the fake PBX, read by the listener's poller and handed on to
 * a virtual thread with the call's MDC; cut by a NOOP; a hang-up and the drain's cut seen as with a blocking read.
 */
@Tag("integration")
class RepliesLaterIT {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final CompletableFuture<RuntimeException> failed = new CompletableFuture<>();
    private AgiListener listener;
    private FakePbx pbx;

    /** Where a later step ran: the thread's name, and whether the call's MDC was set there. */
    private void saw(String callMdc) {
        seen.add(Thread.currentThread().getName() + "/" + (callMdc != null && callMdc.equals(MDC.get("call"))));
    }

    /** Music on, a prompt, a wait for a key of {@code seconds}: each reply read with no thread waiting for it. */
    private void later(CallChannel ch, CompletableFuture<Void> stop, long seconds) {
        String callMdc = MDC.get("call");
        try {
            Optional<Character> key = ch.musicOnHoldLater(true, null)
                    .thenCompose(v -> {
                        saw(callMdc);
                        return ch.playUntilLater("hello", "5", stop);
                    })
                    .thenCompose(k -> {
                        saw(callMdc);
                        return k.isPresent() ? CompletableFuture.completedFuture(k)
                                : ch.waitForDigitUntilLater(Duration.ofSeconds(seconds), stop);
                    })
                    .whenComplete((k, e) -> saw(callMdc))
                    .join();
            ch.setVariable("RESULT", key.map(String::valueOf).orElse("none"));
            failed.complete(null);
        } catch (CompletionException e) {
            RuntimeException cause = (RuntimeException) e.getCause();
            failed.complete(cause);
            throw cause;
        }
    }

    private void start(Duration idle) throws IOException {
        listener = new AgiListener(new AgiConfig("127.0.0.1", 0, List.of("127.0.0.1/32"), idle, 1024, 5000,
                Duration.ofSeconds(5)), "test-node", ScriptResolvers.fixed(Map.of(
                "later", ch -> later(ch, new CompletableFuture<>(), 1),
                "long", ch -> later(ch, new CompletableFuture<>(), 60),
                "cut", ch -> later(ch, stopOnceWritten(), 30))), registry);
        listener.start();
        pbx = new FakePbx("127.0.0.1", listener.port());
    }

    /** Not done when looked at first (before the command is written), done after: the NOOP follows the command. */
    private static CompletableFuture<Void> stopOnceWritten() {
        return new CompletableFuture<>() {
            int looks;

            @Override
            public boolean isDone() {
                return ++looks > 1 || super.isDone();
            }
        };
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void repliesAreReadByThePollerAndWhatFollowsRunsOnAVirtualThreadWithTheCallsMdc() throws IOException {
        start(Duration.ofSeconds(5));
        CallResult r = pbx.call("later").caller(Caller.script().thenSilence()).realTimeouts().run(CALL_TIMEOUT);
        assertThat(r.error()).isNull();
        assertThat(r.commandNames()).containsSubsequence("SET MUSIC", "STREAM FILE", "WAIT FOR DIGIT", "SET VARIABLE");
        assertThat(r.variable("RESULT")).isEqualTo("none");
        assertThat(seen).hasSize(3).containsOnly("agi-reply/true");
        // a key during the prompt stops it and is returned
        CallResult key = pbx.call("later").caller(Caller.script().press("5")).run(CALL_TIMEOUT);
        assertThat(key.variable("RESULT")).isEqualTo("5");
        await().until(() -> listener.activeCalls() == 0 && listener.openConnections() == 0);
        assertThat(registry.find("ivr.agi.command").tag("command", "WAIT FOR DIGIT").timer().count()).isPositive();
    }

    @Test
    void aWaitCutByANoopAnswersEmptyAndTheNoopsReplyIsSkipped() throws IOException {
        start(Duration.ofSeconds(5));
        CallResult r = pbx.call("cut").caller(Caller.script().thenSilence()).realTimeouts().run(CALL_TIMEOUT);
        assertThat(r.error()).isNull();
        // the prompt is cut at once (the NOOP's reply stands for its own); the wait is not sent (its stop is done)
        assertThat(r.commandNames()).containsSubsequence("STREAM FILE", "NOOP", "SET VARIABLE");
        assertThat(r.variable("RESULT")).isEqualTo("none");
    }

    @Test
    void aHangUpDuringAWaitNoThreadReadsEndsTheCallAsAHangUp() throws Exception {
        start(Duration.ofSeconds(5));
        CallResult r = pbx.call("long").caller(Caller.script().hangUp()).run(CALL_TIMEOUT);
        assertThat(r.hungUpBy()).isEqualTo(CallResult.HungUpBy.CALLER);
        assertThat(failed.get(20, TimeUnit.SECONDS)).isInstanceOf(CallerHungUpException.class);
        await().until(() -> listener.activeCalls() == 0 && listener.openConnections() == 0);
        assertThat(registry.find("ivr.calls").tag("outcome", "caller_hangup").counter().count()).isEqualTo(1);
    }

    @Test
    void theDrainsCutOfAWaitNoThreadReadsIsACallFailure() throws Exception {
        start(Duration.ofSeconds(60));
        FakeCall call = pbx.call("long").caller(Caller.script().thenSilence()).realTimeouts().start();
        await().until(() -> seen.size() == 2); // in its WAIT FOR DIGIT of 60 s
        listener.stopAccepting();
        listener.close();
        assertThat(failed.get(20, TimeUnit.SECONDS)).isInstanceOf(CallFailedException.class)
                .hasMessageContaining("drain time");
        assertThat(call.isEnded() || listener.openConnections() == 0).isTrue(); // the fake caller's wait ends by itself
    }
}
