package dev.ivr.server.flow;

import dev.ivr.server.agi.CallHandler;
import dev.ivr.server.agi.ScriptResolver;
import dev.ivr.server.flow.engine.FlowEngine;

import java.util.Collection;
import java.util.Optional;

/** Plugs the flows into the FastAGI listener: {@code agi://host/NAME} runs flow NAME. */
public final class FlowScripts implements ScriptResolver {
    private final FlowRepository flows;
    private final FlowEngine engine;

    public FlowScripts(FlowRepository flows, FlowEngine engine) {
        this.flows = flows;
        this.engine = engine;
    }

    @Override
    public Optional<CallHandler> resolve(String script) {
        if (flows.flow(script).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(channel -> engine.run(channel, script));
    }

    @Override
    public Collection<String> names() {
        return flows.current().flows().keySet();
    }
}
