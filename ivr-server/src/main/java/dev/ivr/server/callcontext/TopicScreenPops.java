package dev.ivr.server.callcontext;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;

import java.util.function.Consumer;

/**
 * {@link ScreenPops} over a Hazelcast topic: the routing side publishes on any server, every
 * server's desktop hub subscribes and delivers to the desktops connected to it.
 */
public final class TopicScreenPops implements ScreenPops {
    public static final String TOPIC = "ivr.desk";

    private final ITopic<DeskMessage> topic;

    public TopicScreenPops(HazelcastInstance hazelcast) {
        this.topic = hazelcast.getTopic(TOPIC);
    }

    @Override
    public void offered(String agentId, CallContext context) {
        topic.publish(new DeskMessage(DeskMessage.Kind.OFFERED, agentId, context.callId(), context, null));
    }

    @Override
    public void connected(String agentId, String callId) {
        topic.publish(new DeskMessage(DeskMessage.Kind.CONNECTED, agentId, callId, null, null));
    }

    @Override
    public void ended(String agentId, String callId, String reason) {
        topic.publish(new DeskMessage(DeskMessage.Kind.ENDED, agentId, callId, null, reason));
    }

    /**
     * Receives every desk message of the cluster (on a Hazelcast thread: hand over, do not block).
     *
     * @return the registration id, for {@link #unsubscribe}
     */
    public java.util.UUID subscribe(Consumer<DeskMessage> listener) {
        return topic.addMessageListener(m -> listener.accept(m.getMessageObject()));
    }

    public void unsubscribe(java.util.UUID registration) {
        topic.removeMessageListener(registration);
    }
}
