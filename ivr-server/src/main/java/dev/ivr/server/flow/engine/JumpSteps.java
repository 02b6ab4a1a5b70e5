package dev.ivr.server.flow.engine;

import dev.ivr.server.flow.expr.Expr;
import dev.ivr.server.flow.model.Flow;
import dev.ivr.server.flow.model.Node;
import java.util.LinkedHashMap;
import java.util.Map;

/** The nodes that move between flows: {@code goto} (another flow, same frame), {@code subflow} (a call), {@code return}. */
final class JumpSteps {

    Next go(Node.Goto n, FlowEngine.Run run) {
        if (n.node() != null) {
            return Next.to(n.node());
        }
        Flow target = run.set.flow(n.flow()).orElseThrow(() ->
                new IllegalStateException("goto: no flow '" + n.flow() + "' is served"));
        CallState.Frame old = run.st.frame();
        run.st.position.replace(new CallState.Frame(target, target.start(), new LinkedHashMap<>(target.variables()),
                old.returnNode));
        run.observer.event("continues in flow " + target.name());
        return new Next(null, false);
    }

    Next enter(Node.Subflow n, FlowEngine.Run run) {
        Flow target = run.set.flow(n.flow()).orElseThrow(() ->
                new IllegalStateException("subflow: no flow '" + n.flow() + "' is served"));
        Map<String, Object> vars = new LinkedHashMap<>(target.variables());
        for (Map.Entry<String, Expr> a : n.args().entrySet()) {
            vars.put(a.getKey(), run.eval(a.getValue(), n));
        }
        run.st.position.enter(new CallState.Frame(target, target.start(), vars, n.id()));
        return new Next(null, false);
    }

    Next leave(Node.Return n, FlowEngine.Run run) {
        if (run.st.position.depth() == 1) {
            return Next.END; // a return at the top: the flow is done, the dialplan continues
        }
        CallState.Frame done = run.st.position.leave();
        Node.Subflow caller = (Node.Subflow) run.st.frame().flow.node(done.returnNode);
        String target = n.outcome() == null ? null : caller.outcomes().get(n.outcome());
        run.observer.event("returns from " + done.flow.name() + (n.outcome() == null ? "" : " with " + n.outcome()));
        return Next.to(target != null ? target : caller.next());
    }
}
