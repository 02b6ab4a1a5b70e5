package dev.ivr.server.flow.load;

import dev.ivr.server.flow.yaml.Problem;
import dev.ivr.server.flow.model.Edge;
import dev.ivr.server.flow.model.Flow;
import dev.ivr.server.flow.model.Node;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks of a flow's graph. Errors: the start node or an edge's target missing, nodes that
 * cannot be reached, loops that nothing (no caller input, no condition, no outcome) can end.
 * Lint (warnings): a menu/collect without a no-input or invalid branch, a listen without a
 * no-input or no-match branch, retry loops a silent caller goes round for ever (no counter on
 * the way).
 */
public final class FlowChecks {
    private FlowChecks() {
    }

    public static List<Problem> check(Flow flow) {
        List<Problem> out = new ArrayList<>();
        Map<String, Node> nodes = flow.nodes();
        if (!nodes.containsKey(flow.start())) {
            out.add(new Problem(flow.file(), 1, 1, Problem.Severity.ERROR, "start node '" + flow.start() + "' does not exist"));
            return out;
        }
        boolean broken = false;
        for (Node n : nodes.values()) {
            for (Edge e : n.edges()) {
                if (e.target() == null || !nodes.containsKey(e.target())) {
                    out.add(Problem.error(flow.file(), e.pos(), "node '" + n.id() + "' goes to '" + e.target()
                            + "' (" + e.label() + "), which is not a node of this flow" + dev.ivr.server.text.DidYouMean.suffix(e.target(), nodes.keySet())));
                    broken = true;
                }
            }
        }
        if (broken) {
            return out;
        }
        // reachability
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(flow.start()));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (seen.add(id)) {
                nodes.get(id).edges().forEach(e -> todo.push(e.target()));
            }
        }
        for (Node n : nodes.values()) {
            if (!seen.contains(n.id())) {
                out.add(Problem.error(flow.file(), n.info().pos(), "node '" + n.id() + "' cannot be reached from the start node '"
                        + flow.start() + "'"));
            }
        }
        // loops nothing can end: a cycle with no input, and no way out
        for (Set<String> scc : cycles(nodes, e -> true)) {
            boolean input = scc.stream().anyMatch(id -> nodes.get(id).takesInput());
            boolean exit = scc.stream().anyMatch(id -> nodes.get(id).edges().stream()
                    .anyMatch(e -> !scc.contains(e.target())));
            if (!input && !exit) {
                Node first = nodes.get(scc.iterator().next());
                out.add(Problem.error(flow.file(), first.info().pos(), "the loop " + describe(scc)
                        + " cannot end: no node in it waits for the caller and none leads out of it"));
            }
        }
        // lint: menus and collects that do not handle silence or wrong keys explicitly
        for (Node n : nodes.values()) {
            if (n instanceof Node.Menu m) {
                lintReprompts(flow, n, m.noInput(), m.invalid(), out);
            } else if (n instanceof Node.Collect c) {
                lintReprompts(flow, n, c.noInput(), c.invalid(), out);
            } else if (n instanceof Node.Listen l) {
                if (l.noInput() == null) {
                    out.add(Problem.warning(flow.file(), n.info().pos(), "listen '" + n.id() + "' has no 'no-input' branch:"
                            + " a caller who says nothing hears the same prompt again with no help"));
                }
                if (l.noMatch() == null) {
                    out.add(Problem.warning(flow.file(), n.info().pos(), "listen '" + n.id() + "' has no 'no-match' branch:"
                            + " a caller who is not understood is not told so"));
                }
            }
        }
        // lint: retry loops without a bound: what a silent caller goes round (no key, no condition)
        Predicate<Edge> silent = e -> !e.byCaller() && e.kind() != Edge.Kind.CONDITION;
        for (Set<String> scc : cycles(nodes, silent)) {
            boolean input = scc.stream().anyMatch(id -> nodes.get(id).takesInput());
            if (input) {
                Node first = scc.stream().map(nodes::get).filter(Node::takesInput).findFirst().orElseThrow();
                out.add(Problem.warning(flow.file(), first.info().pos(), "retry loop with no bound: a caller who never"
                        + " presses a key goes round " + describe(scc) + " for ever; count the attempts in a variable and"
                        + " leave the loop with a branch condition"));
            }
        }
        return out;
    }

    private static void lintReprompts(Flow flow, Node n, Node.Reprompt noInput, Node.Reprompt invalid, List<Problem> out) {
        if (noInput == null) {
            out.add(Problem.warning(flow.file(), n.info().pos(), n.type() + " '" + n.id() + "' has no 'no-input' branch:"
                    + " a caller who says nothing hears the same prompt again with no help"));
        }
        if (invalid == null) {
            out.add(Problem.warning(flow.file(), n.info().pos(), n.type() + " '" + n.id() + "' has no 'invalid' branch:"
                    + " a caller who presses a wrong key is not told so"));
        }
    }

    private static String describe(Set<String> scc) {
        List<String> ids = new ArrayList<>(scc);
        return String.join(" → ", ids) + " → " + ids.get(0);
    }

    /** Strongly connected components that contain a cycle (Tarjan), over the edges kept by the filter. */
    static List<Set<String>> cycles(Map<String, Node> nodes, Predicate<Edge> keep) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String id : nodes.keySet()) {
            if (!index.containsKey(id)) {
                strong(id, nodes, keep, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void strong(String v, Map<String, Node> nodes, Predicate<Edge> keep, Map<String, Integer> index,
                               Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                               List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        boolean selfLoop = false;
        for (Edge e : nodes.get(v).edges()) {
            if (!keep.test(e) || !nodes.containsKey(e.target())) {
                continue;
            }
            String w = e.target();
            if (w.equals(v)) {
                selfLoop = true;
            }
            if (!index.containsKey(w)) {
                strong(w, nodes, keep, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> scc = new LinkedHashSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                scc.add(w);
            } while (!w.equals(v));
            if (scc.size() > 1 || selfLoop) {
                List<String> ordered = new ArrayList<>(scc);
                java.util.Collections.reverse(ordered);
                out.add(new LinkedHashSet<>(ordered));
            }
        }
    }
}
