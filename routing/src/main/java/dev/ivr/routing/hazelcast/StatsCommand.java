package dev.ivr.routing.hazelcast;

import com.hazelcast.map.EntryProcessor;

import java.util.Map;

/** Adds to the counters of a queue's statistics entry. */
public record StatsCommand(long now, long windowMillis, int[] counterIds, long[] deltas)
        implements EntryProcessor<String, QueueStatsRecord, Boolean>, Wire {

    @Override
    public Boolean process(Map.Entry<String, QueueStatsRecord> entry) {
        QueueStatsRecord current = entry.getValue();
        if (current == null) {
            current = QueueStatsRecord.empty(windowMillis);
        }
        entry.setValue(current.record(windowMillis, now, counterIds, deltas));
        return Boolean.TRUE;
    }
}
