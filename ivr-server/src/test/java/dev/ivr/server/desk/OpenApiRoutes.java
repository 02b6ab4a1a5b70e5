package dev.ivr.server.desk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The operations an OpenAPI document describes, as "METHOD /path/{param}", and by tag. */
record OpenApiRoutes(String version, Set<String> operations, Map<String, Set<String>> byTag) {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    static OpenApiRoutes parse(String yaml) {
        try {
            JsonNode root = new YAMLMapper().readTree(yaml);
            Set<String> ops = new TreeSet<>();
            Map<String, Set<String>> tags = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").properties().iterator(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> p = paths.next();
                for (Iterator<Map.Entry<String, JsonNode>> m = p.getValue().properties().iterator(); m.hasNext(); ) {
                    Map.Entry<String, JsonNode> op = m.next();
                    if (!METHODS.contains(op.getKey())) {
                        continue;
                    }
                    String id = op.getKey().toUpperCase() + " " + p.getKey();
                    ops.add(id);
                    for (JsonNode tag : op.getValue().path("tags")) {
                        tags.computeIfAbsent(tag.asText(), k -> new TreeSet<>()).add(id);
                    }
                }
            }
            return new OpenApiRoutes(root.path("openapi").asText(), ops, tags);
        } catch (Exception e) {
            throw new IllegalArgumentException("not an OpenAPI YAML document: " + e.getMessage(), e);
        }
    }
}
