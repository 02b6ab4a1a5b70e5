package dev.ivr.server.queue;

import dev.ivr.server.config.QueueOverride;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where queue settings changed at run time are kept beyond the cluster (so a restart of every member keeps them),
 * with the audit trail of who changed what.
 */
public interface QueueSettingsStore {
    /** Keeps nothing (tests without a database): the cluster alone holds the changes. */
    QueueSettingsStore NONE = new QueueSettingsStore() {
        @Override
        public Map<String, QueueOverride> load() {
            return Map.of();
        }

        @Override
        public void save(QueueSettingChange change) {
        }

        @Override
        public List<QueueSettingChange> history(String queue, int limit) {
            return List.of();
        }
    };

    /** Every queue's current override. */
    Map<String, QueueOverride> load();

    /** Keeps the change's new override (an empty one removes the queue's) and the change itself, at once. */
    void save(QueueSettingChange change);

    /** The latest changes of a queue, newest first. */
    List<QueueSettingChange> history(String queue, int limit);

    /**
     * One change of a queue's settings.
     *
     * @param before the override before the change (empty: the configured settings)
     * @param after  the override after it
     */
    record QueueSettingChange(String queue, String by, Instant at, QueueOverride before, QueueOverride after) {
    }
}
