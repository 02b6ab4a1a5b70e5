package dev.ivr.server.flow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.flow.integration.IntegrationRequest;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.flow.tools.CallerSteps;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.flow.tools.ScriptedIntegrations;
import dev.ivr.server.flow.tools.Simulation;
import dev.ivr.server.flow.tools.Transcript;
import dev.ivr.server.speech.SpeechModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code http} node ({@link HttpStep}) on the simulated channel: the request it builds from
 * the call (caller-supplied values encoded), the answer's fields in variables a later node reads,
 * and the edge each kind of failure takes.
 */
class HttpStepTest {
    @TempDir
    static Path dir;
    static FlowSet flows;

    @BeforeAll
    static void load() throws Exception {
        Files.writeString(dir.resolve("orders.yaml"), """
                description: an order-status lookup
                start: order
                languages: [en]
                nodes:
                  order:
                    type: collect
                    into: order
                    max-length: 8
                    prompt: enter-account
                    fallback: bye
                    next: lookup
                  lookup:
                    type: http
                    endpoint: orders
                    method: POST
                    path: /orders/${inputs.order}/status
                    query: {lang: "${call.language}", who: "${call.ani}"}
                    body:
                      order: ${inputs.order}
                      caller: ${call.ani}
                      tags: [ivr, "${call.dnis}"]
                      urgent: true
                    vars:
                      order_state: response.body.state
                      eta: response.body.eta
                    timeout: 1s
                    next: tell
                    on-error: sorry
                    on-timeout: slow
                  tell:
                    type: say
                    text: Your order is ${order_state}, arriving ${eta}
                    next: bye
                  sorry:
                    type: say
                    text: We cannot look up orders now
                    next: bye
                  slow:
                    type: say
                    text: The order system is slow today
                    next: bye
                  bye:
                    type: hangup
                """);
        FlowLoader.Loaded loaded = FlowLoader.load(new FlowLoader.Sources(dir, Path.of("../prompts"),
                Path.of("../config/calendars.yaml"), SpeechModels.NONE, null, Set.of("orders")));
        assertThat(loaded.hasErrors()).as("%s", loaded.allProblems()).isFalse();
        flows = loaded.flowSet();
    }

    static Transcript run(String ani, ScriptedIntegrations http) {
        return Simulation.run(flows, new Simulation.Call("orders", ani, "1000", "en", List.of(),
                Instant.parse("2025-06-02T08:00:00Z"), CallerSteps.parse("1234#"), null,
                new ScriptedCrm(List.of(), false), CallRouter.NONE, SpeechModels.NONE, LanguageByDnis.NONE, http), x -> { });
    }

    @Test
    void theAnswersFieldsReachALaterNode() {
        Transcript t = run("+15550000000", new ScriptedIntegrations(Map.of("orders",
                Map.of("status", 200, "body", Map.of("state", "shipped", "eta", "Friday")))));
        assertThat(t.heard()).contains("Your order is shipped, arriving Friday");
        assertThat(t.summary().variables()).containsEntry("order_state", "shipped").containsEntry("eta", "Friday");
        assertThat(t.summary().path()).containsSubsequence("lookup", "tell");
    }

    @Test
    void callerSuppliedValuesAreEncodedInThePathAndWrittenAsJsonStringsInTheBody() throws Exception {
        ScriptedIntegrations http = new ScriptedIntegrations(Map.of("orders", Map.of("body", Map.of("state", "x", "eta", "y"))));
        String ani = "\"1/../x?a=b&c\"}";
        run(ani, http);
        IntegrationRequest r = http.requests().get(0);
        assertThat(r.endpoint()).isEqualTo("orders");
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/orders/1234/status");
        assertThat(r.query()).containsEntry("lang", "en").containsEntry("who", ani); // encoded by the client
        assertThat(r.timeout()).hasSeconds(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> body = new ObjectMapper().readValue(r.body(), Map.class);
        assertThat(body).containsEntry("order", "1234").containsEntry("caller", ani).containsEntry("urgent", true)
                .containsEntry("tags", List.of("ivr", "1000"));
        assertThat(r.callId()).startsWith("sim-");
    }

    @Test
    void aValueInThePathCannotAddASegmentOrAQuery() {
        assertThat(HttpStep.pathSegment("12/../admin?x=1 #")).isEqualTo("12%2F..%2Fadmin%3Fx%3D1%20%23");
    }

    @Test
    void aTimeOutTakesOnTimeout() {
        Transcript t = run("+15550000000", new ScriptedIntegrations(Map.of("orders", "timeout")));
        assertThat(t.heard()).contains("The order system is slow today");
        assertThat(String.join("\n", t.lines())).contains("http orders: timed out");
    }

    @Test
    void anOpenBreakerTakesOnError() {
        Transcript t = run("+15550000000", new ScriptedIntegrations(Map.of("orders", "breaker-open")));
        assertThat(t.heard()).contains("We cannot look up orders now");
        assertThat(String.join("\n", t.lines())).contains("circuit breaker open");
        assertThat(t.summary().variables().get("order_state")).isEqualTo("null");
    }

    @Test
    void anAnswerThatIsNotJsonTakesOnErrorAndSetsNothing() {
        Transcript t = run("+15550000000", new ScriptedIntegrations(Map.of("orders",
                Map.of("status", 200, "body", "<html>gateway</html>"))));
        assertThat(t.heard()).contains("We cannot look up orders now");
        assertThat(String.join("\n", t.lines())).contains("the answer is not JSON");
        assertThat(t.summary().variables().get("order_state")).isEqualTo("null");
    }

    @Test
    void anErrorStatusOrAMissingFieldTakesOnError() {
        assertThat(run("+1", new ScriptedIntegrations(Map.of("orders", "status:503"))).heard())
                .contains("We cannot look up orders now");
        Transcript t = run("+1", new ScriptedIntegrations(Map.of("orders", Map.of("body", Map.of("state", "shipped")))));
        assertThat(t.heard()).contains("We cannot look up orders now");
        assertThat(t.summary().variables().get("order_state")).as("nothing set unless every var is").isEqualTo("null");
    }

    @Test
    void anEndpointWithNothingScriptedOrConfiguredTakesOnError() {
        assertThat(run("+1", new ScriptedIntegrations(Map.of())).heard()).contains("We cannot look up orders now");
    }
}
