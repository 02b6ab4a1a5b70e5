package dev.ivr.routing;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import dev.ivr.routing.hazelcast.HazelcastRouting;
import dev.ivr.testsupport.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three members on loopback. Every member runs simulated route nodes (callers queueing, agents answering or not,
 * callers hanging up) and agent desktops (ready, not ready, wrap-up done, logout, login) at the same time, for a
 * sustained period. The test keeps, in real time, which agent holds which call (an entry is added when a route
 * node is offered an agent, and removed <em>before</em> the route node tells the router the offer ended): any
 * second offer of a held agent or of an offered call is recorded as a violation.
 */
@Tag("integration")
class ClusterRoutingIT {
    private static final Logger log = LoggerFactory.getLogger(ClusterRoutingIT.class);
    private static final int MEMBERS = 3;
    private static final int AGENTS = 60;
    private static final int SKILLS = 5;
    private static final int PARKED = 4;
    private static final int ROUTE_THREADS_PER_MEMBER = 6;
    private static final Duration SUSTAINED = Duration.ofSeconds(Long.getLong("ivr.it.seconds", 15));
    private static final Duration GENEROUS = Duration.ofSeconds(90);
    private static final String NAME = "it";

    private TestCluster cluster;
    private final List<Node> nodes = new ArrayList<>();
    private final List<RoutingEvent> events = new CopyOnWriteArrayList<>();

    // what the simulated route nodes hold, in real time
    private final ConcurrentHashMap<String, String> agentHolds = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> callOfferedTo = new ConcurrentHashMap<>();
    private final Set<String> answeredCalls = ConcurrentHashMap.newKeySet();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicLong offers = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong agentChanges = new AtomicLong();
    private volatile boolean running;

    /** One member with its router, its route-node threads and its agent desktops. */
    private final class Node {
        final int index;
        final HazelcastInstance member;
        final RoutingService router;
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        final Set<String> held = ConcurrentHashMap.newKeySet();
        final List<Thread> threads = new ArrayList<>();
        final AtomicInteger sequence = new AtomicInteger();
        volatile boolean dead;

        Node(int index, HazelcastInstance member) {
            this.index = index;
            this.member = member;
            // a reservation time to live far beyond the test: the state must settle without it
            this.router = HazelcastRouting.start(member, queues(), RoutingOptions.defaults().withName(NAME)
                    .withMaintenanceInterval(Duration.ofMillis(100)).withReservationTtl(Duration.ofMinutes(10)));
        }

        void startLoad() {
            for (int i = 0; i < ROUTE_THREADS_PER_MEMBER; i++) {
                threads.add(Thread.ofVirtual().name("route-" + index + "-" + i).start(this::routeLoop));
            }
            threads.add(Thread.ofVirtual().name("desktops-" + index).start(this::desktopLoop));
        }

        private void routeLoop() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            try {
                while (running && !dead) {
                    String callId = "n" + index + "-" + sequence.incrementAndGet();
                    router.enqueue(CallRequest.builder(callId, "q" + random.nextInt(SKILLS))
                            .priority(random.nextInt(3)).build());
                    serve(callId, random);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(random.nextInt(20)));
                }
            } catch (HazelcastInstanceNotActiveException e) {
                if (!dead) {
                    violations.add("member " + index + " not active: " + e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!dead) {
                    log.error("route thread failed", e);
                    violations.add("route thread on member " + index + " failed: " + e);
                }
            }
        }

