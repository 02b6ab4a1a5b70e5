package dev.ivr.server.webhook;

import dev.ivr.server.journal.JournalEvent;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A webhook subscription: which journal events go to which URL. The secret that signs them is not here: it is
 * sealed in the store and only shown once, when the subscription is made.
 *
 * @param id          a short random id ({@code wh_...}); the label of its metrics
 * @param url         where events are POSTed
 * @param types       the event types it wants (every type when it asked for {@code *})
 * @param queue       only events of this queue (null: every queue, and events without a queue)
 * @param description free text for the operator
 * @param createdAt   when it was made: events before it are not sent
 * @param createdBy   who made it
 */
public record Subscription(String id, String url, Set<JournalEvent.Type> types, String queue, String description,
                           Instant createdAt, String createdBy) {
    public Subscription {
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
    }

    /** Whether this subscription wants the event. */
    public boolean matches(JournalEvent e) {
        return types.contains(e.type()) && (queue == null || queue.equals(e.queue()))
                && !e.at().isBefore(createdAt.minusSeconds(1));
    }

    /** Whether it asked for every type. */
    public boolean allTypes() {
        return types.size() == JournalEvent.Type.values().length;
    }

    /** The types as wire names ({@code *} for all), as stored and shown. */
    public List<String> typeNames() {
        return allTypes() ? List.of("*") : types.stream().sorted().map(JournalEvent.Type::wire).toList();
    }

    /**
     * The types of wire names ({@code call.queued}, or {@code *} for all).
     *
     * @throws IllegalArgumentException for an unknown name or none
     */
    public static Set<JournalEvent.Type> parseTypes(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("events must name at least one event type (or \"*\" for all)");
        }
        EnumSet<JournalEvent.Type> types = EnumSet.noneOf(JournalEvent.Type.class);
        for (String n : names) {
            String name = n == null ? "" : n.trim();
            if (name.equals("*")) {
                types.addAll(EnumSet.allOf(JournalEvent.Type.class));
                continue;
            }
            JournalEvent.Type t = JournalEvent.Type.fromWire(name);
            if (t == null) {
                throw new IllegalArgumentException("unknown event type '" + name.replaceAll("[^\\w.*-]", "?")
                        + "'; known: " + String.join(", ", wireNames()));
            }
            types.add(t);
        }
        return types;
    }

    /** Every event type's wire name. */
    public static List<String> wireNames() {
        return java.util.Arrays.stream(JournalEvent.Type.values()).map(JournalEvent.Type::wire).toList();
    }
}
