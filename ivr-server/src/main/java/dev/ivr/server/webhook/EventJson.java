package dev.ivr.server.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.outbox.Outbox;

/**
 * A journal event as webhooks and the event stream send it: {@code {"id", "type": "call.queued", "at",
 * "callId", "flow", "node", "queue", "agent", "durationMs", "detail", "reason", "server", "customer"}}, absent fields left out.
 */
public final class EventJson {
    private EventJson() {
    }

    public static String of(JournalEvent e) {
        ObjectNode o = Outbox.json().createObjectNode();
        o.put("id", e.id());
        o.put("type", e.type().wire());
        o.put("at", e.at().toString());
        put(o, "callId", e.callId());
        put(o, "flow", e.flow());
        put(o, "node", e.node());
        put(o, "queue", e.queue());
        put(o, "agent", e.agent());
        if (e.durationMs() != null) {
            o.put("durationMs", e.durationMs());
        }
        put(o, "detail", e.detail());
        put(o, "reason", e.reason());
        put(o, "server", e.server());
        put(o, "customer", e.customer());
        try {
            return Outbox.json().writeValueAsString(o);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void put(ObjectNode o, String name, String value) {
        if (value != null) {
            o.put(name, value);
        }
    }

    /** The key deliveries are kept in order by: the call, else the agent, else the event alone. */
    public static String orderKey(JournalEvent e) {
        String key = e.callId() != null ? "call:" + e.callId() : e.agent() != null ? "agent:" + e.agent() : "event:" + e.id();
        return key.length() <= 220 ? key : key.substring(0, 220);
    }
}