        /** One caller: waits, is offered agents, answers or not, hangs up, until the call is over. */
        private void serve(String callId, ThreadLocalRandom random) throws InterruptedException {
            while (true) {
                WaitResult result = router.awaitAgent(callId, Duration.ofMillis(100));
                switch (result) {
                    case WaitResult.Waiting w -> {
                        if (!running || random.nextInt(100) < 2) {
                            check(router.cancel(callId), "cancel refused for waiting call " + callId);
                            return;
                        }
                    }
                    case WaitResult.Offered o -> {
                        Reservation r = o.reservation();
                        if (!hold(r)) {
                            return;
                        }
                        int roll = random.nextInt(100);
                        if (roll < 10) {
                            release(r);
                            check(router.offerFailed(r, "no-answer"), "offerFailed refused for " + r);
                        } else if (roll < 15) {
                            release(r);
                            check(router.cancel(callId), "cancel refused for ringing " + r);
                            return;
                        } else {
                            check(router.answered(r), "answer refused for " + r);
                            answered.incrementAndGet();
                            if (!answeredCalls.add(callId)) {
                                violations.add("call answered twice: " + callId);
                            }
                            callOfferedTo.remove(callId, r.agentId());
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(random.nextInt(20)));
                            agentHolds.remove(r.agentId(), callId);
                            held.remove(callId);
                            check(router.callEnded(r), "callEnded refused for " + r);
                            return;
                        }
                    }
                    case WaitResult.MaxWaitReached m -> {
                        violations.add("no max wait configured, yet " + m + " for " + callId);
                        return;
                    }
                    case WaitResult.Removed removed -> {
                        if (!dead) {
                            violations.add("call " + callId + " of a live member removed: " + removed);
                        }
                        return;
                    }
                }
            }
        }

        /** Records that this route node holds the offered agent; false if this member is dead. */
        private boolean hold(Reservation r) {
            lock.readLock().lock();
            try {
                if (dead) {
                    return false;
                }
                offers.incrementAndGet();
                String previous = agentHolds.putIfAbsent(r.agentId(), r.callId());
                if (previous != null) {
                    violations.add("agent " + r.agentId() + " offered " + r.callId() + " while holding " + previous);
                }
                String other = callOfferedTo.putIfAbsent(r.callId(), r.agentId());
                if (other != null) {
                    violations.add("call " + r.callId() + " offered to " + r.agentId() + " while offered to " + other);
                }
                if (answeredCalls.contains(r.callId())) {
                    violations.add("answered call offered again: " + r);
                }
                held.add(r.callId());
            } finally {
                lock.readLock().unlock();
            }
            Agent agent = router.agent(r.agentId()).orElseThrow();
            if (agent.state() != AgentState.RESERVED || !r.callId().equals(agent.callId())) {
                violations.add("offered agent not reserved for the call: " + agent + " / " + r);
            }
            return true;
        }

        private void release(Reservation r) {
            callOfferedTo.remove(r.callId(), r.agentId());
            agentHolds.remove(r.agentId(), r.callId());
            held.remove(r.callId());
        }

        private void check(boolean ok, String violation) {
            if (!ok && !dead) {
                violations.add(violation);
            }
        }

        /** The desktops of the agents connected to this member. */
        private void desktopLoop() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (running && !dead) {
                String agentId = agentId(random.nextInt(AGENTS));
                if (desktopNode(agentId) == this) {
                    try {
                        act(agentId, random);
                    } catch (RoutingException e) {
                        // raced with routing (for example reserved meanwhile): a desktop would show the new state
                    } catch (HazelcastInstanceNotActiveException e) {
                        return;
                    } catch (RuntimeException e) {
                        if (!dead) {
                            violations.add("desktop action failed on member " + index + ": " + e);
                        }
                        return;
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }

        private void act(String agentId, ThreadLocalRandom random) {
            Agent agent = router.agent(agentId).orElseThrow();
            int roll = random.nextInt(100);
            switch (agent.state()) {
                case LOGGED_OUT -> router.login(profile(agentId));
                case NOT_READY -> router.ready(agentId);
                case WRAP_UP -> {
                    if (roll < 50) {
                        router.wrapUpDone(agentId);
                    } else if (roll < 55) {
                        router.notReady(agentId, "after-call");
                    }
                }
                case READY -> {
                    if (roll < 3) {
                        router.notReady(agentId, "break");
                    } else if (roll < 4) {
                        router.logout(agentId);
                    }
                }
                case RESERVED, ON_CALL -> {
                    if (roll < 2) {
                        router.notReady(agentId, "after-this-call");
                    }
                }
            }
            agentChanges.incrementAndGet();
        }

        /** Kills the member; its route nodes' holdings die with it. */
        void kill() {
            lock.writeLock().lock();
            try {
                dead = true;
                cluster.kill(index);
                for (String callId : held) {
                    String agentId = callOfferedTo.remove(callId);
                    agentHolds.values().remove(callId);
                    if (agentId != null) {
                        agentHolds.remove(agentId, callId);
                    }
                }
                held.clear();
            } finally {
                lock.writeLock().unlock();
            }
        }

        void join() throws InterruptedException {
            for (Thread t : threads) {
                assertThat(t.join(GENEROUS)).as("thread %s finished", t.getName()).isTrue();
            }
        }
    }

    private static String agentId(int i) {
        return "agent-" + i;
    }

    private static AgentProfile profile(String agentId) {
        int i = Integer.parseInt(agentId.substring("agent-".length()));
        Map<String, Integer> skills = new HashMap<>();
        skills.put("s" + (i % SKILLS), 3 + i % 7);
        skills.put("s" + ((i / SKILLS) % SKILLS), 1 + i % 9);
        return new AgentProfile(agentId, "Agent " + i, "PJSIP/" + (1000 + i), skills, Set.of("en"));
    }

    /** The live member whose desktop an agent is connected to (it moves to the next member if that one died). */
    private Node desktopNode(String agentId) {
        int home = Integer.parseInt(agentId.substring("agent-".length())) % MEMBERS;
        for (int k = 0; k < MEMBERS; k++) {
            Node node = nodes.get((home + k) % MEMBERS);
            if (!node.dead) {
                return node;
            }
        }
        throw new IllegalStateException("no live member");
    }

    private static List<QueueDefinition> queues() {
        List<QueueDefinition> queues = new ArrayList<>();
        for (int i = 0; i < SKILLS; i++) {
            queues.add(QueueDefinition.builder("q" + i).requireSkill("s" + i, 3).wrapUp(Duration.ofMillis(100))
                    .relax(RelaxationStep.after(Duration.ofSeconds(2)).skillLevel("s" + i, 1))
                    .relax(RelaxationStep.after(Duration.ofSeconds(4)).addQueue("q" + (i + 1) % SKILLS))
                    .build());
        }
        queues.add(QueueDefinition.builder("parked").requireSkill("nobody", 1).build());
        return queues;
    }

    @BeforeEach
    void start() {
        cluster = TestCluster.start(MEMBERS);
        for (int i = 0; i < MEMBERS; i++) {
            nodes.add(new Node(i, cluster.member(i)));
        }
        nodes.get(1).router.subscribe(events::add);
        for (int i = 0; i < AGENTS; i++) {
            nodes.get(i % MEMBERS).router.login(profile(agentId(i)));
        }
        for (int k = 0; k < PARKED; k++) {
            nodes.get(k % MEMBERS).router.login(new AgentProfile("parked-agent-" + k, null, "PJSIP/9" + k,
                    Map.of("nobody", 1), Set.of()));
            for (Node node : nodes) {
                node.router.enqueue(CallRequest.builder("parked-" + node.index + "-" + k, "parked").build());
            }
        }
    }

    @AfterEach
    void stop() {
        running = false;
        for (Node node : nodes) {
            try {
                node.router.close();
            } catch (RuntimeException ignored) {
                // member already gone
            }
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private void run(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private List<Node> live() {
        return nodes.stream().filter(n -> !n.dead).toList();
    }

    @Test
    void sustainedLoadFromAllMembersNeverOffersAnAgentOrACallTwice() throws Exception {
        running = true;
        nodes.forEach(Node::startLoad);
        run(SUSTAINED);
        stopLoadAndCheck();
    }

    @Test
    void aMemberKilledUnderLoadLosesNoStateOfTheSurvivorsAndItsCallsAreRemovedAndReported() throws Exception {
        running = true;
        nodes.forEach(Node::startLoad);
        run(SUSTAINED.dividedBy(2));

        Node victim = nodes.get(0); // the oldest member: the one running the timed rules
        String victimId = victim.router.nodeId();
        RoutingService survivor = nodes.get(1).router;
        List<WaitingCall> parkedBefore = survivor.waitingCalls("parked");
        assertThat(parkedBefore).hasSize(PARKED * MEMBERS);
        log.info("killing member {} after {} offers", victimId, offers.get());
        victim.kill();

        Set<String> victimParked = parkedBefore.stream().filter(c -> c.ownerNode().equals(victimId))
                .map(WaitingCall::callId).collect(Collectors.toSet());
        List<WaitingCall> survivorsParked = parkedBefore.stream().filter(c -> !c.ownerNode().equals(victimId)).toList();
        assertThat(victimParked).hasSize(PARKED);
        await().atMost(GENEROUS).untilAsserted(() -> {
            for (Node node : live()) {
                assertThat(node.router.waitingCalls("parked")).containsExactlyInAnyOrderElementsOf(survivorsParked);
            }
            assertThat(ownerLeftReports()).containsAll(victimParked);
            assertThat(calls().values()).noneMatch(c -> c.owner().equals(victimId));
            assertThat(agentRecords().values()).noneMatch(a -> a.state().isBusy() && victimId.equals(a.callOwner()));
        });
        assertThat(ownerLeftReports()).allMatch(id -> id.startsWith("n0-") || id.startsWith("parked-0-"));
        assertThat(agentRecords()).hasSize(AGENTS + PARKED);

        long offersAtKill = offers.get();
        run(SUSTAINED.dividedBy(2));
        assertThat(offers.get()).as("routing goes on after the kill").isGreaterThan(offersAtKill + 20);
        stopLoadAndCheck();

        Map<String, Long> reported = events.stream().filter(e -> e instanceof RoutingEvent.CallAbandoned a
                        && a.reason().equals(RoutingEvent.OWNER_LEFT))
                .collect(Collectors.groupingBy(e -> ((RoutingEvent.CallAbandoned) e).callId(), Collectors.counting()));
        assertThat(reported.values()).as("each removed call reported once").allMatch(n -> n == 1);
    }

    private Set<String> ownerLeftReports() {
        return events.stream().filter(e -> e instanceof RoutingEvent.CallAbandoned a
                        && a.reason().equals(RoutingEvent.OWNER_LEFT))
                .map(e -> ((RoutingEvent.CallAbandoned) e).callId()).collect(Collectors.toSet());
    }

    private HazelcastInstance liveMember() {
        return live().getFirst().member;
    }

    private Map<String, dev.ivr.routing.hazelcast.CallRecord> calls() {
        return Map.copyOf(liveMember().<String, dev.ivr.routing.hazelcast.CallRecord>getMap(NAME + ".calls"));
    }

    private Map<String, dev.ivr.routing.hazelcast.AgentRecord> agentRecords() {
        return Map.copyOf(liveMember().<String, dev.ivr.routing.hazelcast.AgentRecord>getMap(NAME + ".agents"));
    }

    private void stopLoadAndCheck() throws InterruptedException {
        running = false;
        for (Node node : live()) {
            node.join();
        }
        log.info("{} offers, {} answered, {} desktop actions, violations: {}", offers.get(), answered.get(),
                agentChanges.get(), violations.size());
        assertThat(violations).isEmpty();
        assertThat(offers.get()).as("the load really routed calls").isGreaterThan(200);
        assertThat(answered.get()).isGreaterThan(100);

        // everything settles: no call left but the parked ones, no agent holding a call
        await().atMost(GENEROUS).untilAsserted(() -> {
            assertThat(calls().keySet()).allMatch(id -> id.startsWith("parked-"));
            assertThat(agentRecords().values()).noneMatch(a -> a.state().isBusy());
        });
        Collection<dev.ivr.routing.hazelcast.AgentRecord> agents = agentRecords().values();
        assertThat(agents).hasSize(AGENTS + PARKED);
        assertThat(agents).filteredOn(a -> a.id().startsWith("parked-agent-"))
                .allMatch(a -> a.state() == AgentState.NOT_READY && "login".equals(a.reasonCode()));
        for (Node node : live()) {
            assertThat(node.router.agents()).hasSize(AGENTS + PARKED);
        }
    }
}
