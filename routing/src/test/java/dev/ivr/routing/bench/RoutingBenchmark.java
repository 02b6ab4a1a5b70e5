package dev.ivr.routing.bench;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingException;
import dev.ivr.routing.RoutingOptions;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.routing.hazelcast.HazelcastRouting;
import dev.ivr.testsupport.TestCluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Routing decisions per second and decision latency on a real Hazelcast cluster in this JVM (1 or 3 members on
 * loopback), with 10,000 agents, 50 skills and 1,000 waiting calls. A decision is measured from the trigger to
 * the reservation committed in the cluster (or "no match"):
 * <ul>
 * <li><b>agent-ready</b>: an agent becomes ready with 1,000 calls waiting; the router picks the first call in
 *     queue order the agent can serve and reserves both. Each reserved call is then answered and ended (untimed)
 *     and a new call is queued, so that 1,000 calls keep waiting.</li>
 * <li><b>call-arrival</b>: a call arrives while the 10,000 agents are ready (and 1,000 calls wait that nobody can
 *     serve); the router picks the best-skilled, longest-idle agent and reserves both. The call is then answered
 *     and ended (untimed) and the agent is ready again, which runs an agent-ready scan of the 1,000 calls.</li>
 * </ul>
 * Usage: {@code RoutingBenchmark [members...]} with system properties {@code bench.threads} (total worker
 * threads, default 8), {@code bench.warmup} and {@code bench.seconds} (default 10 and 20).
 */
