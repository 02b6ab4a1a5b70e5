package dev.ivr.server.journal.store;

import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.JournalEvent.Type;
import dev.ivr.server.journal.kpi.CampaignAttempt;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A simulated contact-center day for the screenshots of the dashboard and the reports page: callers arrive from
 * 08:00 to 20:00, 100 an hour with a morning peak of about 580 and an afternoon one of about 480 (Poisson arrivals), go through the shipped customer-service
 * flow's nodes (some hang up in the menus, a quarter are served by the flow alone), wait in the billing, support or
 * sales queue for the first of 24 agents on two shifts with lunch breaks, and give up after their own patience;
 * agents talk 1-8 minutes and wrap up. Two outbound campaigns dial alongside: contract-renewal (progressive, three
 * outbound agents, 09:00-17:00) and payment-reminder (agentless, 10:00-16:00), with the answer rate of the pacing
 * simulation (25-35%), busy, no answer, failed, abandoned when no agent is free, and opt-outs. Seeded: the same
 * arguments give the same day. Events after {@code until} (the day still to come) are left out.
 */
public final class SimulatedDay {
    private static final String FLOW = "customer-service";
    private static final String[] QUEUES = {"billing", "support", "sales"};
    private static final int[] QUEUE_WEIGHT = {35, 45, 20};

    private final Random random;
    private final Instant midnight;
    private final Instant until;
    private final List<JournalEvent> events = new ArrayList<>();
    private final List<CampaignAttempt> attempts = new ArrayList<>();
    private final List<Instant[]> agentShift = new ArrayList<>();
    private final List<Instant> optOutsAt = new ArrayList<>();
    private final List<String> optOutCampaign = new ArrayList<>();
    private int calls;

    /** The day starting at {@code midnight} (UTC), up to {@code until}. */
    public SimulatedDay(long seed, Instant midnight, Instant until) {
        this.random = new Random(seed);
        this.midnight = midnight;
        this.until = until;
        inbound();
        outbound();
        events.removeIf(e -> !e.at().isBefore(until));
        events.sort(java.util.Comparator.comparing(JournalEvent::at));
        attempts.removeIf(a -> !a.startedAt().isBefore(until));
    }

    public List<JournalEvent> events() {
        return events;
    }

    public List<CampaignAttempt> attempts() {
        return attempts;
    }

    public long calls() {
        return calls;
    }

    private Instant at(double hour) {
        return midnight.plusMillis((long) (hour * 3_600_000));
    }

    /** New calls per hour at a time of day: a morning peak at 10:30 and an afternoon one at 14:30. */
    private static double rate(double hour) {
        return 100 + 480 * Math.exp(-Math.pow(hour - 10.5, 2) / 1.6) + 380 * Math.exp(-Math.pow(hour - 14.5, 2) / 2.2);
    }

    private void inbound() {
        int agents = 24;
        Instant[] freeAt = new Instant[agents];
        Instant[] lunch = new Instant[agents];
        for (int a = 0; a < agents; a++) {
            double start = a < 14 ? 7.75 + random.nextDouble() * 0.4 : 11.5 + random.nextDouble() * 0.5;
            double end = a < 14 ? 16.25 + random.nextDouble() * 0.3 : 20.1 + random.nextDouble() * 0.2;
            Instant in = at(start);
            String id = "agent-" + (a + 1);
            agent(in, Type.AGENT_SIGNED_IN, id, "NOT_READY", "login", null);
            agent(in.plusSeconds(60 + random.nextInt(120)), Type.AGENT_STATE, id, "READY", null, null);
            freeAt[a] = in.plusSeconds(180);
            lunch[a] = at(a < 14 ? 12 + random.nextDouble() * 1.5 : 16.5 + random.nextDouble());
            agentShift.add(new Instant[] {in, at(end)});
        }
        double h = 8;
        while (true) {
            h += -Math.log(1 - random.nextDouble()) / rate(h);
            if (h >= 20) {
                break;
            }
            call(at(h), freeAt, lunch);
        }
        for (int a = 0; a < agents; a++) {
            Instant out = agentShift.get(a)[1].isAfter(freeAt[a]) ? agentShift.get(a)[1] : freeAt[a].plusSeconds(5);
            agent(out, Type.AGENT_SIGNED_OUT, "agent-" + (a + 1), "LOGGED_OUT", null, null);
        }
    }

