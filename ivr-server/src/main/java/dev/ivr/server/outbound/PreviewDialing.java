package dev.ivr.server.outbound;

import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingException;
import dev.ivr.server.config.CampaignConfig;
import dev.ivr.server.config.OutboundConfig;
import dev.ivr.server.outbound.pacing.DialMode;
import dev.ivr.server.routing.AgentPreviews;
import dev.ivr.server.routing.Originator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The preview mode of {@link CampaignDialer}: one claimed attempt is queued in the campaign's queue as a preview;
 * routing reserves an agent for it (no inbound call is offered to that agent meanwhile); the agent sees the customer
 * and accepts or skips ({@link PreviewStore}: any server takes the click), or the preview times out. Accepted, the
 * agent's phone is rung first and, once it answers, the dialplan ({@value #EXTEN} of the outbound context) dials the
 * customer on it and reports how the customer's line answered ({@link PreviewReports}). Skipped, the agent is ready
 * again at once and the attempt is recorded {@code skipped} (the contact's next attempt follows
 * {@code retry-after.skipped}). A preview no agent was reserved for within {@link #AGENT_WAIT} is given back (not an
 * attempt).
 */
public final class PreviewDialing {
    private static final Logger LOG = LoggerFactory.getLogger(PreviewDialing.class);
    /** The outbound context's extension the agent's answered channel runs: it dials the customer. */
    public static final String EXTEN = "preview";
    /** What the preview extension dials (outbound.channel with the customer's number), its caller id and ring time. */
    public static final String DIAL = "IVR_PREVIEW_DIAL";
    public static final String CALLER_ID = "IVR_PREVIEW_CALLER_ID";
    public static final String RING_TIMEOUT = "IVR_RING_TIMEOUT";
    /** A preview waits this long for routing to reserve an agent before it is given back. */
    static final Duration AGENT_WAIT = Duration.ofMinutes(2);
    /** After the agent's call ends, the dialplan's report (run as the channel hangs up) is waited for this long. */
    static final Duration REPORT_GRACE = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 250;

    private final OutboundConfig config;
    private final AgentSupply supply;
    private final Supplier<AgentPreviews> previews;
    private final PreviewStore store;
    private final CampaignStore campaigns;
    private final Clock clock;

    /** {@code previews} may answer null while routing is not started (or off): nothing is previewed then. */
    public PreviewDialing(OutboundConfig config, AgentSupply supply, Supplier<AgentPreviews> previews, CampaignStore campaigns,
                          Clock clock) {
        this.config = config;
        this.supply = supply;
        this.previews = previews;
        this.campaigns = campaigns;
        this.store = new PreviewStore(campaigns.dataSource());
        this.clock = clock;
    }

    /** Whether the campaign previews. */
    public static boolean handles(CampaignConfig c) {
        return DialMode.of(c.effectiveMode()).map(m -> m == DialMode.PREVIEW).orElse(false);
    }

    /** Previews the campaign may open now: its ready agents minus its previews still waiting for an agent (all servers). */
    int toOpen(CampaignConfig c) throws SQLException {
        if (previews.get() == null) {
            return 0;
        }
        return supply.agents(c.queue(), c.skills()).ready() - store.waitingForAgent(c.name());
    }

    /**
     * Runs one claimed attempt of a preview campaign to its end.
     *
     * @return the attempt's result to record (answered, busy, no-answer, congestion, failed, skipped), or empty when
     * the attempt was given back (no agent was reserved for it: it is no attempt)
     */
    Optional<String> run(CampaignConfig c, CampaignStore.Claimed a) throws InterruptedException, SQLException {
        AgentPreviews p = previews.get();
        if (p == null) {
            store.giveBack(c.name(), a, clock.instant());
            return Optional.empty();
        }
        String callId = "preview-" + a.attemptId();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("campaign", c.name());
        if (c.reason() != null) {
            fields.put("reason", c.reason());
        }
        fields.put("attempt", Integer.toString(a.attemptNo()));
        fields.put("phone", a.phone());
        AgentPreviews.Call call = new AgentPreviews.Call(callId, c.flow(), c.queue(), c.skills(), a.customerId(), a.phone(),
                c.reason(), fields);
        try {
            p.enqueue(call);
        } catch (RoutingException e) {
            LOG.warn("campaign {}: preview of customer {} not queued in {}: {}", c.name(), a.customerId(), c.queue(),
                    e.getMessage());
            store.giveBack(c.name(), a, clock.instant());
            return Optional.empty();
        }
        Reservation r = null;
        boolean settled = false;
        try {
            r = awaitAgent(c, p, callId);
            if (r == null) {
                p.withdraw(callId, null, "no-agent");
                settled = true;
                if (store.giveBack(c.name(), a, clock.instant())) {
                    LOG.info("campaign {}: no agent for the preview of customer {}: given back", c.name(), a.customerId());
                    return Optional.empty();
                }
                return Optional.of("failed"); // reclaimed meanwhile (OrphanAttempts): ending it changes nothing
            }
            Instant shownAt = clock.instant();
            store.previewed(a.attemptId(), r.agentId(), shownAt);
            AgentPreviews.Shown shown = p.show(call, r, shownAt.plus(c.effectivePreviewTimeout()));
            LOG.info("campaign {}: customer {} previewed by agent {} (attempt {})", c.name(), a.customerId(), r.agentId(),
                    a.attemptNo());
            String decision = awaitDecision(c, a, p, r, shownAt.plus(c.effectivePreviewTimeout()));
            LOG.info("campaign {}: preview of customer {} by agent {}: {}", c.name(), a.customerId(), r.agentId(), decision);
            if (!PreviewStore.accepts(decision)) {
                p.withdraw(callId, r.agentId(), decision);
                settled = true;
                return Optional.of("skipped");
            }
            settled = true; // from here the reservation is the connect's (answered, or failed as an offer)
            return Optional.of(dial(c, a, p, shown));
        } finally {
            if (!settled) { // interrupted (the server stops) or the database failed: the agent is not left reserved
                p.withdraw(callId, r == null ? null : r.agentId(), "preview-ended");
            }
        }
    }

