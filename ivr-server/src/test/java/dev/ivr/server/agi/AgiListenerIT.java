package dev.ivr.server.agi;

import dev.ivr.fakepbx.AgiCommand;
import dev.ivr.fakepbx.AgiStatus;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.fakepbx.RawConnection;
import dev.ivr.server.call.CallChannel;
import dev.ivr.server.call.ScriptResolvers;
import dev.ivr.server.config.AgiConfig;
import dev.ivr.server.wire.OffCallThread;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The FastAGI listener against the fake PBX over real sockets, with test scripts (no flows). */
@Tag("integration")
class AgiListenerIT {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private AgiListener listener;
    private FakePbx pbx;

    /** Reads up to 4 digits and says them back until the caller is silent, then says goodbye. */
    static void echo(CallChannel ch) {
        ch.answer();
        while (true) {
            CallChannel.Digits d = ch.readDigits("enter-digits", Duration.ofSeconds(5), 4);
            if (d.isEmpty()) {
                ch.play("goodbye", "");
                ch.hangup();
                return;
            }
            ch.sayDigits(d.digits(), "");
        }
    }

    /**
     * A wait for a key whose stop comes while WAIT FOR DIGIT is being written (not done when asked first, done when
     * asked again once the command is written): the NOOP follows the wait at once. Then a variable read: its reply
     * must be its own, not the NOOP's. Says what it got in RESULT ("key/channel").
     */
    static void cutWait(CallChannel ch) {
        CompletableFuture<Void> stop = new CompletableFuture<>() {
            int looks;

            @Override
            public boolean isDone() {
                return ++looks > 1 || super.isDone();
            }
        };
        java.util.Optional<Character> key = ch.waitForDigitUntil(Duration.ofSeconds(30), stop);
        String channel = ch.getVariable("CHANNEL").orElse("?");
        ch.setVariable("RESULT", key.map(String::valueOf).orElse("none") + "/" + channel);
    }

    private void start(AgiConfig config) throws IOException {
        listener = new AgiListener(config, "test-node", ScriptResolvers.fixed(Map.of(
                "echo", AgiListenerIT::echo,
                "args", ch -> {
                    ch.setVariable("ARG_1", ch.info().args().get(0));
                    ch.setVariable("ARG_2", ch.info().args().get(1));
                },
                "boom", ch -> {
                    ch.answer();
                    throw new IllegalStateException("bug in a script");
                },
                "cut-wait", AgiListenerIT::cutWait,
                "thread", ch -> {
                    Thread t = Thread.currentThread();
                    ch.setVariable("THREAD", (t.isVirtual() ? "virtual" : "platform") + "/" + t.getName()
                            + "/daemon=" + t.isDaemon() + "/call=" + OffCallThread.onCallThread());
                })), registry);
        listener.start();
        pbx = new FakePbx("127.0.0.1", listener.port());
    }

    private static AgiConfig config(List<String> allow, Duration idle) {
        return new AgiConfig("127.0.0.1", 0, allow, idle, 1024, 5000, Duration.ofSeconds(5));
    }

