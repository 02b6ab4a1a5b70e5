package dev.ivr.routing.hazelcast;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.UUID;

/** Keeps this node's {@link LocalView} current from the cluster's maps (and asks for dispatch when an agent another node changed is ready). */
final class ViewListeners extends RoutingPart {
    ViewListeners(RoutingContext ctx) {
        super(ctx);
    }

    /** Listens to the queue, agent and call maps until the routing closes. */
    void register() {
        UUID q = queueMap.addEntryListener(new QueueListener(), true);
        unregister.add(() -> queueMap.removeEntryListener(q));
        UUID a = agentMap.addEntryListener(new AgentListener(), true);
        unregister.add(() -> agentMap.removeEntryListener(a));
        UUID c = callMap.addEntryListener(new CallListener(), true);
        unregister.add(() -> callMap.removeEntryListener(c));
    }

    private final class AgentListener implements EntryAddedListener<String, AgentRecord>,
            EntryUpdatedListener<String, AgentRecord> {
        @Override
        public void entryAdded(EntryEvent<String, AgentRecord> event) {
            changed(event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, AgentRecord> event) {
            changed(event.getValue());
        }

        private void changed(AgentRecord record) {
            AgentEntry entry = view.applyAgent(record);
            Long mine = madeHere.get(record.id());
            if (entry != null && entry.isReady() && (mine == null || mine != record.version())) {
                requestDispatch(entry.id());
            }
        }
    }

    private final class CallListener implements EntryAddedListener<String, CallRecord>,
            EntryUpdatedListener<String, CallRecord>, EntryRemovedListener<String, CallRecord>,
            EntryEvictedListener<String, CallRecord>, EntryExpiredListener<String, CallRecord> {
        @Override
        public void entryAdded(EntryEvent<String, CallRecord> event) {
            onCallRecord(event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, CallRecord> event) {
            onCallRecord(event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, CallRecord> event) {
            onCallRemoved(event.getOldValue());
        }

        @Override
        public void entryEvicted(EntryEvent<String, CallRecord> event) {
            onCallRemoved(event.getOldValue());
        }

        @Override
        public void entryExpired(EntryEvent<String, CallRecord> event) {
            onCallRemoved(event.getOldValue());
        }
    }

    private final class QueueListener implements EntryAddedListener<String, QueueEntry>,
            EntryUpdatedListener<String, QueueEntry>, EntryRemovedListener<String, QueueEntry> {
        @Override
        public void entryAdded(EntryEvent<String, QueueEntry> event) {
            view.applyQueue(event.getValue().definition());
        }

        @Override
        public void entryUpdated(EntryEvent<String, QueueEntry> event) {
            view.applyQueue(event.getValue().definition());
        }

        @Override
        public void entryRemoved(EntryEvent<String, QueueEntry> event) {
            view.removeQueue(event.getKey());
        }
    }
}
