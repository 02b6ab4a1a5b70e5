package dev.ivr.server.flow.engine;

import dev.ivr.server.flow.model.Node;

/** The {@code branch} node: the first condition that holds picks the edge, else {@code otherwise}. */
final class BranchStep {

    Next run(Node.Branch n, FlowEngine.Run run) {
        for (Node.Condition c : n.conditions()) {
            if (run.test(c.test(), n)) {
                return Next.to(c.next());
            }
        }
        return Next.to(n.otherwise());
    }
}
