package dev.ivr.server.outbound;

import dev.ivr.server.config.CampaignConfig;
import dev.ivr.server.config.OutboundConfig;
import dev.ivr.server.routing.Originator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Dials running campaigns (agentless mode): every poll it takes, for each running campaign
 * inside its calling window, as many due contacts as its max-concurrent leaves free (counted
 * over every server, in the database), claims each in the database (one server wins an
 * attempt), and places the call with AMI {@code Originate} to {@code outbound.channel}; the
 * answered call continues in {@code outbound.context}, where the dialplan runs AMD() and the
 * campaign's flow over FastAGI with {@code campaign}, {@code customer}, {@code attempt} and
 * {@code reason} in the AGI URL's query. Each attempt's dial result, and for answered calls the
 * channel's unique id (the flow's interaction), is recorded; failed attempts are retried after
 * the campaign's {@code retry-after} until {@code max-attempts}.
 */
public final class CampaignDialer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignDialer.class);
    /** Channel variables the Originate sets, read by the ivr-outbound dialplan context. */
    public static final String CAMPAIGN = "IVR_CAMPAIGN";
    public static final String CUSTOMER = "IVR_CUSTOMER";
    public static final String ATTEMPT = "IVR_ATTEMPT";
    public static final String FLOW = "IVR_FLOW";
    public static final String REASON = "IVR_REASON";
    /** Agent-handled modes: the dialing mode, the queue, and the flow an abandoned call runs. */
    public static final String MODE = "IVR_MODE";
    public static final String QUEUE = "IVR_QUEUE";
    public static final String ABANDON_FLOW = "IVR_ABANDON_FLOW";

    private final OutboundConfig config;
    private final CampaignStore store;
    private final Originator originator;
    private final Clock clock;
    private final String node;
    private final ScheduledExecutorService timer;
    private final DialRules rules;
    private final java.util.concurrent.atomic.AtomicLong polls = new java.util.concurrent.atomic.AtomicLong();
    /** Progressive and predictive campaigns (null: agentless only). */
    private final AgentDialing agents;
    /** Heartbeat and reclaim of open attempts of dead servers: every {@link #UPKEEP}. */
    private static final java.time.Duration UPKEEP = java.time.Duration.ofSeconds(5);
    private final OrphanAttempts orphans;
    private volatile java.time.Duration nodeLease = java.time.Duration.ofSeconds(60);
    private Instant nextUpkeep = Instant.MIN;
    private boolean reclaimedOwn;
    /** Preview campaigns (null: not on this server). */
    private volatile PreviewDialing previews;
    /** The campaigns' states on the cluster (null: read from the database at every poll). */
    private volatile CampaignRunStates runStates;

    public CampaignDialer(OutboundConfig config, CampaignStore store, Originator originator, Clock clock, String node) {
        this(config, store, originator, clock, node, null);
    }

    public CampaignDialer(OutboundConfig config, CampaignStore store, Originator originator, Clock clock, String node,
                          AgentDialing agents) {
        this.agents = agents;
        this.config = config;
        this.store = store;
        this.originator = originator;
        this.clock = clock;
        this.node = node;
        this.rules = new DialRules(store.dataSource());
        this.orphans = new OrphanAttempts(store.dataSource());
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("campaign-dialer").daemon().factory());
    }

    /** Preview campaigns are dialled through {@code previews} (without it they are not dialled on this server). */
    public CampaignDialer previews(PreviewDialing previews) {
        this.previews = previews;
        return this;
    }

    /**
     * Campaign states come from the cluster ({@link CampaignRunStates}): a pause on any member stops this dialer's
     * claims at once, a resume wakes it.
     */
    public CampaignDialer runStates(CampaignRunStates states) {
        this.runStates = states;
        states.onChange(() -> {
            try {
                timer.execute(this::poll);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed
            }
        });
        return this;
    }

    public CampaignDialer start() {
        long ms = config.pollInterval().toMillis();
        timer.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Open attempts of dialing servers that died (and this server's own, from before its start) are reclaimed. */
    private void reclaimOrphans(Instant now) {
        if (now.isBefore(nextUpkeep)) {
            return;
        }
        nextUpkeep = now.plus(UPKEEP);
        try {
            orphans.heartbeat(node, now);
            CampaignRunStates states = runStates;
            if (states != null) { // changes made to the database alone (the command line) reach the cluster
                states.refresh(config.campaigns().stream().map(CampaignConfig::name).toList());
            }
            Map<String, CampaignConfig> byName = new java.util.HashMap<>();
            config.campaigns().forEach(c -> byName.put(c.name(), c));
            if (!reclaimedOwn) {
                orphans.reclaim(node, true, nodeLease, byName, now);
                reclaimedOwn = true;
            }
            orphans.reclaim(node, false, nodeLease, byName, now);
        } catch (SQLException e) {
            LOG.warn("outbound: heartbeat and reclaim of open attempts not done ({}); trying again", e.getSQLState());
        }
    }

    /** How long a dialing server may go without a heartbeat before its open attempts are reclaimed (tests: shorter). */
    CampaignDialer nodeLease(java.time.Duration lease) {
        this.nodeLease = lease;
        return this;
    }

    /** One round over the campaigns. */
    void poll() {
        try {
            reclaimOrphans(clock.instant());
            if (!originator.available()) {
                return;
            }
            for (CampaignConfig c : config.campaigns()) {
                try {
                    dial(c);
                } catch (SQLException e) {
                    LOG.warn("campaign {}: the database failed ({}); trying again at the next poll", c.name(), e.getSQLState());
                } catch (RuntimeException e) {
                    LOG.warn("campaign {}: {}", c.name(), e.toString());
                }
            }
        } finally {
            polls.incrementAndGet();
        }
    }

    /** Rounds done so far (tests wait for rounds instead of time). */
    long polls() {
        return polls.get();
    }

    private void dial(CampaignConfig c) throws SQLException {
        CampaignRunStates states = runStates;
        if (!(states != null ? states.status(c.name()) : store.status(c.name())).map("running"::equals).orElse(false)) {
            return;
        }
        Instant now = clock.instant();
        if (CallingWindow.ended(c, now)) {
            if (states != null) {
                states.set(c.name(), "finished", now);
            } else {
                store.setStatus(c.name(), "finished", now);
            }
            LOG.info("campaign {}: past its end date {}, finished", c.name(), c.effectiveEndDate());
            return;
        }
        if (!c.effectiveCalleeLocalTime() && !CallingWindow.open(c, now)) {
            return;
        }
        int inFlight = store.inFlight(c.name());
        int free = c.effectiveMaxConcurrent() - inFlight;
        int limit = c.effectiveMaxConcurrent();
        if (AgentDialing.handles(c)) { // progressive, predictive: as many as the pacing says, all servers together
            if (agents == null) {
                LOG.warn("campaign {}: {} needs routing and AMI on this server; not dialing", c.name(), c.effectiveMode());
                return;
            }
            free = Math.min(free, agents.toDial(c, store.ringing(c.name()), now));
            limit = Math.min(limit, inFlight + free);
        }
        if (PreviewDialing.handles(c)) { // one preview per ready agent of the queue, all servers together
            if (previews == null) {
                LOG.warn("campaign {}: preview needs routing and AMI on this server; not dialing", c.name());
                return;
            }
            free = Math.min(free, previews.toOpen(c));
            limit = Math.min(limit, inFlight + free);
        }
        if (free <= 0) {
            return;
        }
        for (CampaignStore.Due due : store.due(c.name(), now, free)) {
            if (states != null && !states.running(c.name())) {
                return; // paused or stopped on some member meanwhile: no more claims
            }
            Optional<DialRules.Wait> wait = rules.check(c, due, now); // the customer's local time, attempts today
            if (wait.isPresent()) {
                rules.postpone(c.name(), due, wait.get().until());
                LOG.debug("campaign {}: customer {} waits until {}: {}", c.name(), due.customerId(), wait.get().until(),
                        wait.get().why());
                continue;
            }
            Optional<CampaignStore.Claimed> claimed = store.claim(c.name(), due, limit, node, clock::instant); // started once claimed, not at the round's start
            claimed.ifPresent(a -> Thread.ofVirtual().name("campaign-call-" + c.name() + "-" + a.attemptId())
                    .start(() -> call(c, a)));
        }
    }

    /** A preview campaign's attempt: the agent sees the customer first ({@link PreviewDialing}). */
    private void preview(CampaignConfig c, CampaignStore.Claimed a) {
        MDC.put("call", dev.ivr.server.logging.LogText.callId("campaign-" + c.name() + "-" + a.customerId() + "-" + a.attemptNo()));
        String result;
        try {
            Optional<String> r = previews.run(c, a);
            if (r.isEmpty()) {
                MDC.remove("call");
                return; // given back: no attempt
            }
            result = r.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = "failed";
        } catch (Exception e) {
            LOG.warn("campaign {}: preview of customer {} attempt {} failed: {}", c.name(), a.customerId(), a.attemptNo(),
                    e.toString());
            result = "failed";
        }
        end(c, a, result);
    }

    private void call(CampaignConfig c, CampaignStore.Claimed a) {
        if (previews != null && PreviewDialing.handles(c)) {
            preview(c, a);
            return;
        }
        MDC.put("call", dev.ivr.server.logging.LogText.callId("campaign-" + c.name() + "-" + a.customerId() + "-" + a.attemptNo()));
        String result;
        try {
            Map<String, String> vars = new LinkedHashMap<>();
            vars.put(CAMPAIGN, c.name());
            vars.put(CUSTOMER, a.customerId());
            vars.put(ATTEMPT, Integer.toString(a.attemptNo()));
            vars.put(FLOW, c.flow());
            vars.put(REASON, c.reason() == null ? "" : c.reason());
            boolean agentHandled = agents != null && AgentDialing.handles(c);
            if (agentHandled) {
                vars.put(MODE, c.effectiveMode());
                vars.put(QUEUE, c.queue());
                vars.put(ABANDON_FLOW, c.effectiveAbandonFlow());
            }
            String channel = config.channel().replace("{number}", a.phone());
            Instant dialedAt = clock.instant();
            Originator.Result r = originator.originate(new Originator.Request(channel, config.context(), "s",
                    c.callerId(), config.ringTimeout(), vars, config.pbx()));
            result = r.answered() ? "answered" : r.reason();
            Instant answeredAt = clock.instant();
            if (agentHandled && r.answered()) {
                if (!agents.answered(c, r, java.time.Duration.between(dialedAt, answeredAt), answeredAt)) {
                    result = "abandoned"; // no agent free: the customer hears the abandon message
                }
            } else if (agentHandled) {
                agents.notAnswered(c, java.time.Duration.between(dialedAt, answeredAt));
            }
            store.dialed(a.attemptId(), result, r.uniqueId());
            LOG.info("campaign {}: customer {} attempt {}: {}", c.name(), a.customerId(), a.attemptNo(), result);
            if (r.answered()) {
                try { // the call holds its place in max-concurrent until it ends
                    Instant ended = r.hangup().get(config.maxCallTime().toMillis(), TimeUnit.MILLISECONDS);
                    if (agentHandled) {
                        agents.ended(c, r.uniqueId(), java.time.Duration.between(answeredAt, ended), "answered".equals(result));
                    }
                } catch (TimeoutException e) {
                    LOG.warn("campaign {}: no hang-up seen for customer {} within {}", c.name(), a.customerId(),
                            config.maxCallTime());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = "failed";
        } catch (Exception e) {
            LOG.warn("campaign {}: customer {} attempt {} not placed: {}", c.name(), a.customerId(), a.attemptNo(),
                    e.getMessage());
            result = "failed";
        }
        end(c, a, result);
    }

    /** Ends the attempt with its result: the contact is done, tried again after retry-after, or failed. */
    private void end(CampaignConfig c, CampaignStore.Claimed a, String result) {
        try {
            Instant now = clock.instant();
            Instant retry = "answered".equals(result) || a.made() >= c.effectiveMaxAttempts() ? null
                    : now.plus(c.retryAfter(result));
            store.finish(c.name(), a, result, now, retry);
        } catch (SQLException e) {
            LOG.error("campaign {}: could not record customer {} attempt {} ({}): {}", c.name(), a.customerId(),
                    a.attemptNo(), result, e.getSQLState());
        } finally {
            MDC.remove("call");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
