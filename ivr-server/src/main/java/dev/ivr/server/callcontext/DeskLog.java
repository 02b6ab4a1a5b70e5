package dev.ivr.server.callcontext;

import com.hazelcast.map.EntryProcessor;
import dev.ivr.server.wire.ClusterValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An agent's desk messages, numbered: the last sequence number given and the most recent messages (map
 * {@value TopicScreenPops#LOG}, with the map's backups). A desktop that reconnects, on this server or another, asks
 * for what came after the last number it saw and gets it from here; when more was missed than is kept it gets a
 * fresh snapshot instead.
 *
 * @param seq    the number of the last message (0: none yet)
 * @param recent the last messages, oldest first, at most {@link #KEEP}
 */
public record DeskLog(String agentId, long seq, List<DeskMessage> recent) implements ClusterValue {
    /** How many messages are kept per agent for a desktop that reconnects. */
    public static final int KEEP = 64;

    public DeskLog {
        recent = List.copyOf(recent);
    }

    @Override
    public String key() {
        return agentId;
    }

    /** Numbers a message and keeps it; answers the numbered message. Atomic on the agent's partition. */
    public record Append(DeskMessage message) implements EntryProcessor<String, DeskLog, DeskMessage>, ClusterValue {
        @Override
        public DeskMessage process(Map.Entry<String, DeskLog> entry) {
            DeskLog log = entry.getValue();
            if (log == null || !log.belongsTo(entry.getKey())) {
                log = new DeskLog(entry.getKey(), 0, List.of());
            }
            DeskMessage numbered = message.withSeq(log.seq() + 1);
            List<DeskMessage> recent = new ArrayList<>(log.recent());
            recent.add(numbered);
            while (recent.size() > KEEP) {
                recent.remove(0);
            }
            entry.setValue(new DeskLog(entry.getKey(), numbered.seq(), recent));
            return numbered;
        }
    }
}
