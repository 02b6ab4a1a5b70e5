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
    /** The agents' numbered desk messages ({@link DeskLog}). */
    public static final String LOG = "ivr.desk.log";
    private static final org.slf4j.Logger LOGGER = org.slf4j.LoggerFactory.getLogger(TopicScreenPops.class);

    private final ITopic<DeskMessage> topic;
    private final com.hazelcast.map.IMap<String, DeskLog> log;

    public TopicScreenPops(HazelcastInstance hazelcast) {
        this.topic = hazelcast.getTopic(TOPIC);
        this.log = hazelcast.getMap(LOG);
    }

    /** Numbers the message in the agent's log, then publishes it (unnumbered if the log cannot be written). */
    private void publish(DeskMessage m) {
        DeskMessage numbered = m;
        try {
            numbered = log.executeOnKey(m.agentId(), new DeskLog.Append(m));
        } catch (RuntimeException e) {
            LOGGER.warn("desk message for {} not numbered: {}", m.agentId(), e.toString());
        }
        topic.publish(numbered);
    }

    /**
     * What a desktop that saw the agent's messages up to {@code seq} missed, oldest first; empty when more was
     * missed than is kept (the desktop needs a fresh snapshot).
     */
    public java.util.Optional<java.util.List<DeskMessage>> since(String agentId, long seq) {
        DeskLog l = log.get(agentId);
        if (l == null || !l.belongsTo(agentId)) {
            return seq == 0 ? java.util.Optional.of(java.util.List.of()) : java.util.Optional.empty();
        }
        if (seq > l.seq()) {
            return java.util.Optional.empty(); // numbers from another life of the log
        }
        java.util.List<DeskMessage> missed = l.recent().stream().filter(m -> m.seq() > seq).toList();
        if (missed.size() < l.seq() - seq) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(missed);
    }

    /** The number of the agent's last desk message (0: none). */
    public long lastSeq(String agentId) {
        DeskLog l = log.get(agentId);
        return l == null || !l.belongsTo(agentId) ? 0 : l.seq();
    }

    @Override
    public void offered(String agentId, CallContext context) {
        publish(new DeskMessage(DeskMessage.Kind.OFFERED, agentId, context.callId(), context, null));
    }

    @Override
    public void connected(String agentId, String callId) {
        publish(new DeskMessage(DeskMessage.Kind.CONNECTED, agentId, callId, null, null));
    }

    @Override
    public void ended(String agentId, String callId, String reason) {
        publish(new DeskMessage(DeskMessage.Kind.ENDED, agentId, callId, null, reason));
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