    private Reservation awaitAgent(CampaignConfig c, AgentPreviews p, String callId) throws InterruptedException, SQLException {
        Instant giveUp = clock.instant().plus(AGENT_WAIT);
        while (true) {
            Optional<Reservation> r = p.awaitAgent(callId, Duration.ofSeconds(1));
            if (r.isPresent()) {
                return r.get();
            }
            if (!p.queued(callId) || clock.instant().isAfter(giveUp)
                    || !campaigns.status(c.name()).map("running"::equals).orElse(false)) {
                return null;
            }
        }
    }

    private String awaitDecision(CampaignConfig c, CampaignStore.Claimed a, AgentPreviews p, Reservation r, Instant until)
            throws InterruptedException, SQLException {
        while (true) {
            Optional<String> d = store.decision(a.attemptId());
            if (d.isPresent()) {
                return d.get();
            }
            Instant now = clock.instant();
            if (!p.holds(r)) { // logged out, gone, or the reservation taken back by routing
                if (store.decide(a.attemptId(), null, PreviewStore.AGENT_LEFT, now)) {
                    return PreviewStore.AGENT_LEFT;
                }
                continue;
            }
            if (!now.isBefore(until)) {
                String t = c.previewTimeoutAccepts() ? PreviewStore.TIMEOUT_ACCEPTED : PreviewStore.TIMEOUT_SKIPPED;
                if (store.decide(a.attemptId(), null, t, now)) {
                    return t;
                }
                continue;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** The agent accepted: the agent's phone rings; answered, the dialplan dials the customer and reports the result. */
    private String dial(CampaignConfig c, CampaignStore.Claimed a, AgentPreviews p, AgentPreviews.Shown shown)
            throws InterruptedException, SQLException {
        store.callId(a.attemptId(), shown.reservation().callId());
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put(CampaignDialer.CAMPAIGN, c.name());
        vars.put(CampaignDialer.CUSTOMER, a.customerId());
        vars.put(CampaignDialer.ATTEMPT, Integer.toString(a.attemptNo()));
        vars.put(CampaignDialer.REASON, c.reason() == null ? "" : c.reason());
        vars.put(CampaignDialer.MODE, c.effectiveMode());
        vars.put(CampaignDialer.QUEUE, c.queue());
        vars.put(DIAL, config.channel().replace("{number}", a.phone()));
        vars.put(CALLER_ID, c.callerId() == null ? "" : c.callerId());
        vars.put(RING_TIMEOUT, Long.toString(Math.max(1, config.ringTimeout().toSeconds())));
        String name = shown.context().customerName() == null ? a.phone() : shown.context().customerName();
        Instant start = clock.instant();
        Originator.Result res;
        try {
            res = p.connect(shown, config.context(), EXTEN, "\"Preview " + name.replace("\"", "") + "\" <" + a.phone() + ">",
                    vars, config.pbx());
        } catch (Originator.OriginateException e) {
            LOG.warn("campaign {}: the agent's phone could not be rung for customer {}: {}", c.name(), a.customerId(),
                    e.getMessage());
            return "failed";
        }
        if (!res.answered()) {
            return "failed"; // the agent's phone did not answer: the customer was not called
        }
        Instant answered = clock.instant();
        try {
            res.hangup().get(config.maxCallTime().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("campaign {}: no hang-up seen for the preview call of customer {} within {}", c.name(), a.customerId(),
                    config.maxCallTime());
        }
        Optional<String> result = store.result(a.attemptId());
        Instant grace = clock.instant().plus(REPORT_GRACE);
        while (result.isEmpty() && clock.instant().isBefore(grace)) {
            Thread.sleep(POLL_MILLIS);
            result = store.result(a.attemptId());
        }
        String r = result.orElse("failed");
        if (result.isEmpty()) {
            LOG.warn("campaign {}: the dialplan did not report how customer {} answered: recorded failed", c.name(),
                    a.customerId());
        }
        p.ended(shown, a.phone(), start, answered, "answered".equals(r), r);
        return r;
    }
}
