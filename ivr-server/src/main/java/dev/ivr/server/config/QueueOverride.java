package dev.ivr.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Settings of one queue changed at run time, over its configured {@link QueueConfig}: a JSON object with the
 * keys of {@code routing.queues[]} as the configuration writes them ({@code "wrap-up": "30s"},
 * {@code "priority": 5}, {@code "wrap-up-codes": ["resolved"]}...), every key but {@code id}. A key present
 * replaces the configured value; a key absent keeps it. Immutable.
 */
public final class QueueOverride {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, RecordComponent> KEYS = ConfigLoader.components(QueueConfig.class);
    /** No change: the configured queue. */
    public static final QueueOverride NONE = new QueueOverride(JSON.createObjectNode());

    private final ObjectNode settings;

    private QueueOverride(ObjectNode settings) {
        this.settings = settings;
    }

    /**
     * Reads an override from JSON; null values are dropped (the configured value applies).
     *
     * @throws IllegalArgumentException not an object, an unknown key, {@code id}, or a value of the wrong type
     */
    public static QueueOverride parse(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        return of(node);
    }

    /** As {@link #parse}, from a JSON tree. */
    public static QueueOverride of(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("queue settings are a JSON object such as {\"wrap-up\": \"30s\"}");
        }
        ObjectNode copy = JSON.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if ("id".equals(key) || !KEYS.containsKey(key)) {
                throw new IllegalArgumentException("'" + printable(key) + "' is not a queue setting that can be changed; "
                        + "known: " + String.join(", ", changeable()));
            }
            if (!e.getValue().isNull()) {
                copy.set(key, e.getValue().deepCopy());
            }
        }
        QueueOverride o = new QueueOverride(copy);
        for (String key : o.keys()) {
            o.value(key); // type check now, with the key in the message
        }
        return o;
    }

    /** The keys that can be changed, in configuration order. */
    public static List<String> changeable() {
        return KEYS.keySet().stream().filter(k -> !"id".equals(k)).toList();
    }

    /** The keys this override sets. */
    public Set<String> keys() {
        Set<String> out = new LinkedHashSet<>();
        settings.fieldNames().forEachRemaining(out::add);
        return out;
    }

    public boolean isEmpty() {
        return settings.isEmpty();
    }

    /** This override as compact JSON (what is stored and shared in the cluster). */
    public String json() {
        return settings.toString();
    }

    /** This override as a JSON tree (a copy). */
    public ObjectNode tree() {
        return settings.deepCopy();
    }

    /** The configured queue with this override's values in place of its own. */
    public QueueConfig applyTo(QueueConfig base) {
        if (isEmpty()) {
            return base;
        }
        RecordComponent[] components = QueueConfig.class.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            types[i] = rc.getType();
            String key = ConfigLoader.kebab(rc.getName());
            try {
                args[i] = settings.has(key) ? value(key) : rc.getAccessor().invoke(base);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            Constructor<QueueConfig> c = QueueConfig.class.getDeclaredConstructor(types);
            return c.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build queue " + base.id() + " with " + json(), e);
        }
    }

    /**
     * What is wrong with {@code base} changed by this override, as the configuration check says it
     * ({@code wrap-up: must not be negative}); empty when nothing is.
     *
     * @param queueIds every configured queue (relaxation steps may name them)
     */
    public List<String> problems(QueueConfig base, Set<String> queueIds) {
        Problems p = new Problems();
        applyTo(base).validate(p, queueIds);
        return p.lines();
    }

    /** A queue's settings as JSON with the configuration's keys and forms ({@code "wrap-up": "15s"}); unset ones are null. */
    public static ObjectNode describe(QueueConfig q) {
        ObjectNode out = JSON.createObjectNode();
        for (RecordComponent rc : QueueConfig.class.getRecordComponents()) {
            Object v;
            try {
                v = rc.getAccessor().invoke(q);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(e);
            }
            out.set(ConfigLoader.kebab(rc.getName()), JSON.valueToTree(plain(v)));
        }
        return out;
    }

    private static Object plain(Object v) {
        if (v instanceof java.time.Duration d) {
            return DurationText.format(d);
        }
        if (v instanceof List<?> list) {
            return list.stream().map(QueueOverride::plain).toList();
        }
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> out = new java.util.LinkedHashMap<>();
            map.forEach((k, x) -> out.put(k, plain(x)));
            return out;
        }
        if (v instanceof Record r) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            for (RecordComponent rc : r.getClass().getRecordComponents()) {
                try {
                    out.put(ConfigLoader.kebab(rc.getName()), plain(rc.getAccessor().invoke(r)));
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        }
        return v;
    }

    private Object value(String key) {
        RecordComponent rc = KEYS.get(key);
        JavaType type = ConfigLoader.BINDER.getTypeFactory().constructType(rc.getGenericType());
        try {
            return ConfigLoader.BINDER.convertValue(settings.get(key), type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + expected(rc.getType(), settings.get(key)));
        }
    }

    private static String expected(Class<?> type, JsonNode given) {
        String what;
        if (type == java.time.Duration.class) {
            what = "a duration such as 30s or 2m";
        } else if (type == Integer.class || type == Double.class) {
            what = "a number";
        } else if (type == Boolean.class) {
            what = "true or false";
        } else if (List.class.isAssignableFrom(type)) {
            what = "a list";
        } else if (Map.class.isAssignableFrom(type)) {
            what = "an object";
        } else {
            what = "a " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
        }
        String shown = given.toString();
        return "must be " + what + " (got " + printable(shown.length() > 60 ? shown.substring(0, 60) + "..." : shown) + ")";
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7E]", "?");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueueOverride other && settings.equals(other.settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    @Override
    public String toString() {
        return json();
    }
}