    private void start() throws IOException {
        start(config(List.of("127.0.0.1/32"), Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void servesACallTheWayAsteriskExpects() throws IOException {
        start();
        CallResult r = pbx.call("echo").caller(Caller.script().press("12").silence()).run(CALL_TIMEOUT);

        assertThat(r.commandNames()).containsExactly("SET VARIABLE", "ANSWER", "GET DATA", "SAY DIGITS", "GET DATA",
                "STREAM FILE", "HANGUP", "SET VARIABLE");
        assertThat(r.commands("SAY DIGITS").get(0).args()).containsExactly("12", "");
        assertThat(r.commands("GET DATA").get(0).args()).containsExactly("enter-digits", "5000", "4");
        assertThat(r.variable("IVR_NODE")).isEqualTo("test-node");
        assertThat(r.hungUpBy()).isEqualTo(CallResult.HungUpBy.SERVER);
        assertThat(r.agiStatus()).isEqualTo(AgiStatus.HANGUP);
        assertThat(r.error()).isNull();
        await().until(() -> listener.activeCalls() == 0 && listener.openConnections() == 0);
        assertThat(counter("ivr.calls", "outcome", "completed")).isEqualTo(1);
        assertThat(registry.find("ivr.agi.command").tag("command", "GET DATA").timer().count()).isEqualTo(2);
    }

    @Test
    void eachCallRunsOnAVirtualThreadByDefaultAndOnAPooledPlatformThreadWithCallThreadsPlatform() throws IOException {
        start();
        CallResult virtual = pbx.call("thread").run(CALL_TIMEOUT);
        assertThat(virtual.variable("THREAD")).matches("virtual/call-\\d+/daemon=true/call=true");
        listener.close();

        start(new AgiConfig("127.0.0.1", 0, List.of("127.0.0.1/32"), Duration.ofSeconds(5), 1024, 5000,
                Duration.ofSeconds(5), "platform", 256));
        CallResult first = pbx.call("thread").run(CALL_TIMEOUT);
        CallResult second = pbx.call("thread").run(CALL_TIMEOUT);
        // a platform thread, daemon as the virtual ones, that the cluster's operations still leave; pooled, it carries
        // each call's own name while it runs it
        assertThat(first.variable("THREAD")).matches("platform/call-\\d+/daemon=true/call=true");
        assertThat(second.variable("THREAD")).matches("platform/call-\\d+/daemon=true/call=true")
                .isNotEqualTo(first.variable("THREAD"));
        assertThat(List.of(virtual.error() == null, first.error() == null, second.error() == null)).containsOnly(true);
    }

    @Test
    void aWaitForDigitCutByANoopAnswersFirstThenTheNoopWhoseReplyIsSkippedWhetherTheWaitWasCutOrHadEnded() throws IOException {
        start();
        // cut in time: the wait goes on until the NOOP comes, Asterisk answers it result=1, then the NOOP result=0
        CallResult cut = pbx.call("cut-wait").caller(Caller.script().thenSilence()).realTimeouts().run(CALL_TIMEOUT);
        assertThat(cut.commandNames()).containsSubsequence("WAIT FOR DIGIT", "NOOP", "GET FULL VARIABLE", "SET VARIABLE");
        // the variable's reply is its own ("200 result=1 (PJSIP/...)"), not the NOOP's result=0 ("?")
        assertThat(cut.variable("RESULT")).matches("none/[A-Za-z]+/.+");
        // raced, a key: the wait had ended with the caller's key just before the NOOP came; the key counts
        CallResult key = pbx.call("cut-wait").caller(Caller.script().press("5")).run(CALL_TIMEOUT);
        assertThat(key.commandNames()).containsSubsequence("WAIT FOR DIGIT", "NOOP", "GET FULL VARIABLE", "SET VARIABLE");
        assertThat(key.variable("RESULT")).matches("5/[A-Za-z]+/.+");
        // raced, a time-out: the wait's own result=0, then the NOOP's, skipped
        CallResult timedOut = pbx.call("cut-wait").caller(Caller.script().silence()).run(CALL_TIMEOUT);
        assertThat(timedOut.commandNames()).containsSubsequence("WAIT FOR DIGIT", "NOOP", "GET FULL VARIABLE", "SET VARIABLE");
        assertThat(timedOut.variable("RESULT")).matches("none/[A-Za-z]+/.+");
        assertThat(List.of(cut.error() == null, key.error() == null, timedOut.error() == null)).containsOnly(true);
    }

    @Test
    void anUnknownScriptIsLoggedAndGoesBackToTheDialplanWithItsStatusAndTheServerGoesOn() throws IOException {
        start();
        CallResult r = pbx.call("no-such-flow").run(CALL_TIMEOUT);
        // neither answered nor hung up: the dialplan's fallback takes the call, knowing which node said so
        assertThat(r.commandNames()).containsSubsequence("SET VARIABLE", "VERBOSE", "SET VARIABLE")
                .doesNotContain("HANGUP", "ANSWER");
        assertThat(r.agiStatus()).isEqualTo(AgiStatus.SUCCESS);
        assertThat(r.variable("IVR_STATUS")).isEqualTo("NOT_FOUND");
        assertThat(r.variable("IVR_NODE")).isNotBlank();
        assertThat(r.commands("VERBOSE").get(0).args().get(0)).contains("no flow named 'no-such-flow'");

        CallResult hostile = pbx.call("../../etc/passwd").run(CALL_TIMEOUT);
        assertThat(hostile.variable("IVR_STATUS")).isEqualTo("NOT_FOUND");

        assertThat(pbx.call("echo").caller(Caller.script().silence()).run(CALL_TIMEOUT).error()).isNull();
        // a call's outcome is counted as its thread ends, after the PBX's side has seen the script end
        await().until(() -> listener.activeCalls() == 0 && listener.openConnections() == 0);
        assertThat(counter("ivr.calls", "outcome", "not_found")).isEqualTo(2);
    }

    @Test
    void connectionsFromOutsideTheAllowlistAreClosedAtOnce() throws IOException {
        start(config(List.of("10.9.9.9/32"), Duration.ofSeconds(5)));
        try (RawConnection raw = pbx.raw()) {
            assertThat(raw.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
        } catch (java.net.SocketException e) {
            // the server's reset arrived before the client finished connecting: closed at once as well
            assertThat(e.getMessage()).contains("reset");
        }
        CallResult r = pbx.call("echo").run(CALL_TIMEOUT);
        assertThat(r.commands()).isEmpty();
        // as in Asterisk: SUCCESS when the reset comes after the fake PBX sent the environment (res_agi reads the
        // script's end), FAILURE when it comes first; never the call's hang-up, and no IVR_STATUS for the dialplan
        assertThat(r.agiStatus()).isIn(AgiStatus.SUCCESS, AgiStatus.FAILURE);
        assertThat(r.variable("IVR_STATUS")).isNull();
        assertThat(counter("ivr.agi.connections.refused", "reason", "allowlist")).isEqualTo(2);
        assertThat(listener.openConnections()).isZero();
    }

    @Test
    void connectionsThatNeverSendTheEnvironmentAreClosedAfterTheIdleTimeout() throws Exception {
        start(config(List.of("127.0.0.1/32"), Duration.ofMillis(300)));
        try (RawConnection silent = pbx.raw();
             RawConnection partial = pbx.raw().send("agi_network: yes\nagi_network_script: echo\n");
             RawConnection trickle = pbx.raw()) {
            // a peer that sends a line every 100 ms is still held to the deadline for the whole block
            CompletableFuture<Void> trickling = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 30; i++) {
                        trickle.send("agi_arg_" + i + ": x\n");
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    // closed by the server: expected
                }
            });
            assertThat(silent.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
            assertThat(partial.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
            assertThat(trickle.closedByServerWithin(Duration.ofSeconds(2))).isTrue();
            trickling.join();
        }
        await().until(() -> listener.openConnections() == 0);
        assertThat(counter("ivr.agi.protocol.errors", "kind", "idle_timeout")).isEqualTo(3);
        assertThat(pbx.call("echo").caller(Caller.script().silence()).run(CALL_TIMEOUT).error()).isNull();
    }

    @Test
    void garbageInTheEnvironmentEndsThatConnectionOnly() throws IOException {
        start();
        try (RawConnection raw = pbx.raw().send("agi_network: yes\nGET / HTTP/1.1\n\n")) {
            assertThat(raw.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
        }
        try (RawConnection raw = pbx.raw().sendBytes(new byte[]{0x16, 0x03, 0x01, 0x02, 0x00, 0x01, '\n'})) {
            assertThat(raw.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(counter("ivr.agi.protocol.errors", "kind", "malformed_environment")).isEqualTo(2);
        assertThat(pbx.call("echo").caller(Caller.script().press("5").silence()).run(CALL_TIMEOUT).error()).isNull();
    }

    @Test
    void oversizedLinesEndThatCallOnly() throws IOException {
        start();
        try (RawConnection raw = pbx.raw().send("agi_network: yes\nagi_arg_1: " + "x".repeat(100_000) + "\n\n")) {
            assertThat(raw.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
        }
        CallResult r = pbx.call("echo").caller(Caller.script().reply("200 result=" + "1".repeat(5000))).run(CALL_TIMEOUT);
        assertThat(r.commands()).hasSize(1);
        assertThat(counter("ivr.agi.protocol.errors", "kind", "line_too_long")).isEqualTo(2);
        await().until(() -> listener.activeCalls() == 0 && listener.openConnections() == 0);
        assertThat(pbx.call("echo").caller(Caller.script().silence()).run(CALL_TIMEOUT).error()).isNull();
    }

    @Test
    void linesCutAcrossReadsAndLongerThanTheReadBufferAreReadWhole() throws IOException {
        start(); // lines of up to 1024 bytes
        // a line of exactly the limit (its CR included), a two-byte character cut between two sends, CRLF endings
        String arg = "x".repeat(1010) + "\u00fc";
        String env = "agi_network: yes\r\nagi_network_script: args\r\nagi_request: agi://127.0.0.1/args\r\n"
                + "agi_channel: PJSIP/1001-00000001\r\nagi_uniqueid: 1700000000.1\r\nagi_arg_1: " + arg
                + "\r\nagi_arg_2: zwei\r\n\r\n";
        byte[] bytes = env.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(("agi_arg_1: " + arg + "\r").getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(1024);
        try (RawConnection raw = pbx.raw()) {
            int cut = env.indexOf('\u00fc') + 1; // between the character's two bytes (ASCII before it: bytes = chars)
            for (int from = 0; from < bytes.length; from += 97) {
                int to = Math.min(bytes.length, from + 97);
                if (from < cut && cut < to) {
                    raw.sendBytes(java.util.Arrays.copyOfRange(bytes, from, cut));
                    raw.sendBytes(java.util.Arrays.copyOfRange(bytes, cut, to));
                } else {
                    raw.sendBytes(java.util.Arrays.copyOfRange(bytes, from, to));
                }
            }
            assertThat(raw.readLine(CALL_TIMEOUT)).isEqualTo("SET VARIABLE \"IVR_NODE\" \"test-node\"");
            raw.send("200 res").send("ult=1\r\n");
            assertThat(raw.readLine(CALL_TIMEOUT)).isEqualTo("SET VARIABLE \"ARG_1\" \"" + arg + "\"");
            raw.send("200 result=1\r\n200 result=1\r\n"); // two replies in one read: the second is the next one's
            assertThat(raw.readLine(CALL_TIMEOUT)).isEqualTo("SET VARIABLE \"ARG_2\" \"zwei\"");
        }
        assertThat(counter("ivr.agi.protocol.errors", "kind", "line_too_long")).isZero();
        await().until(() -> listener.activeCalls() == 0 && listener.openConnections() == 0);
    }

    @Test
    void anEnvironmentTooLargeInAllIsRefused() throws IOException {
        start(); // lines of up to 1024 bytes
        // every line within the line limit, but 100 KB in all: refused before it is kept for the call
        StringBuilder big = new StringBuilder("agi_network: yes\nagi_network_script: echo\n");
        for (int i = 1; i <= 100; i++) {
            big.append("agi_arg_").append(i).append(": ").append("x".repeat(1000)).append('\n');
        }
        // short lines, but more variables than Asterisk ever sends
        StringBuilder many = new StringBuilder("agi_network: yes\nagi_network_script: echo\n");
        for (int i = 1; i <= 300; i++) {
            many.append("agi_arg_").append(i).append(": x\n");
        }
        try (RawConnection a = pbx.raw().send(big.append('\n').toString());
             RawConnection b = pbx.raw().send(many.append('\n').toString())) {
            assertThat(a.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
            assertThat(b.closedByServerWithin(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(counter("ivr.agi.protocol.errors", "kind", "environment_too_large")).isEqualTo(2);
        assertThat(listener.activeCalls()).isZero();
        // a real call's environment (and its arguments) is far below both limits
        assertThat(pbx.call("echo").args("a".repeat(500), "b").caller(Caller.script().silence()).run(CALL_TIMEOUT).error())
                .isNull();
    }

    @Test
    void aGarbageReplyMidCallClosesThatCallCleanly() throws IOException {
        start();
        CallResult r = pbx.call("echo").caller(Caller.script().press("1").reply("this is not AGI")).run(CALL_TIMEOUT);
        // the call got as far as the garbage, then the server closed it without another command
        assertThat(r.commandNames()).containsExactly("SET VARIABLE", "ANSWER", "GET DATA", "SAY DIGITS");
        assertThat(r.agiStatus()).isEqualTo(AgiStatus.SUCCESS); // the server closed the socket
        await().until(() -> listener.activeCalls() == 0 && listener.openConnections() == 0);
        assertThat(counter("ivr.calls", "outcome", "protocol_error")).isEqualTo(1);
        assertThat(pbx.call("echo").caller(Caller.script().silence()).run(CALL_TIMEOUT).error()).isNull();
    }

    @Test
    void callerHangingUpMidFlowReleasesTheCall() throws IOException {
        start();
        CallResult r = pbx.call("echo").caller(Caller.script().press("42").hangUp()).run(CALL_TIMEOUT);
        assertThat(r.hungUpBy()).isEqualTo(CallResult.HungUpBy.CALLER);
        assertThat(r.agiStatus()).isEqualTo(AgiStatus.HANGUP);
        // after result=-1 the server touches the channel no more
        List<String> names = r.commandNames();
        int hangupAt = names.lastIndexOf("GET DATA");
        assertThat(names.subList(hangupAt + 1, names.size())).doesNotContain("STREAM FILE", "GET DATA", "HANGUP", "ANSWER");
        await().until(() -> listener.activeCalls() == 0 && listener.openConnections() == 0);
        assertThat(counter("ivr.calls", "outcome", "caller_hangup")).isEqualTo(1);
    }

    @Test
    void callerHangingUpBetweenCommandsAndWithExitOnHangup() throws IOException {
        start();
        CallResult between = pbx.call("echo").caller(Caller.script().press("7").hangUpBetweenCommands()).run(CALL_TIMEOUT);
        assertThat(between.hungUpBy()).isEqualTo(CallResult.HungUpBy.CALLER);
        CallResult exiting = pbx.call("echo").exitOnHangup().caller(Caller.script().hangUp()).run(CALL_TIMEOUT);
        assertThat(exiting.agiStatus()).isEqualTo(AgiStatus.HANGUP);
        await().until(() -> listener.activeCalls() == 0 && listener.openConnections() == 0);
        assertThat(counter("ivr.calls", "outcome", "caller_hangup")).isEqualTo(2);
    }

    @Test
    void aFailingScriptEndsItsCallAndNothingElse() throws IOException {
        start();
        CallResult r = pbx.call("boom").run(CALL_TIMEOUT);
        // back to the dialplan with the status, for its fallback (the caller is not hung up)
        assertThat(r.variable("IVR_STATUS")).isEqualTo("FAILED");
        assertThat(r.commandNames()).doesNotContain("HANGUP");
        await().until(() -> listener.activeCalls() == 0 && listener.openConnections() == 0);
        assertThat(counter("ivr.calls", "outcome", "failed")).isEqualTo(1);
        assertThat(pbx.call("echo").caller(Caller.script().silence()).run(CALL_TIMEOUT).error()).isNull();
    }

    @Test
    void holdsTwoThousandCallsAtOnce() throws IOException {
        start();
        int n = 2000;
        CompletableFuture<Void> release = new CompletableFuture<>();
        Caller waiting = Caller.script().press("1").hold(release).press("2").silence();
        List<FakeCall> calls = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            calls.add(pbx.call("echo").caller(waiting).start());
        }
        // every call is in the middle of its flow, waiting in GET DATA at the same time
        await().atMost(Duration.ofSeconds(120)).until(() -> listener.activeCalls() == n);
        assertThat(calls).allSatisfy(c -> assertThat(c.isEnded()).isFalse());
        release.complete(null);
        for (FakeCall c : calls) {
            CallResult r = c.await(Duration.ofSeconds(120));
            assertThat(r.error()).isNull();
            assertThat(r.commands("SAY DIGITS")).extracting(AgiCommand::args)
                    .containsExactly(List.of("1", ""), List.of("2", ""));
        }
        await().until(() -> listener.activeCalls() == 0 && listener.openConnections() == 0);
        assertThat(counter("ivr.calls", "outcome", "completed")).isEqualTo(n);
        assertThat(registry.find("ivr.agi.connections.refused").counters()).isEmpty();
    }

    @Test
    void drainLetsCallsInProgressFinishAndRefusesNewOnes() throws Exception {
        start();
        CompletableFuture<Void> release = new CompletableFuture<>();
        FakeCall inProgress = pbx.call("echo").caller(Caller.script().hold(release).press("3").silence()).start();
        await().until(() -> listener.activeCalls() == 1);
        listener.stopAccepting();
        assertThat(pbx.call("echo").run(CALL_TIMEOUT).agiStatus()).isEqualTo(AgiStatus.FAILURE);
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> listener.drain(Duration.ofSeconds(30)));
        release.complete(null);
        assertThat(drained.get()).isTrue();
        assertThat(inProgress.await(CALL_TIMEOUT).error()).isNull();
    }

    /** Issue 18 (10): a call cut at the end of the drain time was taken for a caller's hang-up (ABANDONED_IN_IVR). */
    @Test
    void aCallCutAtTheEndOfTheDrainIsACallFailureNotAHangUp() throws Exception {
        CompletableFuture<RuntimeException> seen = new CompletableFuture<>();
        listener = new AgiListener(config(List.of("127.0.0.1/32"), Duration.ofSeconds(60)), "test-node",
                ScriptResolvers.fixed(Map.of("wait", ch -> {
                    ch.answer();
                    try {
                        ch.readDigits("enter-digits", Duration.ofSeconds(60), 4);
                        seen.complete(null);
                    } catch (RuntimeException e) {
                        seen.complete(e);
                        throw e;
                    }
                })), registry);
        listener.start();
        pbx = new FakePbx("127.0.0.1", listener.port());
        CompletableFuture<Void> release = new CompletableFuture<>();
        FakeCall call = pbx.call("wait").caller(Caller.script().hold(release)).start();
        await().until(() -> listener.activeCalls() == 1);
        listener.stopAccepting();
        assertThat(listener.drain(Duration.ZERO)).isFalse();
        listener.close();
        RuntimeException e = seen.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(e).isInstanceOf(dev.ivr.server.call.CallFailedException.class)
                .hasMessageContaining("drain time");
        release.complete(null); // the fake caller finds the connection closed
        assertThat(call.await(CALL_TIMEOUT).agiStatus()).isNotEqualTo(AgiStatus.SUCCESS);
    }

    /**
     * What a cut call does as it ends (its journal, its counts: the call's {@code ended}) runs before what the server
     * closes after the listener (the IVR exits' last send, the cluster): {@code close} used to return once it had cut
     * the sockets, the calls' threads still running.
     */
    @Test
    void closeReturnsAfterTheCutCallsThreadsEnded() throws Exception {
        java.util.concurrent.CountDownLatch ending = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        listener = new AgiListener(config(List.of("127.0.0.1/32"), Duration.ofSeconds(60)), "test-node",
                ScriptResolvers.fixed(Map.of("wait", ch -> {
                    ch.answer();
                    try {
                        ch.readDigits("enter-digits", Duration.ofSeconds(60), 4);
                    } finally {
                        ending.countDown();
                        gate.join();
                        ended.set(true);
                    }
                })), registry);
        listener.start();
        pbx = new FakePbx("127.0.0.1", listener.port());
        CompletableFuture<Void> release = new CompletableFuture<>();
        FakeCall call = pbx.call("wait").caller(Caller.script().hold(release)).start();
        await().until(() -> listener.activeCalls() == 1);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(listener::close);
        ending.await();
        assertThat(closing).as("close waits for the call's thread").isNotDone();
        gate.complete(null);
        closing.get();
        assertThat(ended).as("the call's end ran before close returned").isTrue();
        release.complete(null);
        assertThat(call.await(CALL_TIMEOUT).agiStatus()).isNotEqualTo(AgiStatus.SUCCESS);
    }

    private double counter(String name, String tag, String value) {
        var c = registry.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }
}
