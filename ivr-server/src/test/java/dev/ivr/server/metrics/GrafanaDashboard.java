package dev.ivr.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped Grafana dashboard read for tests: its PromQL queries, the metrics they name (ours:
 * {@code ivr_*}, and the JVM's and process's), and the labels each query selects or groups by.
 */
final class GrafanaDashboard {
    static final Pattern METRIC = Pattern.compile("\\b((?:ivr|jvm|process)_[a-z0-9_]+)\\b(\\{([^}]*)})?");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring)\\s*\\(([^)]*)\\)");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-z0-9_]+)\\s*(?:\\{[^}]*})?\\s*,\\s*([a-z_]+)\\s*\\)");

    final JsonNode json;
    final List<String> queries = new ArrayList<>();

    private GrafanaDashboard(JsonNode json) {
        this.json = json;
        collectPanels(json.path("panels"));
        json.path("templating").path("list").forEach(v -> {
            JsonNode q = v.path("query");
            String text = q.isObject() ? q.path("query").asText("") : q.asText("");
            if ("query".equals(v.path("type").asText()) && !text.isEmpty()) {
                queries.add(text);
            }
        });
    }

    static GrafanaDashboard load(Path file) throws IOException {
        return new GrafanaDashboard(new ObjectMapper().readTree(file.toFile()));
    }

    private void collectPanels(JsonNode panels) {
        for (JsonNode p : panels) {
            p.path("targets").forEach(t -> {
                if (t.has("expr")) {
                    queries.add(t.get("expr").asText());
                }
            });
            collectPanels(p.path("panels")); // collapsed rows
        }
    }

    /** Metric → the label names its queries select, group or take values by. */
    Map<String, Set<String>> labelsByMetric() {
        Map<String, Set<String>> out = new TreeMap<>();
        for (String q : queries) {
            Matcher lv = LABEL_VALUES.matcher(q);
            if (lv.find()) {
                out.computeIfAbsent(lv.group(1), k -> new TreeSet<>()).add(lv.group(2));
                continue;
            }
            Set<String> grouped = new TreeSet<>();
            Matcher g = GROUPING.matcher(q);
            while (g.find()) {
                for (String l : g.group(1).split(",")) {
                    if (!l.isBlank()) {
                        grouped.add(l.trim());
                    }
                }
            }
            Matcher m = METRIC.matcher(q);
            while (m.find()) {
                Set<String> labels = out.computeIfAbsent(m.group(1), k -> new TreeSet<>());
                labels.addAll(grouped);
                if (m.group(3) != null) {
                    Matcher s = MATCHER.matcher(m.group(3));
                    while (s.find()) {
                        labels.add(s.group(1));
                    }
                }
            }
        }
        return out;
    }
}
