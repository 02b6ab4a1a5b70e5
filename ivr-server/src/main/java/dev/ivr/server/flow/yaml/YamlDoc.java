package dev.ivr.server.flow.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ivr.server.flow.yaml.Problem.Pos;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;

/**
 * A YAML file read safely, with the position of every node: snakeyaml-engine's composer with
 * hard limits (file size checked before reading, code points, aliases, total nodes after
 * alias expansion, nesting depth), so an alias bomb or a huge file is refused fast and cheaply.
 * Also gives the document as a Jackson tree (for the JSON Schema) with a map from each JSON
 * path back to its YAML node, so schema errors get a file:line:column.
 */
public final class YamlDoc {
    /** Largest YAML file accepted: flows are small; anything bigger is a mistake or an attack. */
    public static final long MAX_BYTES = 1_000_000;
    static final int MAX_ALIASES = 20;
    static final int MAX_NODES = 50_000;
    static final int MAX_DEPTH = 40;

    private final Path file;
    private final String text;
    private final Node root;
    private final Map<String, Node> byPath = new HashMap<>();
    private final Map<String, Node> keyByPath = new HashMap<>();

    private YamlDoc(Path file, String text, Node root) {
        this.file = file;
        this.text = text;
        this.root = root;
    }

    /** A YAML failure with its position. */
    public static final class Failure extends Exception {
        private final transient Problem problem;

