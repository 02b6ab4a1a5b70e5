package dev.ivr.server.routing;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.config.QueueConfig;
import dev.ivr.server.config.QueueOverride;
import dev.ivr.server.queue.QueueSettingsStore;
import dev.ivr.server.queue.QueueSettingsStore.QueueSettingChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The queues as they are now: the configured {@code routing.queues}, each with the settings supervisors changed at
 * run time laid over it. The changes live in a cluster map ({@value #MAP}: queue id to the override's JSON), so
 * every member reads the same queue on its next offer; each member keeps its own copy up to date through the map's
 * events, so an offer reads no further than this member's memory. A change is kept in the database first (with who
 * made it), then shared, then published to the routing library's queue definitions (priority, aging, service level,
 * ring and wrap-up time, preferred-agent wait: read by the matcher on every member).
 */
public final class LiveQueues implements AutoCloseable {
    /** The cluster map of overrides (queue id to JSON). */
    public static final String MAP = "ivr.queue-overrides";
    private static final Logger LOG = LoggerFactory.getLogger(LiveQueues.class);

    private final Map<String, QueueConfig> configured;
    private final IMap<String, String> overrides;
    private final Map<String, QueueConfig> effective = new ConcurrentHashMap<>();
    private final Map<String, QueueDefinition> definitions = new ConcurrentHashMap<>();
    private final UUID listener;
    private final Clock clock;
    private volatile RoutingService routing;
    private volatile QueueSettingsStore store = QueueSettingsStore.NONE;

    LiveQueues(HazelcastInstance hazelcast, List<QueueConfig> queues, Clock clock) {
        Map<String, QueueConfig> byId = new LinkedHashMap<>();
        queues.forEach(q -> byId.put(q.id(), q));
        this.configured = java.util.Collections.unmodifiableMap(byId);
        this.clock = clock;
        this.overrides = hazelcast.getMap(MAP);
        this.listener = overrides.addEntryListener(new Listener(), true);
        Map<String, String> current = overrides.getAll(configured.keySet());
        configured.keySet().forEach(id -> refresh(id, current.get(id)));
    }

    void attach(RoutingService routing) {
        this.routing = routing;
    }

    /** Every queue now, configured order. */
    public List<QueueConfig> queues() {
        return configured.keySet().stream().map(effective::get).toList();
    }

    /** A queue now, with its changed settings; empty for a queue not configured. */
    public Optional<QueueConfig> queue(String id) {
        return Optional.ofNullable(id == null ? null : effective.get(id));
    }

    /** A queue as configured (without changes). */
    public Optional<QueueConfig> configured(String id) {
        return Optional.ofNullable(id == null ? null : configured.get(id));
    }

    /** The settings changed on a queue (empty: none). */
    public QueueOverride override(String id) {
        String json = overrides.get(id);
        return json == null ? QueueOverride.NONE : QueueOverride.parse(json);
    }

    /** Configured queue ids. */
    public Set<String> ids() {
        return configured.keySet();
    }

    /** The routing library's definition of a queue now (null for an unknown queue). */
    QueueDefinition definition(String id) {
        return id == null ? null : definitions.get(id);
    }

    /** Whether a queue's agents must speak the caller's language (true for an unknown queue). */
    boolean matchLanguage(String id) {
        QueueConfig q = id == null ? null : effective.get(id);
        return q == null || q.effectiveMatchLanguage();
    }

    /** The routing library's definitions of every queue now (for starting the library on this member). */
    List<QueueDefinition> definitions() {
        return configured.keySet().stream().map(definitions::get).toList();
    }

    /** The changes history of a queue, newest first. */
    public List<QueueSettingChange> history(String id, int limit) {
        return store.history(id, limit);
    }

    /**
     * Replaces the settings changed on a queue: kept in the store with who changed them, shared with the cluster,
     * published to routing. An empty override returns the queue to its configuration.
     *
     * @return the queue now
     * @throws IllegalArgumentException an unknown queue, or settings the configuration check refuses (the message
     *                                  says which and why)
     */
    public synchronized QueueConfig change(String id, QueueOverride override, String by) {
        QueueConfig base = configured.get(id);
        if (base == null) {
            throw new IllegalArgumentException("no queue '" + id + "' is configured");
        }
        List<String> problems = override.problems(base, configured.keySet());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        QueueConfig now = override.applyTo(base);
        QueueDefinition definition = Queues.definition(now); // refuses what the routing library would
        QueueOverride before = override(id);
        store.save(new QueueSettingChange(id, by, clock.instant(), before, override));
        if (override.isEmpty()) {
            overrides.delete(id);
        } else {
            overrides.set(id, override.json());
        }
        refresh(id, override.isEmpty() ? null : override.json());
        RoutingService r = routing;
        if (r != null) {
            r.defineQueues(List.of(definition));
        }
        LOG.info("queue {}: settings changed by '{}' from {} to {}", id, by, before.json(), override.json());
        return now;
    }

    /** Keeps changes in {@code store} from now on (a change it cannot keep is refused). */
    public void useStore(QueueSettingsStore store) {
        this.store = store;
    }

    /**
     * Brings back the changes the store holds that the cluster does not (every member was restarted): the cluster's
     * own stay, they are newer.
     */
    public void restore() {
        Map<String, QueueOverride> saved = store.load();
        for (Map.Entry<String, QueueOverride> e : saved.entrySet()) {
            QueueConfig base = configured.get(e.getKey());
            if (base == null) {
                LOG.warn("queue settings kept for '{}', which is no longer configured: ignored", e.getKey());
                continue;
            }
            List<String> problems = e.getValue().problems(base, configured.keySet());
            if (!problems.isEmpty()) {
                LOG.warn("queue {}: the settings kept ({}) no longer fit its configuration, the configured ones apply: {}",
                        e.getKey(), e.getValue().json(), problems);
                continue;
            }
            if (overrides.putIfAbsent(e.getKey(), e.getValue().json()) == null) {
                refresh(e.getKey(), e.getValue().json());
                RoutingService r = routing;
                if (r != null) {
                    r.defineQueues(List.of(definitions.get(e.getKey())));
                }
                LOG.info("queue {}: settings changed at run time restored: {}", e.getKey(), e.getValue().json());
            }
        }
    }

    private void refresh(String id, String json) {
        QueueConfig base = configured.get(id);
        if (base == null) {
            return;
        }
        QueueConfig now = base;
        try {
            now = (json == null ? QueueOverride.NONE : QueueOverride.parse(json)).applyTo(base);
            definitions.put(id, Queues.definition(now));
        } catch (RuntimeException e) {
            LOG.warn("queue {}: the changed settings cannot apply here, the configured ones do: {}", id, e.getMessage());
            now = base;
            definitions.put(id, Queues.definition(base));
        }
        effective.put(id, now);
    }

    @Override
    public void close() {
        overrides.removeEntryListener(listener);
    }

    private final class Listener implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
            EntryRemovedListener<String, String>, MapClearedListener {
        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            refresh(event.getKey(), event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event) {
            refresh(event.getKey(), event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            refresh(event.getKey(), null);
        }

        @Override
        public void mapCleared(MapEvent event) {
            configured.keySet().forEach(id -> refresh(id, null));
        }
    }
}
