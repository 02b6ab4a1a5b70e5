package dev.ivr.server.flow.tools;

import dev.ivr.server.flow.engine.CallObserver;
import dev.ivr.server.flow.engine.CallSummary;
import dev.ivr.server.flow.model.Edge;
import dev.ivr.server.flow.model.Node;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Writes a call as lines of text, deterministically: each node entered, what the caller hears
 * ("IVR: ..."), what the caller does, what the engine learns (CRM, calendar, routing), and a
 * summary. Also remembers what was heard, the nodes and the edges taken (for flow tests).
 */
public final class Transcript implements CallObserver, Consumer<String> {
    private final Consumer<String> sink;
    private final List<String> lines = new ArrayList<>();
    private final List<String> heard = new ArrayList<>();
    private final Set<String> nodes = new LinkedHashSet<>();
    private final Set<String> edges = new LinkedHashSet<>();
    private String lastFlow;
    private Node lastNode;
    private CallSummary summary;

    public Transcript(Consumer<String> sink) {
        this.sink = sink;
    }

    /** Keys pressed one after another, shown as one line ("caller presses 10003#") once something else happens. */
    private final StringBuilder keys = new StringBuilder();

    @Override
    public void accept(String line) {
        if (line.startsWith(KEY) && line.length() == KEY.length() + 1) {
            keys.append(line.charAt(KEY.length()));
            return;
        }
        flushKeys();
        lines.add(line);
        sink.accept(line);
    }

    private static final String KEY = "  caller presses ";

    private void flushKeys() {
        if (!keys.isEmpty()) {
            String line = KEY + keys;
            keys.setLength(0);
            lines.add(line);
            sink.accept(line);
        }
    }

    @Override
    public void node(String flow, Node node) {
        nodes.add(flow + "/" + node.id());
        if (lastNode != null && flow.equals(lastFlow)) {
            for (Edge e : lastNode.edges()) {
                if (e.target().equals(node.id())) {
                    edges.add(flow + "/" + lastNode.id() + "->" + node.id());
                    break;
                }
            }
        }
        lastFlow = flow;
        lastNode = node;
        accept("> " + node.id() + " (" + node.type() + (flow == null ? "" : ", " + flow) + ")");
    }

    @Override
    public void prompt(String text, String promptId) {
        heard.add(text);
        accept("  IVR: " + text);
    }

    @Override
    public void event(String text) {
        accept("  " + text);
    }

    @Override
    public void ended(CallSummary s) {
        summary = s;
        accept("= outcome " + s.interaction().outcome());
        accept("= path " + String.join(" > ", s.path()));
        accept("= variables " + new TreeMap<>(s.variables()));
        accept("= inputs " + new TreeMap<>(s.inputs()));
        if (s.interaction().customerId() != null) {
            accept("= customer " + s.interaction().customerId());
        }
        if (s.interaction().authOutcome() != null) {
            accept("= auth " + s.interaction().authOutcome());
        }
        if (s.interaction().queue() != null) {
            accept("= queue " + s.interaction().queue() + (s.interaction().agentId() == null ? ""
                    : " agent " + s.interaction().agentId()));
        }
    }

    public List<String> lines() {
        flushKeys();
        return List.copyOf(lines);
    }

    public List<String> heard() {
        return List.copyOf(heard);
    }

    /** "flow/node" of every node entered. */
    public Set<String> nodesVisited() {
        return nodes;
    }

    /** "flow/from->to" of every edge taken. */
    public Set<String> edgesTaken() {
        return edges;
    }

    public CallSummary summary() {
        return summary;
    }

    /** For map printing with stable order. */
    static Map<String, Object> sorted(Map<String, Object> m) {
        return new TreeMap<>(m);
    }
}
