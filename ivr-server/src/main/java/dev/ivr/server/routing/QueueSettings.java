package dev.ivr.server.routing;

import dev.ivr.routing.QueueDefinition;
import java.util.Map;

/**
 * The queues as the server routes to them: their definitions, whether a queue matches the caller's language,
 * and the music on hold while the caller waits.
 */
record QueueSettings(Map<String, QueueDefinition> queues, Map<String, Boolean> matchLanguage, String musicClass) {
    QueueSettings {
        queues = Map.copyOf(queues);
        matchLanguage = Map.copyOf(matchLanguage);
    }
}
