package dev.ivr.server.flow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint writes plain values with the generator itself ({@link CallState#value}): the JSON is what Jackson's
 * mapper writes for the same value, byte for byte, for every kind of value a call's state may hold.
 */
class CheckpointValuesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper(dev.ivr.server.json.PooledJson.factory());

    private static String straight(Object v) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            CallState.value(g, v);
        }
        return out.toString();
    }

    @Test
    void everyKindOfValueIsWrittenAsTheMapperWritesIt() throws IOException {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("text", "Kovács \"Anna\" \\ \n\t\u0001 \u20ac 😀 </script>");
        vars.put("empty", "");
        vars.put("none", null);
        vars.put("yes", true);
        vars.put("no", Boolean.FALSE);
        vars.put("int", Integer.MIN_VALUE);
        vars.put("long", Long.MAX_VALUE);
        vars.put("double", 2.5d);
        vars.put("nan", Double.NaN);
        vars.put("decimal", new BigDecimal("12.3400"));
        vars.put("short", (short) 7);
        vars.put("at", Instant.parse("2026-12-04T22:00:00Z").toEpochMilli());
        vars.put("list", Arrays.asList("a", null, 3, 4L, List.of(), Map.of()));
        vars.put("set", new LinkedHashSet<>(List.of("x", "y")));
        vars.put("array", new String[] {"p", "q"});
        Map<Object, Object> otherKeys = new TreeMap<>();
        otherKeys.put(2, "two");
        otherKeys.put(1, "one");
        vars.put("intKeys", otherKeys);
        Map<String, Object> nested = new HashMap<>();
        nested.put("deeper", new ArrayList<>(List.of(Map.of("k", "v"), "s")));
        vars.put("nested", nested);
        vars.put("immutable", Map.of("only", 1));
        for (Object v : vars.values()) {
            assertThat(straight(v)).as(String.valueOf(v)).isEqualTo(MAPPER.writeValueAsString(v));
        }
        assertThat(straight(vars)).isEqualTo(MAPPER.writeValueAsString(vars));
        assertThat(straight(null)).isEqualTo("null");
    }

    @Test
    void aMapWithANullKeyGoesThroughTheMapperAsBefore() throws IOException {
        Map<String, Object> m = new HashMap<>();
        m.put(null, "x");
        String mapper;
        try {
            mapper = MAPPER.writeValueAsString(m);
        } catch (IOException e) {
            mapper = e.getClass().getName();
        }
        String mine;
        try {
            mine = straight(m);
        } catch (IOException e) {
            mine = e.getClass().getName();
        }
        assertThat(mine).isEqualTo(mapper);
    }
}
