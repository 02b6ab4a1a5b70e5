package dev.ivr.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped Grafana dashboard is importable and bounded: valid JSON with a title and uid,
 * every panel on the datasource variable with at least one query, unique panel ids, and no
 * query selecting or grouping by a label that grows with calls, callers or agents. (That every
 * metric it names exists: {@code GrafanaDashboardIT}, against a started server.)
 */
class GrafanaDashboardTest {
    static final Path FILE = Path.of("../config/grafana/ivr.json");
    /** Labels whose values are unbounded; no metric of ours has them, and no query may ask for them. */
    static final Set<String> UNBOUNDED = Set.of("call", "call_id", "unique_id", "uniqueid", "ani", "caller", "agent",
            "agent_id", "customer", "account", "path", "url");

    @Test
    void theDashboardIsImportableAndEveryPanelQueriesPrometheus() throws Exception {
        GrafanaDashboard d = GrafanaDashboard.load(FILE);
        assertThat(d.json.path("title").asText()).isNotBlank();
        assertThat(d.json.path("uid").asText()).isEqualTo("ivr-overview");
        Set<Integer> ids = new HashSet<>();
        int panels = 0;
        for (JsonNode p : d.json.path("panels")) {
            assertThat(ids.add(p.path("id").asInt())).as("panel id %s unique", p.path("id")).isTrue();
            if ("row".equals(p.path("type").asText())) {
                continue;
            }
            panels++;
            assertThat(p.path("datasource").path("uid").asText()).as(p.path("title").asText()).isEqualTo("${datasource}");
            assertThat(p.path("targets")).as(p.path("title").asText()).isNotEmpty();
            p.path("targets").forEach(t -> assertThat(t.path("expr").asText()).containsPattern("\\b(ivr|jvm)_"));
        }
        assertThat(panels).isGreaterThanOrEqualTo(20);
    }

    @Test
    void queriesNameOurMetricsWithBoundedLabelsOnly() throws Exception {
        var byMetric = GrafanaDashboard.load(FILE).labelsByMetric();
        assertThat(byMetric.keySet()).contains("ivr_queue_waiting", "ivr_agents", "ivr_kpi_service_level",
                "ivr_calls_total", "ivr_prompt_requests_total", "ivr_crm_request_seconds_count",
                "ivr_integration_requests_total");
        byMetric.forEach((metric, labels) -> assertThat(labels).as(metric).doesNotContainAnyElementsOf(UNBOUNDED));
    }
}
