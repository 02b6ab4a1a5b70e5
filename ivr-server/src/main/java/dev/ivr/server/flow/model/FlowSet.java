package dev.ivr.server.flow.model;

import dev.ivr.server.flow.hours.Calendars;
import dev.ivr.server.prompt.PromptCatalog;

import java.util.Map;
import java.util.Optional;

/**
 * Everything a call runs on, as one immutable snapshot: the flows (valid versions only), the
 * prompt catalogs and the calendars. A call takes the snapshot current when it starts and
 * keeps it to its end, so a reload never changes a call in progress.
 */
public record FlowSet(Map<String, Flow> flows, PromptCatalog prompts, Calendars calendars) {
    public FlowSet {
        flows = Map.copyOf(flows);
    }

    public static FlowSet empty() {
        return new FlowSet(Map.of(), PromptCatalog.empty(), Calendars.none());
    }

    public Optional<Flow> flow(String name) {
        return Optional.ofNullable(flows.get(name));
    }
}