        Failure(Problem problem) {
            super(problem.toString(), null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    /** The parser's wording of common mistakes, said as what to fix (its words kept after it). */
    static String plain(String problem) {
        String p = problem == null ? "" : problem.trim();
        String hint;
        if (p.startsWith("mapping values are not allowed")) {
            hint = "a ':' inside a value, or a key indented under a value: quote a value with ': ' in it"
                    + " (prompt: \"press 1: billing\"), or line the key up with the keys above";
        } else if (p.contains("TAB") || p.contains("found character '\\t'")) {
            hint = "a tab: YAML indents with spaces only";
        } else if (p.startsWith("could not find expected ':'")) {
            hint = "a line without 'key: value' where one was expected (a missing ':', or a wrong indentation)";
        } else if (p.startsWith("found unexpected end of stream")) {
            hint = "the file ends inside a quoted text or a [ ] / { } list: a closing quote or bracket is missing";
        } else if (p.startsWith("did not find expected key") || p.startsWith("expected <block end>")) {
            hint = "wrong indentation: this line lines up with none of the keys above it";
        } else if (p.startsWith("did not find expected ',' or ']'") || p.startsWith("did not find expected ',' or '}'")) {
            hint = "a [ ] or { } list that is not closed, or a ':' or quote inside it";
        } else if (p.startsWith("found unknown escape character")) {
            hint = "a backslash in a double-quoted text: use single quotes, or write \\\\";
        } else {
            return p;
        }
        return hint + " (YAML parser: " + p + ")";
    }

    /** Reads and parses a file (size checked first). */
    public static YamlDoc read(Path file) throws Failure {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new Failure(Problem.error(file, Pos.START, "file is " + size + " bytes; the limit is " + MAX_BYTES
                        + " (a flow is a few kilobytes)"));
            }
            return parse(file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (java.nio.charset.MalformedInputException e) {
            throw new Failure(Problem.error(file, Pos.START, "not UTF-8 text"));
        } catch (IOException e) {
            throw new Failure(Problem.error(file, Pos.START, "cannot read: " + e.getMessage()));
        }
    }

    /** Parses text that came from {@code file} (the name is used in messages). */
    public static YamlDoc parse(Path file, String text) throws Failure {
        if (text.length() > MAX_BYTES) {
            throw new Failure(Problem.error(file, Pos.START, "text is larger than " + MAX_BYTES + " characters"));
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file.toString())
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setAllowRecursiveKeys(false)
                .setCodePointLimit((int) MAX_BYTES)
                .setUseMarks(true)
                .build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            Pos pos = e.getProblemMark().or(e::getContextMark).map(YamlDoc::pos).orElse(Pos.START);
            String what = e.getProblem() == null ? e.getMessage() : e.getProblem();
            throw new Failure(Problem.error(file, pos, "not valid YAML: " + plain(firstLine(what))));
        } catch (YamlEngineException e) {
            throw new Failure(Problem.error(file, Pos.START, "not valid YAML: " + firstLine(e.getMessage())));
        } catch (StackOverflowError e) {
            throw new Failure(Problem.error(file, Pos.START, "YAML nested too deeply"));
        }
        if (root.isEmpty()) {
            throw new Failure(Problem.error(file, Pos.START, "the file is empty"));
        }
        YamlDoc doc = new YamlDoc(file, text, root.get());
        doc.checkShape(root.get(), 0, new int[]{0});
        return doc;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    /** Counts nodes with aliases expanded (an alias bomb stops here) and the nesting depth. */
    private void checkShape(Node n, int depth, int[] count) throws Failure {
        if (++count[0] > MAX_NODES) {
            throw new Failure(Problem.error(file, pos(n), "more than " + MAX_NODES
                    + " YAML nodes (aliases expanded): refused"));
        }
        if (depth > MAX_DEPTH) {
            throw new Failure(Problem.error(file, pos(n), "YAML nested more than " + MAX_DEPTH + " levels deep"));
        }
        if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode)) {
                    throw new Failure(Problem.error(file, pos(t.getKeyNode()), "keys must be plain text"));
                }
                checkShape(t.getValueNode(), depth + 1, count);
            }
        } else if (n instanceof SequenceNode s) {
            for (Node item : s.getValue()) {
                checkShape(item, depth + 1, count);
            }
        }
    }

    public Path file() {
        return file;
    }

    public String text() {
        return text;
    }

    public Node root() {
        return root;
    }

    /** First 12 hex digits of the SHA-256 of the file's text: the flow's version. */
    public String hash() {
        return hash(text);
    }

    /** First 12 hex digits of the SHA-256 of a text. */
    public static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Pos pos(Node n) {
        return n == null ? Pos.START : n.getStartMark().map(YamlDoc::pos).orElse(Pos.START);
    }

    static Pos pos(Mark m) {
        return new Pos(m.getLine() + 1, m.getColumn() + 1);
    }

    // ------------------------------------------------------------ JSON view

    /**
     * The document as a Jackson tree, for the JSON Schema; {@link #nodeAt} maps a JSON path
     * (names and indexes) back to the YAML node. Duplicate keys are reported here.
     */
    public JsonNode toJson(List<Problem> problems) {
        return toJson(root, "", problems);
    }

    private JsonNode toJson(Node n, String path, List<Problem> problems) {
        byPath.put(path, n);
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (n instanceof MappingNode m) {
            ObjectNode o = f.objectNode();
            for (NodeTuple t : m.getValue()) {
                String key = ((ScalarNode) t.getKeyNode()).getValue();
                String childPath = path + "/" + key;
                if (o.has(key)) {
                    problems.add(Problem.error(file, pos(t.getKeyNode()), "'" + key + "' is given twice here"));
                    continue;
                }
                keyByPath.put(childPath, t.getKeyNode());
                o.set(key, toJson(t.getValueNode(), childPath, problems));
            }
            return o;
        }
        if (n instanceof SequenceNode s) {
            ArrayNode a = f.arrayNode();
            int i = 0;
            for (Node item : s.getValue()) {
                a.add(toJson(item, path + "/" + i++, problems));
            }
            return a;
        }
        ScalarNode sc = (ScalarNode) n;
        Tag tag = sc.getTag();
        String v = sc.getValue();
        try {
            if (tag.equals(Tag.NULL)) {
                return f.nullNode();
            }
            if (tag.equals(Tag.BOOL)) {
                return f.booleanNode(Boolean.parseBoolean(v.toLowerCase(Locale.ROOT)));
            }
            if (tag.equals(Tag.INT)) {
                BigInteger b = new BigInteger(v.replace("_", "").replace("+", ""));
                return b.bitLength() < 63 ? f.numberNode(b.longValue()) : f.numberNode(b);
            }
            if (tag.equals(Tag.FLOAT)) {
                return f.numberNode(Double.parseDouble(v));
            }
        } catch (NumberFormatException e) {
            // keep as text
        }
        return f.textNode(v);
    }

    /** The YAML node at a JSON path such as {@code /nodes/main-menu/options/1}, if any. */
    public Node nodeAt(String jsonPath) {
        return byPath.get(jsonPath);
    }

    /** The key node of the mapping entry at a JSON path, if any. */
    public Node keyAt(String jsonPath) {
        return keyByPath.get(jsonPath);
    }

    // ------------------------------------------------------- tree helpers

    /** Entries of a mapping, in order (key text → value node); empty for anything else. */
    public static List<Map.Entry<ScalarNode, Node>> entries(Node n) {
        List<Map.Entry<ScalarNode, Node>> out = new ArrayList<>();
        if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                out.add(Map.entry((ScalarNode) t.getKeyNode(), t.getValueNode()));
            }
        }
        return out;
    }

    /** The value of {@code key} in a mapping, or null. */
    public static Node get(Node n, String key) {
        if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return t.getValueNode();
                }
            }
        }
        return null;
    }

    /** The key node of {@code key} in a mapping, or null. */
    public static Node keyNode(Node n, String key) {
        if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return k;
                }
            }
        }
        return null;
    }

    /** Scalar text, or null when the node is absent, null or not a scalar. */
    public static String text(Node n) {
        if (n instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
            return s.getValue();
        }
        return null;
    }
}
