package dev.ivr.server.journal.store;

import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.JournalEvent.Type;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Journal events of a contact center's days, as the server writes them: calls from 08:00 to 20:00 (UTC) through a
 * flow (entered, nodes, identified, sometimes authenticated), 30% self-served, the others queued in one of four
 * queues and answered (with ring-no-answers, talk and wrap-up on the agents' timelines), abandoned (short and long),
 * called back or transferred; agents sign in and out each day; customers call again. Seeded: the same arguments give
 * the same events. For the report benchmark and the SQL-against-memory comparison.
 */
public final class JournalGenerator {
    static final String[] QUEUES = {"billing", "sales", "support", "vip"};
    private static final int[] QUEUE_WEIGHT = {40, 25, 30, 5};

    private final Random random;
    private final int agents;
    private final int customers;
    private final double eventsPerCall;
    private long calls;

    public JournalGenerator(long seed, int agents, int customers) {
        this(seed, agents, customers, 13);
    }

    /**
     * @param eventsPerCall the events a call is taken to make when the calls of a day are spread over its open hours:
     *                      13 (the default) leaves a day's calls about 14% short of the events asked for (a call makes
     *                      about 11.2); a little under 11.2 makes whole days reach the events asked for, the last
     *                      minutes before closing left empty
     */
    public JournalGenerator(long seed, int agents, int customers, double eventsPerCall) {
        this.random = new Random(seed);
        this.agents = agents;
        this.customers = customers;
        this.eventsPerCall = eventsPerCall;
    }

    /** Calls made so far. */
    public long calls() {
        return calls;
    }

    /**
     * Days of events from {@code firstDay} (a UTC midnight), each day's calls spread evenly over its 12 open hours,
     * until about {@code events} events have been made (whole calls). Events of one agent come in time order; others
     * interleave as on a real cluster.
     */
    public long generate(Instant firstDay, int days, long events, Consumer<JournalEvent> out) {
        long perDay = events / days;
        long made = 0;
        for (int d = 0; d < days; d++) {
            made += day(firstDay.plus(Duration.ofDays(d)), perDay, out);
        }
        return made;
    }

    private long day(Instant midnight, long events, Consumer<JournalEvent> out) {
        long[] made = {0};
        Consumer<JournalEvent> counted = e -> {
            made[0]++;
            out.accept(e);
        };
        Instant open = midnight.plus(Duration.ofHours(8));
        Instant close = midnight.plus(Duration.ofHours(20));
        Instant[] freeAt = new Instant[agents];
        for (int a = 0; a < agents; a++) {
            Instant in = open.minusSeconds(600 - random.nextInt(300));
            agent(counted, in, Type.AGENT_SIGNED_IN, a, "NOT_READY", "login", null);
            agent(counted, in.plusSeconds(60), Type.AGENT_STATE, a, "READY", null, null);
            freeAt[a] = in.plusSeconds(60);
        }
        long approxCalls = Math.max(1, (long) (events / eventsPerCall));
        long gapMs = Duration.between(open, close).toMillis() / approxCalls;
        Instant t = open;
        while (made[0] < events && t.isBefore(close)) {
            call(counted, t, freeAt);
            t = t.plusMillis(Math.max(1, (long) (gapMs * (0.5 + random.nextDouble()))));
        }
        for (int a = 0; a < agents; a++) {
            Instant out2 = freeAt[a].isAfter(close) ? freeAt[a].plusSeconds(1) : close.plusSeconds(random.nextInt(600));
            agent(counted, out2, Type.AGENT_SIGNED_OUT, a, "LOGGED_OUT", null, null);
        }
        return made[0];
    }

    private void call(Consumer<JournalEvent> out, Instant start, Instant[] freeAt) {
        String id = "call-" + (++calls);
        String flow = "customer-service";
        Instant t = start;
        out.accept(ev(t, Type.CALL_ENTERED, id, flow, null, null, null, null, null, null));
        int nodes = 2 + random.nextInt(4);
        for (int n = 0; n < nodes; n++) {
            t = t.plusMillis(1500 + random.nextInt(6000));
            out.accept(ev(t, Type.CALL_NODE, id, flow, "node-" + n, null, null, null, null, null));
        }
        String customer = null;
        if (random.nextInt(100) < 75) {
            customer = "cust-" + random.nextInt(customers);
            out.accept(ev(t, Type.CALL_IDENTIFIED, id, flow, "identify", null, null, null, "IDENTIFIED", null));
            if (random.nextBoolean()) {
                t = t.plusSeconds(8);
                out.accept(ev(t, Type.CALL_AUTHENTICATED, id, flow, "authenticate", null, null, null, "OK", null));
            }
        } else {
            out.accept(ev(t, Type.CALL_IDENTIFIED, id, flow, "identify", null, null, null, "UNKNOWN", null));
        }
        int path = random.nextInt(100);
        if (path < 30) {
            t = t.plusSeconds(20 + random.nextInt(90));
            end(out, t, start, id, flow, null, null, "SELF_SERVED", customer);
            return;
        }
        if (path < 32) {
            t = t.plusSeconds(3);
            out.accept(ev(t, Type.CALL_TRANSFERRED, id, flow, "transfer", null, null, null, "sip:desk@example", null));
            end(out, t, start, id, flow, null, null, "TRANSFERRED", customer);
            return;
        }
        String queue = queue();
        Instant queued = t.plusMillis(200);
        out.accept(ev(queued, Type.CALL_QUEUED, id, flow, "queue", queue, null, null, "priority 0", null));
        int fate = random.nextInt(100);
        if (fate < 12) {
            long waited = 1000 + (long) (random.nextDouble() * random.nextDouble() * 180_000);
            Instant gone = queued.plusMillis(waited);
            out.accept(ev(gone, Type.CALL_ABANDONED, id, null, null, queue, null, waited, null, "caller-hangup"));
            end(out, gone, start, id, flow, queue, null, "ABANDONED_IN_QUEUE", customer);
            return;
        }
        if (fate < 15) {
            Instant asked = queued.plusSeconds(30 + random.nextInt(120));
            out.accept(ev(asked, Type.CALLBACK_REQUESTED, id, flow, "queue", queue, null, null, null, null));
            end(out, asked, start, id, flow, queue, null, "CALLBACK_REQUESTED", customer);
            return;
        }
        int a = 0;
        for (int i = 1; i < freeAt.length; i++) {
            if (freeAt[i].isBefore(freeAt[a])) {
                a = i;
            }
        }
        Instant offer = queued.plusMillis(500 + random.nextInt(15_000));
        if (offer.isBefore(freeAt[a].plusMillis(1))) {
            offer = freeAt[a].plusMillis(1);
        }
        if (random.nextInt(100) < 5) {
            int other = random.nextInt(freeAt.length);
            if (other != a && freeAt[other].isBefore(offer)) {
                agent(out, offer, Type.AGENT_STATE, other, "RESERVED", null, id);
                out.accept(ev(offer, Type.CALL_OFFERED, id, null, null, queue, "agent-" + other, null, "offer 1", null));
                Instant rna = offer.plusSeconds(15);
                out.accept(ev(rna, Type.CALL_RING_NO_ANSWER, id, null, null, queue, "agent-" + other, null, null, "no-answer"));
                agent(out, rna, Type.AGENT_STATE, other, "NOT_READY", "no-answer", null);
                agent(out, rna.plusSeconds(30), Type.AGENT_STATE, other, "READY", null, null);
                freeAt[other] = rna.plusSeconds(30);
                offer = rna.plusMillis(100);
                if (offer.isBefore(freeAt[a].plusMillis(1))) {
                    offer = freeAt[a].plusMillis(1);
                }
            }
        }
        String agent = "agent-" + a;
        agent(out, offer, Type.AGENT_STATE, a, "RESERVED", null, id);
        out.accept(ev(offer, Type.CALL_OFFERED, id, null, null, queue, agent, null, "offer 1", null));
        Instant answered = offer.plusMillis(2000 + random.nextInt(6000));
        long waited = Duration.between(queued, answered).toMillis();
        out.accept(ev(answered, Type.CALL_ANSWERED, id, null, null, queue, agent, waited, null, null));
        agent(out, answered, Type.AGENT_STATE, a, "ON_CALL", null, id);
        end(out, answered, start, id, flow, queue, agent, "ROUTED", customer);
        Instant talked = answered.plusSeconds(60 + random.nextInt(540));
        Instant ready = talked;
        if (random.nextInt(100) < 30) { // a post-call survey answered after the call, scored 1-5
            out.accept(ev(talked.plusSeconds(20), Type.CALL_SURVEYED, id, "post-call-survey", null, queue, agent, null,
                    Integer.toString(1 + random.nextInt(5)), null));
        }
        if (random.nextInt(100) < 60) {
            agent(out, talked, Type.AGENT_WRAP_UP, a, "WRAP_UP", null, id);
            ready = talked.plusSeconds(10 + random.nextInt(110));
        }
        agent(out, ready, Type.AGENT_STATE, a, "READY", null, null);
        freeAt[a] = ready;
    }

    private String queue() {
        int r = random.nextInt(100);
        for (int i = 0; i < QUEUES.length; i++) {
            r -= QUEUE_WEIGHT[i];
            if (r < 0) {
                return QUEUES[i];
            }
        }
        return QUEUES[0];
    }

    private static void end(Consumer<JournalEvent> out, Instant at, Instant start, String id, String flow, String queue,
                            String agent, String outcome, String customer) {
        out.accept(ev(at, Type.CALL_ENDED, id, flow, "end", queue, agent, Duration.between(start, at).toMillis(), outcome,
                null).withCustomer(customer));
    }

    private static void agent(Consumer<JournalEvent> out, Instant at, Type type, int agent, String state, String reason,
                              String call) {
        out.accept(ev(at, type, call, null, null, null, "agent-" + agent, null, state, reason));
    }

    private static JournalEvent ev(Instant at, Type type, String call, String flow, String node, String queue,
                                   String agent, Long ms, String detail, String reason) {
        return JournalEvent.of(at, type, call, flow, node, queue, agent, ms, detail, reason, "bench");
    }

    /** All events of a small run, for tests. */
    public static List<JournalEvent> list(long seed, Instant firstDay, int days, long events) {
        List<JournalEvent> out = new ArrayList<>();
        new JournalGenerator(seed, 12, 300).generate(firstDay, days, events, out::add);
        return out;
    }
}
