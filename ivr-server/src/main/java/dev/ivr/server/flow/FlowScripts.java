package dev.ivr.server.flow;

import dev.ivr.server.call.CallHandler;
import dev.ivr.server.call.ScriptResolver;
import dev.ivr.server.flow.engine.CallObserver;
import dev.ivr.server.flow.engine.FlowEngine;

import dev.ivr.server.flow.yaml.Problem;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;

/** Plugs the flows into the FastAGI listener: {@code agi://host/NAME} runs flow NAME. */
public final class FlowScripts implements ScriptResolver {
    private final FlowRepository flows;
    private final FlowEngine engine;
    private final Supplier<CallObserver> observers;

    public FlowScripts(FlowRepository flows, FlowEngine engine) {
        this(flows, engine, () -> CallObserver.NONE);
    }

    /** @param observers a new observer for each call (statistics such as where callers leave the IVR) */
    public FlowScripts(FlowRepository flows, FlowEngine engine, Supplier<CallObserver> observers) {
        this.flows = flows;
        this.engine = engine;
        this.observers = observers;
    }

    @Override
    public Optional<CallHandler> resolve(String script) {
        if (flows.flow(script).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(channel -> engine.run(channel, script, observers.get()));
    }

    @Override
    public Collection<String> names() {
        return flows.current().flows().keySet();
    }

    @Override
    public Optional<String> refusal(String script) {
        return flows.status(script).filter(s -> s.version() == null && s.lastError() != null)
                .map(s -> "flow '" + script + "' is refused: " + s.lastError()
                        + (s.problems().stream().filter(Problem::isError).count() > 1 ? " (and more: ./ivr validate)" : ""));
    }
}