    private void call(Instant start, Instant[] freeAt, Instant[] lunch) {
        String id = "call-" + (++calls);
        Instant t = start;
        ev(t, Type.CALL_ENTERED, id, FLOW, null, null, null, null, null, null);
        boolean known = random.nextInt(100) < 70;
        String customer = known ? "C-" + (1000 + random.nextInt(40_000)) : null;
        t = node(t, id, "check-hours", 300);
        t = node(t, id, "identify-caller", 400);
        ev(t, Type.CALL_IDENTIFIED, id, FLOW, "identify-caller", null, null, null, known ? "IDENTIFIED" : "UNKNOWN", null);
        t = node(t, id, known ? "greet-known" : "greet-anonymous", 3500);
        t = node(t, id, "language-menu", 4000 + random.nextInt(4000));
        if (random.nextInt(100) < 4) {
            end(t, start, id, "language-menu", null, null, "ABANDONED_IN_IVR", customer);
            return;
        }
        t = node(t, id, "set-english", 100);
        t = node(t, id, "main-menu", 5000 + random.nextInt(6000));
        int choice = random.nextInt(100);
        if (choice < 7) {
            end(t, start, id, "main-menu", null, null, "ABANDONED_IN_IVR", customer);
            return;
        }
        if (choice < 33) { // opening hours, balance by text message, the address: heard and done
            t = node(t, id, "end-call", 20_000 + random.nextInt(60_000));
            end(t, start, id, "end-call", null, null, "SELF_SERVED", customer);
            return;
        }
        if (choice < 35) {
            t = node(t, id, "operator", 2000);
            ev(t, Type.CALL_TRANSFERRED, id, FLOW, "operator", null, null, null, "sip:reception@example", null);
            end(t, start, id, "operator", null, null, "TRANSFERRED", customer);
            return;
        }
        String queue = queue();
        if (queue.equals("billing")) {
            t = node(t, id, "billing", 100);
            t = node(t, id, "verify", 12_000 + random.nextInt(10_000));
            if (random.nextInt(100) < 6) {
                end(t, start, id, "verify", null, null, "ABANDONED_IN_IVR", customer);
                return;
            }
        } else {
            t = node(t, id, queue, 100);
        }
        String route = "to-" + queue;
        t = node(t, id, route, 300);
        Instant queued = t;
        ev(queued, Type.CALL_QUEUED, id, FLOW, route, queue, null, null, "priority 0", null);
        int a = -1;
        for (int i = 0; i < freeAt.length; i++) {
            Instant[] shift = agentShift.get(i);
            if (queued.isBefore(shift[0]) || !queued.isBefore(shift[1].minusSeconds(300))) {
                continue;
            }
            if (a < 0 || freeAt[i].isBefore(freeAt[a])) {
                a = i;
            }
        }
        long patience = 20_000 + (long) (-Math.log(1 - random.nextDouble()) * 110_000);
        Instant offer = a < 0 || freeAt[a].isBefore(queued) ? queued.plusMillis(800) : freeAt[a].plusMillis(200);
        if (a < 0 || Duration.between(queued, offer).toMillis() > patience) {
            Instant gone = queued.plusMillis(Math.min(patience, 600_000));
            long waited = Duration.between(queued, gone).toMillis();
            if (random.nextInt(100) < 20 && waited > 60_000) {
                ev(gone, Type.CALLBACK_REQUESTED, id, FLOW, route, queue, null, null, null, null);
                end(gone, start, id, "callback-booked", queue, null, "CALLBACK_REQUESTED", customer);
            } else {
                ev(gone, Type.CALL_ABANDONED, id, null, null, queue, null, waited, null, "caller-hangup");
                end(gone, start, id, route, queue, null, "ABANDONED_IN_QUEUE", customer);
            }
            return;
        }
        String agent = "agent-" + (a + 1);
        agent(offer, Type.AGENT_STATE, agent, "RESERVED", null, id);
        ev(offer, Type.CALL_OFFERED, id, null, null, queue, agent, null, "offer 1", null);
        Instant answered = offer.plusMillis(2000 + random.nextInt(5000));
        ev(answered, Type.CALL_ANSWERED, id, null, null, queue, agent, Duration.between(queued, answered).toMillis(), null, null);
        agent(answered, Type.AGENT_STATE, agent, "ON_CALL", null, id);
        end(answered, start, id, route, queue, agent, "ROUTED", customer);
        Instant talked = answered.plusSeconds(60 + (long) (-Math.log(1 - random.nextDouble()) * 170));
        if (random.nextInt(100) < 25) {
            ev(talked.plusSeconds(25), Type.CALL_SURVEYED, id, "post-call-survey", null, queue, agent, null,
                    Integer.toString(random.nextInt(100) < 78 ? 4 + random.nextInt(2) : 1 + random.nextInt(3)), null);
        }
        agent(talked, Type.AGENT_WRAP_UP, agent, "WRAP_UP", null, id);
        Instant ready = talked.plusSeconds(15 + random.nextInt(75));
        if (lunch[a] != null && ready.isAfter(lunch[a])) {
            agent(ready, Type.AGENT_STATE, agent, "NOT_READY", "lunch", null);
            ready = ready.plusSeconds(1800 + random.nextInt(600));
            lunch[a] = null;
        }
        agent(ready, Type.AGENT_STATE, agent, "READY", null, null);
        freeAt[a] = ready;
    }

