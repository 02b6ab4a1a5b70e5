package dev.ivr.server.metrics;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.server.IvrServer;
import dev.ivr.server.testing.TestConfigs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every metric the Grafana dashboard ({@code config/grafana/ivr.json}) queries exists in what a
 * started server exports on {@code /metrics} after a call through the shipped flow; and every
 * label a query groups or filters by is one the metric has (bounded labels only: no call ids).
 */
@Tag("integration")
class GrafanaDashboardIT {

    @Test
    void everyMetricTheDashboardQueriesIsExportedByAStartedServer(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("ivr.yaml"), """
                integrations:
                  endpoints:
                    - name: orders
                      url: http://127.0.0.1:9/api
                """);
        try (IvrServer server = IvrServer.start(TestConfigs.server(dir.resolve("data"), yaml, Map.of()))) {
            CallResult r = new FakePbx("127.0.0.1", server.agiPort()).call("customer-service")
                    .callerId("+3612345678").caller(Caller.script().silence(6)).run(Duration.ofSeconds(30));
            assertThat(r.error()).isNull();
            Map<String, Set<String>> queried = GrafanaDashboard.load(Path.of("../config/grafana/ivr.json")).labelsByMetric();
            assertThat(queried).isNotEmpty();
            // some series appear with their first event, which the call's end hands to other threads
            // (the CRM writer, the journal): wait for them, then say which are missing
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> PrometheusText.labelsByMetric(server.metrics().scrape()).keySet()
                                .containsAll(queried.keySet()));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // reported by the assertion below
            }
            Map<String, Set<String>> exported = PrometheusText.labelsByMetric(server.metrics().scrape());
            Set<String> missing = new TreeSet<>(queried.keySet());
            missing.removeAll(exported.keySet());
            assertThat(missing).as("metrics the dashboard queries but the server does not export").isEmpty();
            queried.forEach((metric, labels) -> assertThat(exported.get(metric)).as("labels of " + metric)
                    .containsAll(labels));
        }
    }
}
