package dev.ivr.server.flow.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.ivr.server.flow.yaml.Problem;
import dev.ivr.server.flow.yaml.YamlDoc;
import org.snakeyaml.engine.v2.nodes.Node;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The JSON Schema of flow files (draft 2020-12), the same file editors use
 * ({@code flows/flow.schema.json}; a test keeps the two copies equal). Each violation becomes
 * a problem at the YAML node it is about.
 */
public final class FlowSchema {
    static final String RESOURCE = "flow.schema.json";
    private static final JsonSchema SCHEMA = load();

    private FlowSchema() {
    }

    private static JsonSchema load() {
        try (InputStream in = FlowSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema text, as shipped. */
    public static String text() {
        try (InputStream in = FlowSchema.class.getResourceAsStream(RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks a document; returns its problems (none when it conforms). */
    public static List<Problem> check(YamlDoc doc) {
        List<Problem> problems = new ArrayList<>();
        JsonNode json = doc.toJson(problems);
        Set<ValidationMessage> messages = SCHEMA.validate(json);
        // a node's field dedented to the level of the nodes ("next: bye" under nodes:) reads as a
        // node named "next": one problem that says so, instead of the schema's several about it
        Set<String> misplaced = new java.util.HashSet<>();
        String previous = null;
        for (var e : YamlDoc.entries(YamlDoc.get(doc.root(), "nodes"))) {
            String key = e.getKey().getValue();
            if (!(e.getValue() instanceof org.snakeyaml.engine.v2.nodes.MappingNode) && NODE_FIELDS.contains(key)
                    && previous != null) {
                misplaced.add(key);
                misplaced.add(previous + "\u0000" + key);
                problems.add(Problem.error(doc.file(), YamlDoc.pos(e.getKey()), "'" + key + "' is indented as a node of its"
                        + " own; as a field of node '" + previous + "' it needs the indentation of that node's 'type:'"));
            } else {
                previous = key;
            }
        }
        for (ValidationMessage m : messages) {
            String at0 = pointer(m.getInstanceLocation());
            if (!misplaced.isEmpty() && (at0.startsWith("/nodes/") && misplaced.contains(at0.substring(7).split("/")[0])
                    || "required".equals(m.getType()) && at0.startsWith("/nodes/") && m.getProperty() != null
                    && misplaced.contains(at0.substring(7).split("/")[0] + "\u0000" + m.getProperty()))) {
                continue;
            }
            String type = m.getType();
            if (type != null && (type.equals("allOf") || type.equals("if") || type.equals("then"))) {
                continue; // wrappers of the real message, reported on their own
            }
            if (!"oneOf".equals(type) && m.getEvaluationPath().toString().contains("oneOf")) {
                continue; // the branches of a oneOf: its own message says it better
            }
            String path = pointer(m.getInstanceLocation());
            Node at = null;
            if ("additionalProperties".equals(type) && m.getProperty() != null) {
                at = doc.keyAt(path + "/" + m.getProperty());
            }
            if (at == null && ("additionalProperties".equals(type) || "required".equals(type)
                    || "oneOf".equals(type))) {
                at = doc.keyAt(path);
            }
            if (at == null) {
                at = doc.nodeAt(path);
            }
            problems.add(Problem.error(doc.file(), YamlDoc.pos(at), message(m, path)));
        }
        problems.sort(Problem.ORDER);
        return dedupe(problems);
    }

    /** Every field some node type has, from the schema (what a dedented line may be). */
    private static final Set<String> NODE_FIELDS = nodeFields();

    private static Set<String> nodeFields() {
        Set<String> names = new java.util.TreeSet<>();
        try (InputStream in = FlowSchema.class.getResourceAsStream(RESOURCE)) {
            JsonNode defs = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).path("$defs");
            defs.properties().forEach(d -> d.getValue().path("properties").fieldNames().forEachRemaining(names::add));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static List<Problem> dedupe(List<Problem> in) {
        List<Problem> out = new ArrayList<>();
        for (Problem p : in) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private static String pointer(JsonNodePath p) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < p.getNameCount(); i++) {
            sb.append('/').append(p.getElement(i));
        }
        return sb.toString();
    }

    /** networknt's message without the "$.a.b: " prefix, which the position replaces, plus a hint. */
    private static String message(ValidationMessage m, String path) {
        String msg = m.getMessage();
        int colon = msg.indexOf(": ");
        if ((msg.startsWith("$") || msg.startsWith("/")) && colon > 0) {
            msg = msg.substring(colon + 2);
        }
        String where = path.isEmpty() ? "" : path.substring(1).replace('/', '.') + ": ";
        if ("enum".equals(m.getType()) && m.getSchemaNode() != null && m.getSchemaNode().isArray()) {
            List<String> allowed = new ArrayList<>();
            m.getSchemaNode().forEach(v -> allowed.add(v.asText()));
            String given = m.getInstanceNode() == null ? "" : m.getInstanceNode().asText();
            String what = path.endsWith("/type") && path.startsWith("/nodes/") ? "node type" : "value";
            return where + "unknown " + what + " '" + given + "'" + dev.ivr.server.text.DidYouMean.suffix(given, allowed)
                    + " (one of: " + String.join(", ", allowed) + ")";
        }
        if ("oneOf".equals(m.getType()) && m.getSchemaNode() != null && m.getSchemaNode().isArray()) {
            List<String> names = new ArrayList<>();
            m.getSchemaNode().forEach(alt -> alt.path("required").forEach(r -> names.add("'" + r.asText() + "'")));
            if (!names.isEmpty()) {
                msg = "give exactly one of " + String.join(" or ", names);
            }
        }
        return where + msg;
    }
}