    private void outbound() {
        String[] outAgents = {"agent-o1", "agent-o2", "agent-o3"};
        Instant[] freeAt = new Instant[outAgents.length];
        for (int i = 0; i < outAgents.length; i++) {
            Instant in = at(8.9);
            agent(in, Type.AGENT_SIGNED_IN, outAgents[i], "NOT_READY", "login", null);
            agent(in.plusSeconds(120), Type.AGENT_STATE, outAgents[i], "READY", null, null);
            freeAt[i] = in.plusSeconds(120);
        }
        for (double h = 9; h < 17; h += (20 + random.nextInt(40)) / 3600.0) {
            attempt("contract-renewal", at(h), h, outAgents, freeAt);
        }
        for (int i = 0; i < outAgents.length; i++) {
            agent(at(17.2), Type.AGENT_SIGNED_OUT, outAgents[i], "LOGGED_OUT", null, null);
        }
        for (double h = 10; h < 16; h += (40 + random.nextInt(40)) / 3600.0) {
            attempt("payment-reminder", at(h), h, null, null);
        }
    }

    private void attempt(String campaign, Instant t, double hour, String[] agents, Instant[] freeAt) {
        double answerRate = 0.30 + 0.05 * Math.sin(hour * 2 * Math.PI / 3) + (random.nextDouble() - 0.5) * 0.04;
        String id = campaign + "-" + attempts.size();
        if (random.nextDouble() >= answerRate) {
            int r = random.nextInt(100);
            attempts.add(new CampaignAttempt(campaign, t, r < 68 ? "no-answer" : r < 88 ? "busy" : r < 93 ? "congestion"
                    : "failed", null));
            return;
        }
        Instant answered = t.plusSeconds(4 + random.nextInt(16));
        if (agents == null) { // agentless: the flow plays the reminder
            attempts.add(new CampaignAttempt(campaign, t, "answered", id));
            if (random.nextInt(100) < 3) {
                optOut(campaign, answered.plusSeconds(40));
            }
            return;
        }
        int a = 0;
        for (int i = 1; i < freeAt.length; i++) {
            if (freeAt[i].isBefore(freeAt[a])) {
                a = i;
            }
        }
        if (freeAt[a].isAfter(answered)) {
            attempts.add(new CampaignAttempt(campaign, t, "abandoned", id));
            return;
        }
        attempts.add(new CampaignAttempt(campaign, t, "answered", id));
        Instant talk = answered.plusSeconds(2);
        agent(talk, Type.AGENT_STATE, agents[a], "ON_CALL", null, id);
        Instant talked = talk.plusSeconds(120 + random.nextInt(120));
        agent(talked, Type.AGENT_WRAP_UP, agents[a], "WRAP_UP", null, id);
        Instant ready = talked.plusSeconds(20 + random.nextInt(30));
        agent(ready, Type.AGENT_STATE, agents[a], "READY", null, null);
        freeAt[a] = ready;
        if (random.nextInt(100) < 4) {
            optOut(campaign, talked);
        }
    }

