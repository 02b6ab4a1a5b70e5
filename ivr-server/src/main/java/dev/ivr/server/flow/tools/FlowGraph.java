package dev.ivr.server.flow.tools;

import dev.ivr.server.flow.model.Edge;
import dev.ivr.server.flow.model.Flow;
import dev.ivr.server.flow.model.Node;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.math.KVector;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeLabelPlacement;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkLabel;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pictures of a flow: SVG laid out with ELK's layered algorithm (pure Java, no native tools),
 * and Mermaid and DOT text. Nodes show their id, type and what they use (prompt, queue,
 * calendar ...); edges are labelled with keys, conditions, outcomes and failures.
 */
public final class FlowGraph {
    private static final int LINE = 15;

    private FlowGraph() {
    }

    /** A box to draw: a node of the flow, the start marker, or another flow it hands over to. */
    private record Box(String id, String title, String subtitle, String kind) {
    }

    private record Arrow(String from, String to, String label, Edge.Kind kind) {
    }

    private static List<Box> boxes(Flow flow) {
        List<Box> out = new ArrayList<>();
        out.add(new Box("__start", "start", flow.name(), "start"));
        for (Node n : flow.nodes().values()) {
            out.add(new Box(n.id(), n.id(), n.type() + detail(n), kind(n)));
            if (n instanceof Node.Goto g && g.flow() != null) {
                out.add(new Box("__flow_" + g.flow(), g.flow(), "flow", "flow"));
            }
        }
        return out;
    }

    private static List<Arrow> arrows(Flow flow) {
        List<Arrow> out = new ArrayList<>();
        out.add(new Arrow("__start", flow.start(), "", Edge.Kind.NEXT));
        for (Node n : flow.nodes().values()) {
            for (Edge e : n.edges()) {
                out.add(new Arrow(n.id(), e.target(), label(n, e), e.kind()));
            }
            if (n instanceof Node.Goto g && g.flow() != null) {
                out.add(new Arrow(n.id(), "__flow_" + g.flow(), "continues in", Edge.Kind.NEXT));
            }
        }
        return out;
    }

    /** Widest advance of an 11 px DejaVu Sans character, on average, with room to spare. */
    static final double LEGEND_CHAR_WIDTH = 6.4;

