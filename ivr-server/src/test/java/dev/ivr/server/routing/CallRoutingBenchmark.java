package dev.ivr.server.routing;

import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.testing.TestConfigs;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.ivr.server.routing.RoutingHarness.config;
import static dev.ivr.server.routing.RoutingHarness.queue;

/**
 * Figures of the call side of routing for docs/benchmarks.md, on one server (one Hazelcast
 * member, FastAGI over loopback, the fake PBX in the same JVM):
 * <ol>
 *   <li>waiting: N callers waiting at once (music, one WAIT FOR DIGIT a second, no
 *       announcements): CPU per waiting caller and AGI commands per second;</li>
 *   <li>offer: while they wait, agents become ready one at a time: time from {@code ready()} to
 *       the agent's Dial command reaching the PBX (context built and stored, screen pop
 *       published, variables set);</li>
 *   <li>throughput: calls routed end to end (route node, reservation, context, Dial answered,
 *       call ended) when agents are always free.</li>
 * </ol>
 * <pre>
 * ./ivr mvn -q -pl ivr-server -am test-compile
 * ./ivr mvn -q -pl ivr-server exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.ivr.server.routing.CallRoutingBenchmark [-Dwaiting=500 -Dcalls=2000]
 * </pre>
 */
public final class CallRoutingBenchmark {
    public static void main(String[] args) throws Exception {
        int waiting = Integer.getInteger("waiting", 500);
        int calls = Integer.getInteger("calls", 2000);
        Path dir = Files.createTempDirectory("routing-bench");
        ClusterMember member = ClusterMember.start(TestConfigs.server(dir).cluster(),
                "bench", dir);
        try (RoutingHarness h = new RoutingHarness(member.hazelcast(), RoutingHarness.testFlows(),
                RoutingHarness.testPrompts(), dir.resolve("none.yaml"),
                config("exec", queue("support", Map.of("technical", 1), Duration.ofSeconds(20), Duration.ZERO),
                        queue("sales", Map.of("sales", 1), Duration.ofSeconds(20), Duration.ZERO)),
                new ScriptedCrm(List.of(), false), null, Clock.systemUTC())) {
            var cpu = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            h.service().login(new dev.ivr.routing.AgentProfile("idle", "idle", "PJSIP/9999", Map.of("sales", 1),
                    java.util.Set.of("en"))); // logged in, not ready: callers wait

            // 1. waiting
            java.util.concurrent.atomic.AtomicLong commands = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicLong dials = new java.util.concurrent.atomic.AtomicLong();
            dev.ivr.fakepbx.CallListener count = (c, nanos) -> {
                commands.incrementAndGet();
                if (c.isExec("Dial")) {
                    dials.incrementAndGet();
                }
            };
            List<FakeCall> waiters = new ArrayList<>();
            for (int i = 0; i < waiting; i++) {
                waiters.add(h.pbx.call("queue-test").args("sales").callerId("+36123" + (10000 + i)).listener(count)
                        .caller(Caller.script().thenSilence()).start());
            }
            while (h.service().waitingCalls("sales").size() < waiting) {
                Thread.sleep(200);
            }
            Thread.sleep(3000);
            long cmds0 = commands.get();
            long cpu0 = cpu.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(20_000);
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpuPerCaller = (cpu.getProcessCpuTime() - cpu0) / 1e6 / secs / waiting;
            double cmdRate = (commands.get() - cmds0) / secs;
            System.out.printf("waiting: %d callers, %.0f AGI commands/s (%.2f per caller per second), "
                    + "%.3f ms CPU per caller per second (whole JVM, PBX side included)%n", waiting, cmdRate,
                    cmdRate / waiting, cpuPerCaller);

            // 2. offer latency: one agent at a time takes the call at the head of the queue
            int offers = Math.min(200, waiting);
            double[] latencies = new double[offers];
            for (int i = 0; i < offers; i++) {
                String id = "agent-" + i;
                h.service().login(new dev.ivr.routing.AgentProfile(id, id, "PJSIP/" + (2000 + i), Map.of("sales", 1),
                        java.util.Set.of("en")));
                long dialsBefore = dials.get();
                long s = System.nanoTime();
                h.service().ready(id);
                long deadline = s + 30_000_000_000L;
                while (dials.get() == dialsBefore) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no Dial within 30 s of ready(" + id + ")");
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                }
                latencies[i] = (System.nanoTime() - s) / 1e6;
            }
            Arrays.sort(latencies);
            System.out.printf("offer: ready() to Dial at the PBX, %d offers: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms%n",
                    offers, latencies[offers / 2], latencies[offers * 9 / 10], latencies[Math.min(offers - 1, offers * 99 / 100)]);
            for (FakeCall w : waiters) {
                w.hangUpNow();
            }
            for (FakeCall w : waiters) {
                w.await(Duration.ofMinutes(2));
            }

            // 3. throughput with free agents
            for (int i = 0; i < 50; i++) {
                h.ready("free-" + i, "PJSIP/" + (3000 + i), Map.of("sales", 1));
            }
            long s = System.nanoTime();
            List<CompletableFuture<?>> done = new ArrayList<>();
            int concurrency = 40;
            java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(concurrency);
            for (int i = 0; i < calls; i++) {
                permits.acquire();
                FakeCall c = h.pbx.call("queue-test").args("sales").callerId("+36129" + (10000 + i))
                        .caller(Caller.script().dial(Caller.DialOutcome.ANSWER)).start();
                done.add(c.result().whenComplete((r, x) -> permits.release()));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
            double total = (System.nanoTime() - s) / 1e9;
            System.out.printf("throughput: %d calls routed end to end (%d at a time, 50 agents) in %.1f s: %.0f calls/s%n",
                    calls, concurrency, total, calls / total);
        } finally {
            member.close();
        }
    }
}
