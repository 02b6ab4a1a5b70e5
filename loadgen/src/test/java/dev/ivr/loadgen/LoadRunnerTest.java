package dev.ivr.loadgen;

import dev.ivr.testsupport.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generator against a server that misbehaves on purpose, in known proportions: every
 * failure it is fed must be counted, under the right kind, and nothing else.
 */
class LoadRunnerTest {
    private ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    private final AtomicLong commandsSent = new AtomicLong();

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** Call n: 0 mod 5 closed at once, 1 mod 5 reset mid-call, 2 mod 5 ends without the expected HANGUP, others fine. */
    private void startMisbehavingServer() throws IOException {
        server = new ServerSocket(0, 1000);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    int n = connections.getAndIncrement();
                    Thread.ofVirtual().start(() -> serve(s, n));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void serve(Socket s, int n) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            if (n % 5 == 0) {
                served.computeIfAbsent("closed_before_service", k -> new AtomicInteger()).incrementAndGet();
                return;
            }
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                // environment
            }
            send(out, in, "ANSWER");
            if (n % 5 == 1) {
                // the connection breaks mid-call (reset)
                served.computeIfAbsent("dropped_mid_call", k -> new AtomicInteger()).incrementAndGet();
                s.setSoLinger(true, 0);
                return;
            }
            if (n % 5 == 2) {
                // the call completes but not as the scenario expects (no HANGUP)
                send(out, in, "VERBOSE \"x\" 1");
                served.computeIfAbsent("scenario_no_hangup", k -> new AtomicInteger()).incrementAndGet();
                return;
            }
            send(out, in, "STREAM FILE \"beep\" \"\"");
            send(out, in, "HANGUP");
            served.computeIfAbsent("ok", k -> new AtomicInteger()).incrementAndGet();
        } catch (IOException e) {
            served.computeIfAbsent("server_error", k -> new AtomicInteger()).incrementAndGet();
        }
    }

    private void send(OutputStream out, BufferedReader in, String cmd) throws IOException {
        out.write((cmd + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        commandsSent.incrementAndGet();
        in.readLine();
    }

    @Test
    void countsEveryFailureItIsFedByKind() throws Exception {
        startMisbehavingServer();
        LoadRunner runner = new LoadRunner("127.0.0.1", server.getLocalPort(), Scenarios.byName("diag"), Duration.ZERO,
                2000, Duration.ofSeconds(30));
        try (runner) {
            runner.target(20);
            while (runner.stats().started() < 500) {
                Thread.sleep(10);
            }
            runner.stop(Duration.ofSeconds(30));
        }
        Stats s = runner.stats();
        assertThat(s.active()).isZero();
        assertThat(s.started()).isEqualTo(connections.get());
        assertThat(s.succeeded()).isEqualTo(served.get("ok").get());
        assertThat(s.failures()).containsOnlyKeys("closed_before_service", "dropped_mid_call", "scenario_no_hangup");
        s.failures().forEach((kind, count) -> assertThat(count).as(kind).isEqualTo(served.get(kind).get()));
        assertThat(s.succeeded() + s.failed()).isEqualTo(s.started());
        assertThat(s.commands()).isEqualTo(commandsSent.get());
    }

    @Test
    void aServerThatIsNotThereIsAConnectFailureForEveryCall() throws Exception {
        int port = FreePorts.pick(); // nobody listens there
        LoadRunner runner = new LoadRunner("127.0.0.1", port, Scenarios.byName("diag"), Duration.ZERO, 1000,
                Duration.ofSeconds(30));
        try (runner) {
            runner.target(5);
            while (runner.stats().started() < 50) {
                Thread.sleep(10);
            }
            runner.stop(Duration.ofSeconds(30));
        }
        assertThat(runner.stats().failures()).containsOnlyKeys("connect_failed");
        assertThat(runner.stats().failed()).isEqualTo(runner.stats().started());
        assertThat(runner.stats().succeeded()).isZero();
    }

    @Test
    void openLoopStartsCallsAtItsRateHoweverManyAreInProgress() throws Exception {
        // a server that takes every connection and never answers: no call ends
        server = new ServerSocket(0, 1000);
        // the accept thread adds while the finally block closes: a copy-on-write list iterates safely
        java.util.List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    held.add(server.accept());
                } catch (IOException e) {
                    return;
                }
            }
        });
        LoadRunner runner = new LoadRunner("127.0.0.1", server.getLocalPort(), Scenarios.byName("diag"), Duration.ZERO,
                10, Duration.ofSeconds(30));
        try (runner) {
            runner.rate(400);
            assertThat(runner.openLoop()).isTrue();
            while (runner.stats().started() < 100) {
                Thread.sleep(10);
            }
            assertThat(runner.stats().active()).as("calls started while none ended").isGreaterThan(50);
            runner.target(0);
            assertThat(runner.openLoop()).isFalse();
        } finally {
            server.close(); // no more accepts, then close what was taken
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void responseTimesAreFiledByCommandWithTheApplicationAndTheVariable() {
        assertThat(LoadRunner.label(dev.ivr.fakepbx.AgiCommand.parse("EXEC \"Dial\" \"PJSIP/a1,20\""))).isEqualTo("EXEC Dial");
        assertThat(LoadRunner.label(dev.ivr.fakepbx.AgiCommand.parse("SET VARIABLE \"AJ_AGISTATUS\" \"SUCCESS\"")))
                .isEqualTo("SET VARIABLE AJ_AGISTATUS");
        assertThat(LoadRunner.label(dev.ivr.fakepbx.AgiCommand.parse("WAIT FOR DIGIT 5000"))).isEqualTo("WAIT FOR DIGIT");
        // music on (after a wait's turn) and off (before an announcement) are told apart, whatever their case
        assertThat(LoadRunner.label(dev.ivr.fakepbx.AgiCommand.parse("SET MUSIC ON default"))).isEqualTo("SET MUSIC on");
        assertThat(LoadRunner.label(dev.ivr.fakepbx.AgiCommand.parse("SET MUSIC on"))).isEqualTo("SET MUSIC on");
        assertThat(LoadRunner.label(dev.ivr.fakepbx.AgiCommand.parse("SET MUSIC OFF"))).isEqualTo("SET MUSIC off");
    }

    @Test
    void aSteadyRampReachesATargetAtTheRateItsCallsWillBeReplacedAt() {
        long thirteenSeconds = 13_000_000_000L;
        assertThat(LoadRunner.rampRate(1500, true, 5000, 100, 100 * thirteenSeconds)).as("5,000 calls of 13 s").isEqualTo(385);
        assertThat(LoadRunner.rampRate(1500, true, 26_000, 100, 100 * thirteenSeconds)).as("capped by the ramp").isEqualTo(1500);
        assertThat(LoadRunner.rampRate(1500, true, 5, 100, 100 * thirteenSeconds)).as("at least one a second").isEqualTo(1);
        assertThat(LoadRunner.rampRate(1500, false, 5000, 100, 100 * thirteenSeconds)).as("not steady: the ramp").isEqualTo(1500);
        assertThat(LoadRunner.rampRate(1500, true, 5000, LoadRunner.MIN_ENDED_FOR_MEAN - 1, 19 * thirteenSeconds))
                .as("too few calls ended to know their length").isEqualTo(1500);
    }
}