    private void optOut(String campaign, Instant at) {
        optOutsAt.add(at);
        optOutCampaign.add(campaign);
    }

    /** Writes the campaign attempts and opt-outs (before {@code until}) into the campaign tables, as the dialer keeps them. */
    public void writeCampaigns(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement a = c.prepareStatement("insert into campaign_attempts (campaign, customer_id, attempt_no,"
                     + " phone, started_at, ended_at, result, call_id) values (?, ?, 1, ?, ?, ?, ?, ?)");
             PreparedStatement d = c.prepareStatement("insert into dnc_numbers (e164, scope, source, reason, campaign,"
                     + " added_at) values (?, ?, 'flow', 'opted out during the call', ?, ?)")) {
            int n = 0;
            for (CampaignAttempt x : attempts) {
                n++;
                a.setString(1, x.campaign());
                a.setString(2, "C-" + n);
                a.setString(3, "+3620" + (1_000_000 + n));
                a.setObject(4, x.startedAt().atOffset(ZoneOffset.UTC));
                a.setObject(5, x.startedAt().plusSeconds(60).atOffset(ZoneOffset.UTC));
                a.setString(6, x.result());
                a.setString(7, x.callId());
                a.addBatch();
            }
            a.executeBatch();
            for (int i = 0; i < optOutsAt.size(); i++) {
                if (!optOutsAt.get(i).isBefore(until)) {
                    continue;
                }
                d.setString(1, "+3630" + (1_000_000 + i));
                d.setString(2, optOutCampaign.get(i));
                d.setString(3, optOutCampaign.get(i));
                d.setObject(4, optOutsAt.get(i).atOffset(ZoneOffset.UTC));
                d.addBatch();
            }
            d.executeBatch();
        }
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

    private Instant node(Instant t, String id, String node, long afterMs) {
        ev(t, Type.CALL_NODE, id, FLOW, node, null, null, null, null, null);
        return t.plusMillis(afterMs);
    }

    private void end(Instant at, Instant start, String id, String node, String queue, String agent, String outcome,
                     String customer) {
        events.add(JournalEvent.of(at, Type.CALL_ENDED, id, FLOW, node, queue, agent, Duration.between(start, at).toMillis(),
                outcome, null, "sim").withCustomer(customer));
    }

    private void agent(Instant at, Type type, String agent, String state, String reason, String call) {
        events.add(JournalEvent.of(at, type, call, null, null, null, agent, null, state, reason, "sim"));
    }

    private void ev(Instant at, Type type, String call, String flow, String node, String queue, String agent, Long ms,
                    String detail, String reason) {
        events.add(JournalEvent.of(at, type, call, flow, node, queue, agent, ms, detail, reason, "sim"));
    }
}
