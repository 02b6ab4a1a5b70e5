package dev.ivr.server.outbound;

import dev.ivr.server.config.CampaignConfig;
import dev.ivr.server.outbound.pacing.DialMode;
import dev.ivr.server.outbound.pacing.Pacing;
import dev.ivr.server.outbound.pacing.PacingInput;
import dev.ivr.server.outbound.pacing.PacingSettings;
import dev.ivr.server.routing.Originator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent-handled modes of {@link CampaignDialer} (progressive, predictive): how many calls a
 * campaign places now, from its agents in routing ({@link AgentSupply}) and its {@link Pacing};
 * and, when a call is answered, whether an agent is free for it. An answered call with no agent
 * free is abandoned: it is sent ({@link CallRedirect}) to extension {@code abandoned} of the
 * outbound context, where the dialplan runs the campaign's abandon flow (a short message), and it
 * counts against the abandon cap. An answered call with an agent free continues into the campaign's
 * flow, which routes it to the queue; it counts as waiting for an agent until an agent holds it or
 * {@link #CONNECT_GRACE} passes.
 *
 * <p>Measurements are this server's: each server paces its own calls of a campaign (the number of
 * calls ringing and the claim limit are the cluster's, from the database). When a campaign's pacing
 * is first made (at the server's start), its abandon window is filled from the attempt records of
 * every server, so a restart does not forget the abandoned calls of the last 24 hours.
 */
public final class AgentDialing {
    private static final Logger LOG = LoggerFactory.getLogger(AgentDialing.class);
    /** Extension of the outbound context an abandoned call is sent to. */
    public static final String ABANDONED_EXTEN = "abandoned";
    /** How long an answered call may take (AMD, the flow) to reach an agent before it stops counting as waiting. */
    static final Duration CONNECT_GRACE = Duration.ofSeconds(30);

    private final AgentSupply supply;
    private final CallRedirect redirect;
    private final String context;
    private final Map<String, Pacing> pacings = new ConcurrentHashMap<>();
    /** Per campaign: answered calls (unique id) not yet held by an agent, and when they were answered. */
    private final Map<String, Map<String, Instant>> waiting = new ConcurrentHashMap<>();

    private final CampaignStore history;

    public AgentDialing(AgentSupply supply, CallRedirect redirect, String outboundContext) {
        this(supply, redirect, outboundContext, null);
    }

    /** {@code history} (may be null) fills each campaign's abandon window from the attempt records. */
    public AgentDialing(AgentSupply supply, CallRedirect redirect, String outboundContext, CampaignStore history) {
        this.history = history;
        this.supply = supply;
        this.redirect = redirect;
        this.context = outboundContext;
    }

    /** Whether the campaign's answered calls go to agents. */
    public static boolean handles(CampaignConfig c) {
        return DialMode.of(c.effectiveMode()).map(m -> m == DialMode.PROGRESSIVE || m == DialMode.PREDICTIVE).orElse(false);
    }

    /** The campaign's pacing (made on first use from its mode and abandon cap). */
    public Pacing pacing(CampaignConfig c) {
        return pacings.computeIfAbsent(c.name(), n -> {
            Pacing p = new Pacing(DialMode.of(c.effectiveMode()).orElseThrow(),
                    PacingSettings.DEFAULTS.withAbandonCap(c.effectiveAbandonCap()));
            remember(n, p);
            return p;
        });
    }

    /** Fills the abandon window of a new pacing from the attempt records (all servers). */
    private void remember(String campaign, Pacing p) {
        if (history == null) {
            return;
        }
        try {
            List<CampaignStore.Answer> answers = history.answersSince(campaign,
                    Instant.now().minus(p.settings().abandonWindow()));
            for (CampaignStore.Answer a : answers) {
                if (a.abandoned()) {
                    p.stats().abandoned(a.at());
                } else {
                    p.stats().connected(a.at());
                }
            }
        } catch (SQLException e) {
            LOG.warn("campaign {}: the abandon history was not read ({}); it starts empty", campaign, e.getSQLState());
        }
    }

    /** Puts a pacing in place for a campaign (its measurements carried over, or a test's). */
    public void usePacing(String campaign, Pacing pacing) {
        pacings.put(campaign, pacing);
    }

    /** New calls the campaign may place now, with {@code ringing} of its calls not answered yet (all servers). */
    public int toDial(CampaignConfig c, int ringing, Instant now) {
        AgentSupply.Agents agents = supply.agents(c.queue(), c.skills());
        return pacing(c).toDial(new PacingInput(agents.ready(), agents.busy(), ringing, waiting(c, agents, now)), now);
    }

    /** A call ended unanswered after {@code connectTime}. */
    public void notAnswered(CampaignConfig c, Duration connectTime) {
        pacing(c).stats().dialResult(false, connectTime);
    }

    /**
     * A call was answered after {@code connectTime}: true when an agent is free for it (it goes on to
     * the flow); false when none is (it was sent to the abandon message and counted abandoned).
     */
    public boolean answered(CampaignConfig c, Originator.Result r, Duration connectTime, Instant now) {
        Pacing pacing = pacing(c);
        pacing.stats().dialResult(true, connectTime);
        AgentSupply.Agents agents;
        try {
            agents = supply.agents(c.queue(), c.skills());
        } catch (RuntimeException e) {
            LOG.warn("campaign {}: agents not known ({}); the answered call goes on to the flow", c.name(), e.getMessage());
            return true;
        }
        if (agents.ready() - waiting(c, agents, now) > 0) {
            waiting.computeIfAbsent(c.name(), k -> new ConcurrentHashMap<>()).put(r.uniqueId(), now);
            pacing.stats().connected(now);
            return true;
        }
        pacing.stats().abandoned(now);
        try {
            redirect.redirect(r.channel(), context, ABANDONED_EXTEN);
        } catch (RuntimeException e) {
            LOG.warn("campaign {}: the abandoned call {} could not be sent to its message: {}", c.name(), r.uniqueId(),
                    e.getMessage());
        }
        return false;
    }

    /** An answered call ended after {@code talk}; a call that reached the flow counts as handled. */
    public void ended(CampaignConfig c, String uniqueId, Duration talk, boolean connected) {
        Map<String, Instant> w = waiting.get(c.name());
        if (w != null) {
            w.remove(uniqueId);
        }
        if (connected) {
            pacing(c).stats().handled(talk);
        }
    }

    /** Answered calls of the campaign not held by an agent yet (dropping those an agent holds or past the grace). */
    private int waiting(CampaignConfig c, AgentSupply.Agents agents, Instant now) {
        Map<String, Instant> w = waiting.get(c.name());
        if (w == null) {
            return 0;
        }
        w.entrySet().removeIf(e -> agents.callIds().contains(e.getKey())
                || e.getValue().plus(CONNECT_GRACE).isBefore(now));
        return w.size();
    }
}
