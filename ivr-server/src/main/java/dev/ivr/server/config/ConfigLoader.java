package dev.ivr.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the configuration: bundled defaults, then the YAML file, then {@code IVR_*}
 * environment variables ({@code IVR_AGI_PORT=4574} sets {@code agi.port}; lists are
 * comma-separated), then {@code ${VAR}} / {@code ${VAR:-default}} references in values. A
 * variable the file refers to is a value, not a configuration key, whatever its name
 * ({@code password: ${IVR_DB_PASSWORD}}).
 * Every problem is reported at once, with file:line:column where the file has the key.
 */
public final class ConfigLoader {

    /** Environment variables with the IVR_ prefix that are not configuration keys. */
    private static final List<String> NOT_CONFIG = List.of("IVR_JAVA_HOME", "IVR_JAVA_OPTS", "IVR_TEST_", "IVR_HOME",
            "IVR_CONFIG", "IVR_LOG_DIR", "IVR_BENCH_", "IVR_ETC", "IVR_INSTALL_", "IVR_SERVER_JAR", "IVR_ASTERISK_HOME",
            "IVR_AOT_CACHE");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .loaderOptions(safeLoaderOptions()).build())
            .build();
    static final ObjectMapper BINDER = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(new SimpleModule().addDeserializer(Duration.class, new JsonDeserializer<>() {
                @Override
                public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                    try {
                        return DurationText.parse(p.getValueAsString());
                    } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
                        throw JsonMappingException.from(p, "'" + p.getValueAsString()
                                + "' is not a duration; write e.g. 500ms, 10s, 2m, 1h");
                    }
                }
            }))
            .build();

    private ConfigLoader() {
    }

    private static org.yaml.snakeyaml.LoaderOptions safeLoaderOptions() {
        org.yaml.snakeyaml.LoaderOptions o = new org.yaml.snakeyaml.LoaderOptions();
        o.setMaxAliasesForCollections(20);
        o.setCodePointLimit(1_000_000);
        o.setNestingDepthLimit(20);
        return o;
    }

    /** Defaults only (no file), with the given environment. */
    public static IvrConfig load(Map<String, String> env) {
        return load(null, env);
    }

    /**
     * Loads {@code file} (may be null: defaults only) over the defaults, applies
     * {@code env}, validates.
     *
     * @throws ConfigException listing every problem
     */
    public static IvrConfig load(Path file, Map<String, String> env) {
        ObjectNode tree = defaults();
        List<String> problems = new ArrayList<>();
        String text = null;
        String source = file == null ? "defaults" : file.toString();
        if (file != null) {
            try {
                text = Files.readString(file);
            } catch (NoSuchFileException e) {
                throw new ConfigException(file + ": no such configuration file");
            } catch (IOException e) {
                throw new ConfigException(file + ": cannot read: " + e.getMessage());
            }
            JsonNode user;
            try {
                user = text.isBlank() ? JsonNodeFactory.instance.objectNode() : YAML.readTree(text);
            } catch (JsonProcessingException e) {
                JsonLocation loc = e.getLocation();
                String where = loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr();
                throw new ConfigException(file + where + ": not valid YAML: " + e.getOriginalMessage());
            }
            if (user == null || user.isNull() || user.isMissingNode()) {
                user = JsonNodeFactory.instance.objectNode();
            }
            if (!user.isObject()) {
                throw new ConfigException(file + ":1:1: the configuration must be a mapping of sections (node, agi, http, ...)");
            }
            checkKeys((ObjectNode) user, IvrConfig.class, "", file, text, problems);
            merge(tree, (ObjectNode) user);
        }
        // variables the file refers to (${IVR_DB_PASSWORD}) are values, not configuration keys
        Set<String> referenced = new HashSet<>();
        collectReferences(tree, referenced);
        // key → the environment variable that set it: its problems are blamed on the variable
        Map<String, String> fromEnv = new LinkedHashMap<>();
        applyEnvironment(tree, env, referenced, problems, fromEnv);
        substituteReferences(tree, "", env, problems);
        // values of the wrong type: each one said in plain words, and replaced by its default so
        // that the checks below still run on everything else (every problem in one pass)
        final String fileText = text;
        java.util.function.Function<String, String> where = key -> {
            for (Map.Entry<String, String> e : fromEnv.entrySet()) {
                if (key.equals(e.getKey()) || key.startsWith(e.getKey() + ".") || key.startsWith(e.getKey() + "[")) {
                    return "environment " + e.getValue() + "=" + Redaction.setting(e.getKey(), env.get(e.getValue()));
                }
            }
            return fileText == null ? source : locate(file, fileText, key);
        };
        checkTypes(tree, defaults(), IvrConfig.class, "", where, problems);
        IvrConfig config;
        try {
            config = BINDER.treeToValue(tree, IvrConfig.class);
        } catch (JsonMappingException e) {
            String path = jacksonPath(e);
            problems.add(where.apply(path) + ": " + path + ": " + e.getOriginalMessage());
            throw new ConfigException(problems);
        } catch (JsonProcessingException e) {
            problems.add(source + ": " + e.getOriginalMessage());
            throw new ConfigException(problems);
        }
        Problems p = new Problems();
        config.validate(p);
        for (String line : p.lines()) {
            String key = line.substring(0, line.indexOf(": "));
            problems.add(where.apply(key) + ": " + line);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    /**
     * Each value present in {@code tree} that cannot be read as its key's type: a problem in plain
     * words, and the value replaced by the default (or removed) so that binding can go on.
     */
    private static void checkTypes(ObjectNode tree, JsonNode defaults, Class<?> type, String path,
                                   java.util.function.Function<String, String> where, List<String> problems) {
        for (Map.Entry<String, RecordComponent> c : components(type).entrySet()) {
            JsonNode value = tree.get(c.getKey());
            if (value == null || value.isNull()) {
                continue;
            }
            String key = path.isEmpty() ? c.getKey() : path + "." + c.getKey();
            Class<?> ctype = c.getValue().getType();
            JsonNode def = defaults == null ? null : defaults.get(c.getKey());
            if (ctype.isRecord() && value.isObject()) {
                checkTypes((ObjectNode) value, def, ctype, key, where, problems);
                continue;
            }
            if (List.class.isAssignableFrom(ctype) && value.isArray()) {
                Class<?> element = listElement(c.getValue().getGenericType());
                if (element != null && element.isRecord()) {
                    for (int i = 0; i < value.size(); i++) {
                        if (value.get(i).isObject()) {
                            checkTypes((ObjectNode) value.get(i), null, element, key + "[" + i + "]", where, problems);
                        }
                    }
                    continue;
                }
            }
            try {
                BINDER.convertValue(value, BINDER.getTypeFactory().constructType(c.getValue().getGenericType()));
            } catch (IllegalArgumentException e) {
                problems.add(where.apply(key) + ": " + key + ": " + expected(ctype, value, e));
                if (def != null) {
                    tree.set(c.getKey(), def.deepCopy());
                } else {
                    tree.remove(c.getKey());
                }
            }
        }
    }

    /** What a value of this type looks like, for a value that is not one. */
    private static String expected(Class<?> type, JsonNode value, IllegalArgumentException e) {
        String got = value.isValueNode() ? "'" + value.asText() + "'" : value.isArray() ? "a list" : "a mapping";
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return got + " is not a whole number";
        }
        if (type == double.class || type == Double.class) {
            return got + " is not a number (e.g. 0.8)";
        }
        if (type == boolean.class || type == Boolean.class) {
            return got + " is not true or false";
        }
        if (type == Duration.class) {
            return got + " is not a duration; write e.g. 500ms, 10s, 2m, 1h";
        }
        if (type.isEnum()) {
            return got + " is not one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(o -> o.toString().toLowerCase(Locale.ROOT)).toList();
        }
        if (List.class.isAssignableFrom(type) && !value.isArray()) {
            return got + " is not a list (YAML: [a, b]; environment: a,b)";
        }
        if ((Map.class.isAssignableFrom(type) || type.isRecord()) && !value.isObject()) {
            return got + " is not a mapping of keys to values";
        }
        String m = e.getCause() instanceof JsonMappingException jm ? jm.getOriginalMessage() : e.getMessage();
        return got + ": " + (m == null ? "not a valid value" : m.lines().findFirst().orElse(m));
    }

    /** The bundled defaults as a tree (a fresh copy). */
    public static ObjectNode defaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("defaults.yaml")) {
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ keys

    private static void checkKeys(ObjectNode node, Class<?> type, String path, Path file, String text,
                                  List<String> problems) {
        Map<String, RecordComponent> known = components(type);
        Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            RecordComponent rc = known.get(e.getKey());
            if (rc == null) {
                problems.add(locate(file, text, key) + ": " + key + ": unknown key"
                        + dev.ivr.server.text.DidYouMean.suffix(e.getKey(), known.keySet()) + " (known keys here: "
                        + String.join(", ", known.keySet()) + ")");
                continue;
            }
            Class<?> ctype = rc.getType();
            if (ctype.isRecord() && e.getValue().isObject()) {
                checkKeys((ObjectNode) e.getValue(), ctype, key, file, text, problems);
            } else if (List.class.isAssignableFrom(ctype) && e.getValue().isArray()) {
                Class<?> element = listElement(rc.getGenericType());
                if (element != null && element.isRecord()) {
                    for (int i = 0; i < e.getValue().size(); i++) {
                        JsonNode item = e.getValue().get(i);
                        if (item.isObject()) {
                            checkKeys((ObjectNode) item, element, key + "[" + i + "]", file, text, problems);
                        }
                    }
                }
            }
        }
    }

    static Map<String, RecordComponent> components(Class<?> type) {
        Map<String, RecordComponent> out = new LinkedHashMap<>();
        for (RecordComponent rc : type.getRecordComponents()) {
            out.put(kebab(rc.getName()), rc);
        }
        return out;
    }

    static Class<?> listElement(Type generic) {
        if (generic instanceof ParameterizedType pt && pt.getActualTypeArguments()[0] instanceof Class<?> c) {
            return c;
        }
        return null;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------ merge / env

    private static void merge(ObjectNode base, ObjectNode over) {
        Iterator<Map.Entry<String, JsonNode>> it = over.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = base.get(e.getKey());
            if (existing != null && existing.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) e.getValue());
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }

    /** Every leaf key path of the configuration (a list counts as one leaf), e.g. "agi.idle-timeout". */
    public static List<String> leafKeys() {
        List<String> out = new ArrayList<>();
        collectLeaves(IvrConfig.class, "", out);
        return out;
    }

    private static void collectLeaves(Class<?> type, String path, List<String> out) {
        for (Map.Entry<String, RecordComponent> e : components(type).entrySet()) {
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (e.getValue().getType().isRecord()) {
                collectLeaves(e.getValue().getType(), key, out);
            } else {
                out.add(key);
            }
        }
    }

    /** The environment variable that overrides a key: agi.idle-timeout → IVR_AGI_IDLE_TIMEOUT. */
    public static String envName(String key) {
        return "IVR_" + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The names of the variables referenced as {@code ${NAME}} anywhere in the tree. */
    private static void collectReferences(JsonNode node, Set<String> names) {
        if (node.isTextual()) {
            Matcher m = REFERENCE.matcher(node.asText());
            while (m.find()) {
                names.add(m.group(1));
            }
        } else {
            node.forEach(child -> collectReferences(child, names));
        }
    }

    private static void applyEnvironment(ObjectNode tree, Map<String, String> env, Set<String> referenced,
                                         List<String> problems, Map<String, String> fromEnv) {
        Map<String, String> byEnv = new LinkedHashMap<>();
        for (String key : leafKeys()) {
            byEnv.put(envName(key), key);
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("IVR_") || NOT_CONFIG.stream().anyMatch(name::startsWith)) {
                continue;
            }
            String key = byEnv.get(name);
            if (key == null && referenced.contains(name)) {
                continue; // a variable the file refers to, such as ${IVR_DB_PASSWORD}
            }
            if (key == null) {
                problems.add("environment: " + name + " is not a configuration key"
                        + dev.ivr.server.text.DidYouMean.suffix(name, byEnv.keySet()) + " (see ivr-server config-reference)");
                continue;
            }
            fromEnv.put(key, name);
            String[] parts = key.split("\\.");
            ObjectNode parent = tree;
            for (int i = 0; i < parts.length - 1; i++) {
                parent = parent.withObject("/" + parts[i]);
            }
            String leaf = parts[parts.length - 1];
            JsonNode current = parent.get(leaf);
            if (current != null && current.isArray()) {
                ArrayNode arr = JsonNodeFactory.instance.arrayNode();
                for (String item : e.getValue().split(",")) {
                    if (!item.isBlank()) {
                        arr.add(item.trim());
                    }
                }
                parent.set(leaf, arr);
            } else if (current != null && current.isObject()) {
                // a map (e.g. speech.models): "en=/opt/vosk/en,de=/opt/vosk/de"
                ObjectNode map = JsonNodeFactory.instance.objectNode();
                for (String item : e.getValue().split(",")) {
                    if (item.isBlank()) {
                        continue;
                    }
                    int eq = item.indexOf('=');
                    if (eq <= 0) {
                        problems.add("environment: " + name + ": write entries as key=value, separated by commas");
                        break;
                    }
                    map.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
                }
                parent.set(leaf, map);
            } else {
                parent.set(leaf, TextNode.valueOf(e.getValue()));
            }
        }
    }

    private static void substituteReferences(JsonNode node, String path, Map<String, String> env, List<String> problems) {
        if (node instanceof ObjectNode obj) {
            Iterator<Map.Entry<String, JsonNode>> it = obj.properties().iterator();
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            it.forEachRemaining(entries::add);
            for (Map.Entry<String, JsonNode> e : entries) {
                String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (e.getValue().isTextual()) {
                    obj.set(e.getKey(), TextNode.valueOf(resolve(e.getValue().asText(), key, env, problems)));
                } else {
                    substituteReferences(e.getValue(), key, env, problems);
                }
            }
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                String key = path + "[" + i + "]";
                if (arr.get(i).isTextual()) {
                    arr.set(i, TextNode.valueOf(resolve(arr.get(i).asText(), key, env, problems)));
                } else {
                    substituteReferences(arr.get(i), key, env, problems);
                }
            }
        }
    }

    private static String resolve(String value, String key, Map<String, String> env, List<String> problems) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            if (v == null) {
                v = m.group(2);
            }
            if (v == null) {
                problems.add(key + ": environment variable " + m.group(1) + " is not set");
                v = "";
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    // ---------------------------------------------------------------- errors

    private static String jacksonPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** file:line:column of {@code key} in the YAML text, or file alone when the key is not in it. */
    static String locate(Path file, String text, String key) {
        try (JsonParser p = YAML.getFactory().createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME || t.isScalarValue() && p.getParsingContext().inArray()) {
                    if (path(p.getParsingContext()).equals(key)) {
                        JsonLocation loc = p.currentTokenLocation();
                        return file + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
                    }
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return file.toString();
    }

    private static String path(JsonStreamContext ctx) {
        List<String> parts = new ArrayList<>();
        JsonStreamContext c = ctx;
        while (c != null && !c.inRoot()) {
            if (c.inObject()) {
                parts.add(0, "." + c.getCurrentName());
            } else if (c.inArray()) {
                parts.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
            c = c.getParent();
        }
        String s = String.join("", parts);
        return s.startsWith(".") ? s.substring(1) : s;
    }
}