public final class RoutingBenchmark {
    static final int AGENTS = 10_000;
    static final int SKILLS = 50;
    static final int WAITING = 1_000;
    private static final int THREADS = Integer.getInteger("bench.threads", 8);
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmup", 10));
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 20));
    /** Routing values sealed with AES-256-GCM, as the server seals them ({@code -Dbench.sealed=true}). */
    private static final boolean SEALED = Boolean.getBoolean("bench.sealed");

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[]{1, 3} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        List<String> rows = new ArrayList<>();
        for (int members : sizes) {
            rows.add(new RoutingBenchmark(members, Scenario.AGENT_READY).run());
            rows.add(new RoutingBenchmark(members, Scenario.CALL_ARRIVAL).run());
        }
        System.out.printf("%n%d agents, %d skills, %d waiting calls, %d worker threads, %d s measured after %d s warm-up, %d cores%s%n%n",
                AGENTS, SKILLS, WAITING, THREADS, MEASURE.toSeconds(), WARMUP.toSeconds(),
                Runtime.getRuntime().availableProcessors(), SEALED ? ", values sealed (AES-256-GCM)" : "");
        System.out.println("| members | decision | decisions/s | p50 (ms) | p99 (ms) | reserved |");
        System.out.println("|---:|---|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        System.exit(0);
    }

    enum Scenario { AGENT_READY, CALL_ARRIVAL }

    private final int members;
    private final Scenario scenario;
    private final List<RoutingService> routers = new ArrayList<>();
    private final AtomicInteger callSequence = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong events = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean measuring;
    private volatile boolean stop;

    private RoutingBenchmark(int members, Scenario scenario) {
        this.members = members;
        this.scenario = scenario;
    }

    private static List<QueueDefinition> queues() {
        List<QueueDefinition> queues = new ArrayList<>();
        for (int s = 0; s < SKILLS; s++) {
            queues.add(QueueDefinition.builder("q" + s).requireSkill("s" + s, 5).build());
        }
        // calls nobody can serve: nobody speaks "xx"
        queues.add(QueueDefinition.builder("backlog").requireSkill("s0", 1).build());
        return queues;
    }

    static AgentProfile profile(int i, Random random) {
        Map<String, Integer> skills = new HashMap<>();
        while (skills.size() < 5) {
            skills.put("s" + random.nextInt(SKILLS), 1 + random.nextInt(10));
        }
        Set<String> languages = random.nextInt(10) < 3 ? Set.of("en", "fr") : Set.of("en");
        return new AgentProfile("agent-" + i, "Agent " + i, "PJSIP/" + (10_000 + i), skills, languages);
    }

    private CallRequest newCall(Random random) {
        CallRequest.Builder b = CallRequest.builder("call-" + callSequence.incrementAndGet(), "q" + random.nextInt(SKILLS))
                .priority(random.nextInt(3));
        if (random.nextInt(10) < 2) {
            b.language("fr");
        }
        return b.build();
    }

    private String run() throws Exception {
        System.out.printf("--- %s on %d member(s): starting%n", scenario, members);
        try (TestCluster cluster = TestCluster.start(members, 271, config -> {
            if (SEALED) {
                HazelcastRouting.seal(config.getSerializationConfig(),
                        new dev.ivr.routing.test.TestSeal((byte) 1));
            }
        })) {
            for (int m = 0; m < members; m++) {
                RoutingService router = HazelcastRouting.start(cluster.member(m), queues(),
                        RoutingOptions.defaults().withName("bench"));
                router.subscribe(e -> events.incrementAndGet()); // as the server does, to feed its dashboards
                routers.add(router);
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                setUp(pool);
                System.out.printf("--- %s on %d member(s): %d agents, %d waiting; measuring%n", scenario, members,
                        routers.getFirst().agents().size(), routers.getFirst().queues().stream()
                                .mapToInt(q -> q.waiting()).sum());
                List<Future<long[]>> workers = new ArrayList<>();
                for (int w = 0; w < THREADS; w++) {
                    int worker = w;
                    workers.add(pool.submit(() -> scenario == Scenario.AGENT_READY ? agentReady(worker) : callArrival(worker)));
                }
                Thread.sleep(WARMUP.toMillis());
                measuring = true;
                long start = System.nanoTime();
                Thread.sleep(MEASURE.toMillis());
                measuring = false;
                double seconds = (System.nanoTime() - start) / 1e9;
                stop = true;
                long[] all = new long[0];
                long reserved = 0;
                for (Future<long[]> f : workers) {
                    long[] r = f.get();
                    reserved += r[0];
                    long[] lat = Arrays.copyOfRange(r, 1, r.length);
                    long[] merged = Arrays.copyOf(all, all.length + lat.length);
                    System.arraycopy(lat, 0, merged, all.length, lat.length);
                    all = merged;
                }
                Arrays.sort(all);
                String row = String.format(Locale.ROOT, "| %d | %s | %,.0f | %.2f | %.2f | %.0f%% |", members,
                        scenario == Scenario.AGENT_READY ? "agent ready, 1,000 calls waiting"
                                : "call arrives, 10,000 agents ready",
                        all.length / seconds, percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6,
                        100.0 * reserved / Math.max(1, all.length));
                System.out.println(row + "   (" + events.get() + " events received)");
                return row;
            } finally {
                stop = true;
                pool.shutdownNow();
                routers.forEach(RoutingService::close);
                routers.clear();
            }
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private RoutingService router(int index) {
        return routers.get(index % members);
    }

    private void setUp(ExecutorService pool) throws Exception {
        List<Future<?>> tasks = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            int worker = w;
            tasks.add(pool.submit(() -> {
                Random random = new Random(worker);
                for (int i = worker; i < AGENTS; i += THREADS) {
                    router(i).login(profile(i, random));
                }
                return null;
            }));
        }
        for (Future<?> t : tasks) {
            t.get();
        }
        tasks.clear();
        Random random = new Random(99);
        for (int c = 0; c < WAITING; c++) {
            CallRequest call = scenario == Scenario.AGENT_READY ? newCall(random)
                    : CallRequest.builder("backlog-" + c, "backlog").language("xx").build();
            router(c).enqueue(call);
        }
        if (scenario == Scenario.CALL_ARRIVAL) {
            for (int w = 0; w < THREADS; w++) {
                int worker = w;
                tasks.add(pool.submit(() -> {
                    for (int i = worker; i < AGENTS; i += THREADS) {
                        router(i).ready("agent-" + i);
                    }
                    return null;
                }));
            }
            for (Future<?> t : tasks) {
                t.get();
            }
        }
    }

    /** Worker of the agent-ready scenario: its own agents, on the member its index maps to. */
    private long[] agentReady(int worker) {
        RoutingService router = router(worker);
        Random random = new Random(1000 + worker);
        Latencies latencies = new Latencies();
        List<String> mine = new ArrayList<>();
        for (int i = worker; i < AGENTS; i += THREADS) {
            mine.add("agent-" + i);
        }
        int next = 0;
        while (!stop) {
            String agentId = mine.get(next++ % mine.size());
            long t0 = System.nanoTime();
            Agent agent;
            try {
                agent = router.ready(agentId);
            } catch (RoutingException e) {
                // reserved by an arriving call while it was ready: complete that call
                agent = router.agent(agentId).orElseThrow();
                if (agent.state() == AgentState.RESERVED) {
                    complete(router, agent);
                    router.enqueue(newCall(random));
                }
                continue;
            }
            long t1 = System.nanoTime();
            boolean reserved = agent.state() == AgentState.RESERVED;
            if (measuring) {
                latencies.add(t1 - t0, reserved);
            }
            if (!reserved) {
                agent = router.notReady(agentId, "bench");
            }
            if (agent.state() == AgentState.RESERVED) {
                complete(router, agent);
                router.enqueue(newCall(random));
            }
        }
        return latencies.result();
    }

    /**
     * Answers and ends a reserved call; the agent is left NOT_READY. (A route node would learn of the reservation
     * from awaitAgent; here the agent's side is seen first, so the call's side may still be landing.)
     */
    private static void complete(RoutingService router, Agent agent) {
        Reservation r = new Reservation(agent.callId(), agent.queueId(), agent.id(), agent.name(), agent.endpoint(),
                1, null, Duration.ofSeconds(20));
        router.notReady(agent.id(), "bench");
        while (!router.answered(r)) {
            Agent now = router.agent(agent.id()).orElseThrow();
            if (now.state() != AgentState.RESERVED || !r.callId().equals(now.callId())) {
                return; // the reservation was rolled back
            }
            Thread.onSpinWait();
        }
        router.callEnded(r);
    }

    /** Worker of the call-arrival scenario: queues calls on its member; completes them at once. */
    private long[] callArrival(int worker) throws InterruptedException {
        RoutingService router = router(worker);
        Random random = new Random(2000 + worker);
        Latencies latencies = new Latencies();
        while (!stop) {
            CallRequest call = newCall(random);
            long t0 = System.nanoTime();
            router.enqueue(call);
            long t1 = System.nanoTime();
            WaitResult result = router.awaitAgent(call.callId(), Duration.ZERO);
            boolean reserved = result instanceof WaitResult.Offered;
            if (measuring) {
                latencies.add(t1 - t0, reserved);
            }
            if (result instanceof WaitResult.Offered offered) {
                Reservation r = offered.reservation();
                router.answered(r);
                router.callEnded(r);
            } else {
                router.cancel(call.callId());
            }
        }
        return latencies.result();
    }

    /** Latencies of one worker; result()[0] is the number of decisions that reserved. */
    private static final class Latencies {
        private long[] values = new long[1 << 16];
        private int size;
        private long reserved;

        void add(long nanos, boolean wasReserved) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
            if (wasReserved) {
                reserved++;
            }
        }

        long[] result() {
            long[] r = new long[size + 1];
            r[0] = reserved;
            System.arraycopy(values, 0, r, 1, size);
            return r;
        }
    }
}
