package dev.ivr.routing.hazelcast;

import dev.ivr.routing.RoutingEvent;
import org.slf4j.Logger;

import java.util.List;
import java.util.function.Consumer;

/** Hands an event this node publishes to this node's local subscribers (a failing one does not stop the others). */
final class LocalEvents {
    private LocalEvents() {
    }

    static void deliver(List<Consumer<? super RoutingEvent>> subscribers, RoutingEvent event, Logger log) {
        for (Consumer<? super RoutingEvent> subscriber : subscribers) {
            try {
                subscriber.accept(event);
            } catch (RuntimeException e) {
                log.warn("local routing event subscriber failed on {}", event, e);
            }
        }
    }
}
