package dev.ivr.server.outbound;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The campaigns for Prometheus, read from the database (so every server reports the same: take
 * {@code max by (campaign)} across servers): contacts by state, attempts by result, whether it
 * runs, the contact rate. Labels are bounded: the configured campaign names, the fixed states and
 * results (never a customer). One reading per campaign serves a scrape for {@link #FRESH_MILLIS}.
 */
public final class CampaignGauges {
    static final long FRESH_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(CampaignGauges.class);
    private static final List<String> STATES = List.of("pending", "dialing", "done", "failed", "no-number", "dnc");
    private static final List<String> RESULTS = List.of("answered", "busy", "no-answer", "congestion", "failed", "abandoned", "skipped");
    private static final List<String> STATUSES = List.of("running", "paused", "stopped", "finished");

    private record Reading(long at, CampaignProgress.Figures figures) {
    }

    private final CampaignProgress progress;
    private final Clock clock;
    private final Map<String, Reading> last = new ConcurrentHashMap<>();

    private CampaignGauges(CampaignProgress progress, Clock clock) {
        this.progress = progress;
        this.clock = clock;
    }

    public static CampaignGauges register(CampaignProgress progress, MeterRegistry meters, Collection<String> campaigns, Clock clock) {
        CampaignGauges g = new CampaignGauges(progress, clock);
        for (String c : campaigns) {
            for (String state : STATES) {
                g.gauge(meters, "ivr.campaign.contacts", "Contacts of the campaign by state", c, "state", state,
                        f -> f.contacts().getOrDefault(state, 0));
            }
            for (String result : RESULTS) {
                g.gauge(meters, "ivr.campaign.attempts", "Attempts of the campaign by dial result", c, "result", result,
                        f -> f.attempts().getOrDefault(result, 0));
            }
            for (String status : STATUSES) {
                g.gauge(meters, "ivr.campaign.status", "1 for the campaign's status now", c, "status", status,
                        f -> status.equals(f.status()) ? 1 : 0);
            }
            g.gauge(meters, "ivr.campaign.contact.rate", "Answered share of the campaign's finished attempts", c, null, null,
                    f -> f.contactRate() == null ? Double.NaN : f.contactRate());
            g.gauge(meters, "ivr.campaign.remaining", "Contacts pending or being dialled", c, null, null, f -> f.remaining());
            g.gauge(meters, "ivr.campaign.abandon.rate", "Abandoned share of the campaign's answered calls placed in the last 24 h",
                    c, null, null, f -> f.abandonRate() == null ? Double.NaN : f.abandonRate());
        }
        return g;
    }

    private void gauge(MeterRegistry meters, String name, String help, String campaign, String tag, String value,
                       ToDoubleFunction<CampaignProgress.Figures> f) {
        Gauge.Builder<CampaignGauges> b = Gauge.builder(name, this, x -> {
            CampaignProgress.Figures figures = x.figures(campaign);
            return figures == null ? Double.NaN : f.applyAsDouble(figures);
        }).description(help).tag("campaign", campaign).strongReference(true);
        if (tag != null) {
            b = b.tag(tag, value);
        }
        b.register(meters);
    }

    private CampaignProgress.Figures figures(String campaign) {
        long now = clock.millis();
        Reading r = last.get(campaign);
        if (r != null && now - r.at() < FRESH_MILLIS) {
            return r.figures();
        }
        try {
            CampaignProgress.Figures f = progress.figures(campaign, clock.instant());
            last.put(campaign, new Reading(now, f));
            return f;
        } catch (SQLException e) {
            LOG.debug("campaign gauges: the database failed ({})", e.getSQLState());
            return r == null ? null : r.figures();
        }
    }
}
