package dev.ivr.routing.hazelcast;

import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import com.hazelcast.topic.MessageListener;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.routing.RoutingService;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Routing events: published on the cluster's topic; read from it only once someone on this node subscribes. */
final class Events extends RoutingPart {
    private final ITopic<EventEnvelope> topic;
    final CopyOnWriteArrayList<Consumer<? super RoutingEvent>> subscribers = new CopyOnWriteArrayList<>();
    final CopyOnWriteArrayList<Consumer<? super RoutingEvent>> localSubscribers = new CopyOnWriteArrayList<>();
    private UUID topicListener;

    Events(RoutingContext ctx) {
        super(ctx);
        this.topic = hazelcast.getTopic(options.name() + ".events");
    }

    @Override

    void publishStateChange(AgentResult r, String callId) {
        if (!r.changed()) {
            return;
        }
        AgentRecord record = r.record();
        publish(new RoutingEvent.AgentStateChanged(record.id(), r.from(), record.state(), record.reasonCode(),
                record.callId() != null ? record.callId() : callId, Instant.ofEpochMilli(now())));
    }

    @Override

    void publish(RoutingEvent event) {
        LocalEvents.deliver(localSubscribers, event, log);
        topic.publish(new EventEnvelope(event));
    }

    RoutingService.Subscription subscribeLocal(Consumer<? super RoutingEvent> listener) {
        localSubscribers.add(listener);
        return () -> localSubscribers.remove(listener);
    }

    public RoutingService.Subscription subscribe(Consumer<? super RoutingEvent> listener) {
        synchronized (subscribers) {
            if (topicListener == null && !ctx.closed) {
                // read the event stream only once someone on this node listens
                UUID id = topic.addMessageListener(new EventListener());
                topicListener = id;
                unregister.add(() -> topic.removeMessageListener(id));
            }
            subscribers.add(listener);
        }
        return () -> subscribers.remove(listener);
    }

    private final class EventListener implements MessageListener<EventEnvelope> {
        @Override
        public void onMessage(Message<EventEnvelope> message) {
            RoutingEvent event = message.getMessageObject().event();
            for (Consumer<? super RoutingEvent> subscriber : subscribers) {
                try {
                    subscriber.accept(event);
                } catch (RuntimeException e) {
                    log.warn("routing event subscriber failed on {}", event, e);
                }
            }
        }

    }
}
