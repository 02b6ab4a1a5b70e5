package dev.ivr.server.outbound;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether each campaign runs, on the cluster: a Hazelcast map (campaign → running, paused,
 * stopped, finished; the cluster's default backups) written through to {@code campaign_runs},
 * which stays the source of truth (after a restart of the whole cluster the map is filled from
 * it). Every member keeps a copy of the map, updated by the map's listener within milliseconds of
 * a change on any member: its dialer reads that copy before each claim, so a pause on one member
 * stops every member's claims at once (the claim's transaction checks the database row too), and
 * a resume wakes the dialers without waiting for their next poll. A change made to the database
 * alone ({@code ./ivr campaign pause} from the command line) reaches the map at the next
 * {@link #refresh}.
 *
 * <p>One instance per server serves both the dialer and the HTTP routes (one map listener, one
 * copy). Its own store is the dialer's (the calls' pool); {@link #set(CampaignStore, String, String, Instant)}
 * and {@link #publish(CampaignStore, String)} take the caller's store, so that HTTP requests read
 * and write the database on the HTTP pool, as every other route does.
 */
public final class CampaignRunStates implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignRunStates.class);
    /** The map's name. */
    public static final String MAP = "ivr-campaign-runs";

    private final IMap<String, String> map;
    private final CampaignStore store;
    private final Map<String, String> local = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final UUID registration;

    private final class Changes implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String> {
        @Override
        public void entryAdded(EntryEvent<String, String> e) {
            changed(e.getKey(), e.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> e) {
            changed(e.getKey(), e.getValue());
        }
    }

    public CampaignRunStates(HazelcastInstance hazelcast, CampaignStore store) {
        this.map = hazelcast.getMap(MAP);
        this.store = store;
        this.registration = map.addEntryListener(new Changes(), true);
    }

    private void changed(String campaign, String status) {
        String before = status == null ? local.remove(campaign) : local.put(campaign, status);
        if (status != null && !status.equals(before)) {
            LOG.info("campaign {}: {} (cluster)", campaign, status);
            listeners.forEach(Runnable::run);
        }
    }

    /** Runs {@code r} (on a Hazelcast event thread: it must be quick) whenever a campaign's state changes. */
    public void onChange(Runnable r) {
        listeners.add(r);
    }

    /** The campaign's state: this member's copy of the map, else the map, else the database (then put in the map). */
    public Optional<String> status(String campaign) throws SQLException {
        String s = local.get(campaign);
        if (s != null) {
            return Optional.of(s);
        }
        try {
            s = map.get(campaign);
            if (s == null) {
                Optional<String> stored = store.status(campaign);
                if (stored.isEmpty()) {
                    return Optional.empty();
                }
                String previous = map.putIfAbsent(campaign, stored.get());
                s = previous == null ? stored.get() : previous;
            }
        } catch (RuntimeException e) { // the cluster is in trouble: the database still knows
            LOG.warn("campaign {}: state not read from the cluster ({}); reading the database", campaign, e.toString());
            return store.status(campaign);
        }
        local.putIfAbsent(campaign, s);
        return Optional.of(s);
    }

    /** Whether the campaign runs, as this member knows it now (no database or network access). */
    public boolean running(String campaign) {
        return "running".equals(local.get(campaign));
    }

    /** Sets the state: first in the database (the source of truth), then on the cluster. */
    public void set(String campaign, String status, Instant now) throws SQLException {
        set(store, campaign, status, now);
    }

    /** {@link #set(String, String, Instant)} with the database written through {@code through} (the caller's pool). */
    public void set(CampaignStore through, String campaign, String status, Instant now) throws SQLException {
        through.setStatus(campaign, status, now);
        try {
            map.set(campaign, status);
        } catch (RuntimeException e) { // the database has it (and every claim checks it); the cluster at the next refresh
            LOG.warn("campaign {}: {} not written to the cluster ({}); the servers take it from the database within 5 s",
                    campaign, status, e.toString());
        }
    }

    /** The database's state of the campaign goes to the cluster (after a start, or a change made by another program). */
    public void publish(String campaign) throws SQLException {
        publish(store, campaign);
    }

    /** {@link #publish(String)} with the database read through {@code through} (the caller's pool). */
    public void publish(CampaignStore through, String campaign) throws SQLException {
        // the map first, then the database: a change (database first, then map) made meanwhile on another member is
        // never undone with what the database said before it; the replace is conditional for the same reason
        String shared = map.get(campaign);
        Optional<String> stored = through.status(campaign);
        if (stored.isEmpty()) {
            return;
        }
        if (shared == null) {
            map.putIfAbsent(campaign, stored.get());
        } else if (!shared.equals(stored.get())) {
            map.replace(campaign, shared, stored.get());
        }
        String now = map.get(campaign);
        if (now != null) {
            changed(campaign, now); // this member's copy too, should it have missed an event
        }
    }

    /** {@link #publish} for each campaign (each dialer every 5 s: the database is the source of truth). */
    public void refresh(Collection<String> campaigns) throws SQLException {
        for (String c : campaigns) {
            publish(c);
        }
    }

    @Override
    public void close() {
        try {
            map.removeEntryListener(registration);
        } catch (RuntimeException e) {
            LOG.debug("campaign states listener not removed: {}", e.toString());
        }
    }
}
