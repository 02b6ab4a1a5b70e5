package dev.ivr.server.outbound;

import dev.ivr.server.config.CampaignConfig;
import dev.ivr.server.config.OutboundConfig;
import dev.ivr.server.crm.segment.SegmentException;
import dev.ivr.server.crm.segment.Segments;

import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Operating campaigns: start (the segment becomes the contact list), pause, resume, stop, progress. */
public final class Campaigns {
    private final OutboundConfig config;
    private final CampaignStore store;
    private final Segments segments;
    private final Clock clock;
    /** The campaigns' states on the cluster (null: in the database only, e.g. the command line). */
    private volatile CampaignRunStates runStates;

    public Campaigns(OutboundConfig config, CampaignStore store, Segments segments, Clock clock) {
        this.config = config;
        this.store = store;
        this.segments = segments;
        this.clock = clock;
    }

    /**
     * Start, pause, resume and stop reach every member of the cluster at once through {@code states}; the database is
     * read and written through this object's store all the same (the HTTP routes: the HTTP pool).
     */
    public Campaigns runStates(CampaignRunStates states) {
        this.runStates = states;
        return this;
    }

    /** A campaign's name is not configured. */
    public static final class UnknownCampaign extends Exception {
        public UnknownCampaign(String name, List<String> known) {
            super("no campaign '" + name + "' in outbound.campaigns" + dev.ivr.server.text.DidYouMean.suffix(name, known)
                    + (known.isEmpty() ? " (none is configured)" : " (configured: " + String.join(", ", known) + ")"));
        }
    }

    public CampaignConfig campaign(String name) throws UnknownCampaign {
        return config.campaigns().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new UnknownCampaign(name, config.campaigns().stream().map(CampaignConfig::name).toList()));
    }

    /** What {@link #start} did. */
    public record Started(int members, int added, int withoutNumber) {
    }

    /**
     * Starts a campaign: its segment's customers now become contacts (those already in it keep
     * their state), and the servers dial it.
     */
    public Started start(String name) throws UnknownCampaign, SegmentException, SQLException {
        CampaignConfig c = campaign(name);
        if (!c.hasSegment()) { // a CSV list: the contacts imported so far (./ivr campaign import) are dialled
            store.start(name, null, Map.of(), clock.instant());
            return new Started(0, 0, 0);
        }
        Optional<Segments.Segment> segment = segments.get(c.segment());
        if (segment.isEmpty()) {
            throw new SegmentException(1, 1, "campaign " + name + ": no saved segment '" + c.segment() + "' (./ivr segment save)");
        }
        List<String> ids = segments.members(segment.get().expression());
        Map<String, String> phones = store.firstPhones(ids);
        Map<String, String> contacts = new LinkedHashMap<>();
        ids.forEach(id -> contacts.put(id, phones.get(id)));
        int added = store.start(name, c.segment(), contacts, clock.instant());
        CampaignRunStates states = runStates;
        if (states != null) {
            states.publish(store, name);
        }
        return new Started(ids.size(), added, (int) ids.stream().filter(id -> phones.get(id) == null).count());
    }

    /** Sets running, paused or stopped; false when the campaign was never started. */
    public boolean set(String name, String status) throws UnknownCampaign, SQLException {
        campaign(name);
        if (store.status(name).isEmpty()) {
            return false;
        }
        CampaignRunStates states = runStates;
        if (states != null) {
            states.set(store, name, status, clock.instant());
        } else {
            store.setStatus(name, status, clock.instant());
        }
        return true;
    }

    /** Status, contacts by state, attempts by result. */
    public record Progress(String status, Map<String, Integer> contacts, Map<String, Integer> attempts,
                           List<CampaignStore.Attempt> history) {
    }

    public Optional<Progress> progress(String name) throws UnknownCampaign, SQLException {
        campaign(name);
        Optional<String> status = store.status(name);
        if (status.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Progress(status.get(), store.contactStates(name), store.attemptResults(name), store.attempts(name)));
    }
}