    private static String detail(Node n) {
        String d = switch (n) {
            case Node.Say s -> s.prompt() == null ? "" : s.prompt().label();
            case Node.Play p -> p.sound();
            case Node.Menu m -> (m.prompt() == null ? "" : m.prompt().label()) + (m.speech() == null ? "" : " + speech");
            case Node.Collect c -> c.into() + (c.secret() ? " (secret)" : "");
            case Node.Listen l -> l.prompt() != null ? l.prompt().label() : l.phrases().freeText() ? "free text" : "phrases";
            case Node.Hours h -> h.calendar();
            case Node.Route r -> r.queue() + (r.skills().isEmpty() ? "" : " " + r.skills().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue() + "+").collect(java.util.stream.Collectors.joining(", ")));
            case Node.Transfer t -> "to " + t.to().source();
            case Node.Http h -> h.method() + " " + h.endpoint() + (h.path() == null ? "" : h.path().source());
            case Node.Voicemail v -> v.mailbox().source();
            case Node.Subflow s -> s.flow();
            case Node.Return r -> r.outcome() == null ? "" : r.outcome();
            case Node.SetVars s -> {
                List<String> parts = new ArrayList<>(s.vars().keySet());
                if (s.language() != null) {
                    parts.add("language");
                }
                yield String.join(", ", parts);
            }
            default -> "";
        };
        if (d.length() > 34) {
            d = d.substring(0, 33) + "…";
        }
        return d.isEmpty() ? "" : ": " + d;
    }

    private static String kind(Node n) {
        return switch (n) {
            case Node.Say s -> "speak";
            case Node.Play p -> "speak";
            case Node.Menu m -> "input";
            case Node.Collect c -> "input";
            case Node.Listen l -> "input";
            case Node.Identify i -> "crm";
            case Node.Http h -> "crm";
            case Node.Authenticate a -> "crm";
            case Node.Route r -> "route";
            case Node.Transfer t -> "route";
            case Node.Voicemail v -> "route";
            case Node.Record r -> "route";
            case Node.Hangup h -> "end";
            case Node.Return r -> "end";
            default -> "logic";
        };
    }

    private static String label(Node n, Edge e) {
        String l = switch (e.kind()) {
            case KEY -> (e.label().length() == 1 ? "key " + e.label() : e.label()) + spoken(n, e.label());
            case SPEECH -> n instanceof Node.Listen li && li.options().containsKey(e.label())
                    ? "\u201c" + e.label() + "\u201d" : e.label();
            case CONDITION -> "if " + e.label();
            case NEXT -> e.label().equals("next") ? "" : e.label();
            default -> e.label();
        };
        return l.length() > 40 ? l.substring(0, 39) + "…" : l;
    }

    /** For a menu key that may also be said: " or “billing”" (the first phrase of the first language). */
    private static String spoken(Node n, String key) {
        if (n instanceof Node.Menu m && m.speech() != null) {
            for (Map<String, String> byPhrase : m.speech().phrases().byLanguage().values()) {
                for (Map.Entry<String, String> p : byPhrase.entrySet()) {
                    if (p.getValue().equals(key)) {
                        return " or \u201c" + p.getKey() + "\u201d";
                    }
                }
            }
        }
        return "";
    }

    // --------------------------------------------------------------- SVG

    /** The flow as an SVG picture. */
    public static String svg(Flow flow) {
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.DOWN);
        root.setProperty(CoreOptions.SPACING_NODE_NODE, 28.0);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 36.0);
        root.setProperty(LayeredOptions.SPACING_EDGE_NODE_BETWEEN_LAYERS, 14.0);
        root.setProperty(CoreOptions.SPACING_EDGE_LABEL, 3.0);
        root.setProperty(CoreOptions.PADDING, new org.eclipse.elk.core.math.ElkPadding(20));
        Map<String, ElkNode> nodes = new LinkedHashMap<>();
        Map<ElkNode, Box> boxOf = new LinkedHashMap<>();
        for (Box b : boxes(flow)) {
            ElkNode n = ElkGraphUtil.createNode(root);
            double w = Math.max(b.title().length() * 7.6, b.subtitle().length() * 6.2) + 24;
            n.setDimensions(b.kind().equals("start") ? Math.max(80, w) : Math.max(110, w), 2 * LINE + 14);
            nodes.put(b.id(), n);
            boxOf.put(n, b);
        }
        Map<ElkEdge, Arrow> arrowOf = new LinkedHashMap<>();
        for (Arrow a : arrows(flow)) {
            ElkNode from = nodes.get(a.from());
            ElkNode to = nodes.get(a.to());
            if (from == null || to == null) {
                continue;
            }
            ElkEdge e = ElkGraphUtil.createSimpleEdge(from, to);
            if (!a.label().isEmpty()) {
                ElkLabel l = ElkGraphUtil.createLabel(a.label(), e);
                l.setDimensions(a.label().length() * 6.0 + 6, 14);
                l.setProperty(CoreOptions.EDGE_LABELS_PLACEMENT, EdgeLabelPlacement.CENTER);
            }
            arrowOf.put(e, a);
        }
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

        StringBuilder sb = new StringBuilder();
        String legend = esc(flow.name()) + " (version " + esc(flow.version()) + "): green speaks, blue waits for keys or"
                + " speech, purple asks the CRM, orange hands the call on, red ends";
        // wide enough for the legend too (a small flow is narrower than its legend)
        double width = Math.max(root.getWidth(), 20 + legend.length() * LEGEND_CHAR_WIDTH + 20);
        double height = root.getHeight() + 30;
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                + "viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">%n",
                width, height, width, height));
        sb.append("<title>flow ").append(esc(flow.name())).append("</title>\n");
        sb.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
                + "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/>"
                + "</marker></defs>\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"%.0f\" font-size=\"11\" fill=\"#666\">%s</text>%n",
                height - 10, legend));
        for (Map.Entry<ElkEdge, Arrow> en : arrowOf.entrySet()) {
            ElkEdge e = en.getKey();
            Arrow a = en.getValue();
            for (ElkEdgeSection s : e.getSections()) {
                StringBuilder d = new StringBuilder();
                d.append(String.format(Locale.ROOT, "M %.1f %.1f", s.getStartX(), s.getStartY()));
                for (ElkBendPoint bp : s.getBendPoints()) {
                    d.append(String.format(Locale.ROOT, " L %.1f %.1f", bp.getX(), bp.getY()));
                }
                d.append(String.format(Locale.ROOT, " L %.1f %.1f", s.getEndX(), s.getEndY()));
                String stroke = switch (a.kind()) {
                    case FAILURE -> "#c0392b\" stroke-dasharray=\"5,3";
                    case KEY, SPEECH -> "#1f5fa8";
                    case CONDITION, ELSE -> "#8a6d00";
                    default -> "#555";
                };
                sb.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(stroke)
                        .append("\" stroke-width=\"1.3\" marker-end=\"url(#arrow)\"/>\n");
            }
            for (ElkLabel l : e.getLabels()) {
                sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                        + "fill=\"#ffffff\" fill-opacity=\"0.85\"/>%n", l.getX(), l.getY(), l.getWidth(), l.getHeight()));
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#333\" "
                        + "text-anchor=\"middle\">%s</text>%n", l.getX() + l.getWidth() / 2, l.getY() + 11, esc(l.getText())));
            }
        }
        for (Map.Entry<ElkNode, Box> en : boxOf.entrySet()) {
            ElkNode n = en.getKey();
            Box b = en.getValue();
            String[] colors = switch (b.kind()) {
                case "speak" -> new String[]{"#e3f4e1", "#4c9a45"};
                case "input" -> new String[]{"#e1ecf8", "#1f5fa8"};
                case "crm" -> new String[]{"#efe5f7", "#7a4aa0"};
                case "route" -> new String[]{"#fdebd8", "#c46a12"};
                case "end" -> new String[]{"#f9e0de", "#b03a2e"};
                case "start" -> new String[]{"#333333", "#333333"};
                case "flow" -> new String[]{"#ffffff", "#555555"};
                default -> new String[]{"#f3f3f3", "#777777"};
            };
            double rx = b.kind().equals("start") ? n.getHeight() / 2 : 8;
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"%.1f\" "
                    + "fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"%s/>%n", n.getX(), n.getY(), n.getWidth(),
                    n.getHeight(), rx, colors[0], colors[1], b.kind().equals("flow") ? " stroke-dasharray=\"6,3\"" : ""));
            String fg = b.kind().equals("start") ? "#ffffff" : "#111";
            KVector c = new KVector(n.getX() + n.getWidth() / 2, n.getY());
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" font-weight=\"bold\" "
                    + "text-anchor=\"middle\" fill=\"%s\">%s</text>%n", c.x, c.y + 18, fg, esc(b.title())));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\" "
                    + "fill=\"%s\">%s</text>%n", c.x, c.y + 33, b.kind().equals("start") ? "#ddd" : "#444", esc(b.subtitle())));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // ---------------------------------------------------------- Mermaid, DOT

    /** Mermaid flowchart text (renders in GitHub, GitLab, many wikis). */
    public static String mermaid(Flow flow) {
        Map<String, String> ids = new LinkedHashMap<>();
        StringBuilder sb = new StringBuilder("flowchart TD\n");
        for (Box b : boxes(flow)) {
            String id = "n" + ids.size();
            ids.put(b.id(), id);
            String text = (b.title() + "<br/><small>" + b.subtitle() + "</small>").replace("\"", "#quot;");
            String shape = switch (b.kind()) {
                case "start" -> "([\"" + text + "\"])";
                case "input" -> "{{\"" + text + "\"}}";
                case "end" -> "[[\"" + text + "\"]]";
                default -> "[\"" + text + "\"]";
            };
            sb.append("  ").append(id).append(shape).append('\n');
        }
        for (Arrow a : arrows(flow)) {
            String arrow = a.kind() == Edge.Kind.FAILURE ? "-.->" : "-->";
            sb.append("  ").append(ids.get(a.from())).append(' ').append(arrow);
            if (!a.label().isEmpty()) {
                sb.append("|\"").append(a.label().replace("\"", "#quot;")).append("\"|");
            }
            sb.append(' ').append(ids.get(a.to())).append('\n');
        }
        return sb.toString();
    }

    /** Graphviz DOT text. */
    public static String dot(Flow flow) {
        StringBuilder sb = new StringBuilder("digraph \"" + flow.name() + "\" {\n  rankdir=TB;\n"
                + "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n"
                + "  edge [fontname=\"Helvetica\", fontsize=9];\n");
        for (Box b : boxes(flow)) {
            String fill = switch (b.kind()) {
                case "speak" -> "#e3f4e1";
                case "input" -> "#e1ecf8";
                case "crm" -> "#efe5f7";
                case "route" -> "#fdebd8";
                case "end" -> "#f9e0de";
                case "start" -> "#dddddd";
                default -> "#f3f3f3";
            };
            sb.append("  \"").append(dotEsc(b.id())).append("\" [label=\"").append(dotEsc(b.title())).append("\\n")
                    .append(dotEsc(b.subtitle())).append("\", fillcolor=\"").append(fill).append("\"];\n");
        }
        for (Arrow a : arrows(flow)) {
            sb.append("  \"").append(dotEsc(a.from())).append("\" -> \"").append(dotEsc(a.to())).append('"');
            List<String> attrs = new ArrayList<>();
            if (!a.label().isEmpty()) {
                attrs.add("label=\"" + dotEsc(a.label()) + "\"");
            }
            if (a.kind() == Edge.Kind.FAILURE) {
                attrs.add("style=dashed");
                attrs.add("color=\"#c0392b\"");
            }
            if (!attrs.isEmpty()) {
                sb.append(" [").append(String.join(", ", attrs)).append(']');
            }
            sb.append(";\n");
        }
        return sb.append("}\n").toString();
    }

    private static String dotEsc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
