package dev.ivr.server.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.yaml.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What validate says about {@code http} nodes: the endpoint must be configured; the fields follow the schema. */
class HttpNodeValidationTest {
    @TempDir
    Path dir;

    private List<String> problems(String node, Set<String> endpoints) throws Exception {
        Files.writeString(dir.resolve("f.yaml"), """
                start: ask
                languages: [en]
                nodes:
                  ask:
                %s
                  done:
                    type: hangup
                """.formatted(node.indent(4).stripTrailing()));
        return FlowLoader.load(new FlowLoader.Sources(dir, FlowValidationTest.PROMPTS, FlowValidationTest.CALENDARS,
                null, null, endpoints)).allProblems().stream().filter(Problem::isError).map(Problem::toString).toList();
    }

    private static final String NODE = """
            type: http
            endpoint: %s
            path: /orders/${call.ani}
            vars: {state: response.body.state}
            next: done
            on-error: done""";

    @Test
    void anEndpointTheConfigurationHasIsFine() throws Exception {
        assertThat(problems(NODE.formatted("orders"), Set.of("orders"))).isEmpty();
    }

    @Test
    void anEndpointTheConfigurationLacksIsAnErrorAtItsLine() throws Exception {
        assertThat(problems(NODE.formatted("ordres"), Set.of("orders", "tickets"))).singleElement().asString()
                .contains("f.yaml:6:").contains("no endpoint named 'ordres' in integrations.endpoints")
                .contains("did you mean 'orders'").contains("configured: orders, tickets");
        assertThat(problems(NODE.formatted("orders"), Set.of())).singleElement().asString().contains("(none configured)");
    }

    @Test
    void whereNoConfigurationIsKnownAnyNameIsAccepted() throws Exception {
        assertThat(problems(NODE.formatted("anything"), null)).isEmpty();
    }

    @Test
    void theSchemaHoldsItsFields() throws Exception {
        assertThat(problems("""
                type: http
                endpoint: orders
                next: done""", Set.of("orders"))).anyMatch(p -> p.contains("on-error"));
        assertThat(problems("""
                type: http
                endpoint: orders
                method: DELETE
                next: done
                on-error: done""", Set.of("orders"))).anyMatch(p -> p.contains("unknown value 'DELETE'"));
        assertThat(problems("""
                type: http
                endpoint: orders
                url: https://evil.example.com
                next: done
                on-error: done""", Set.of("orders"))).anyMatch(p -> p.contains("url"));
        assertThat(problems("""
                type: http
                endpoint: orders
                path: orders
                next: done
                on-error: done""", Set.of("orders"))).anyMatch(p -> p.contains("path"));
    }

    @Test
    void aBodyNeedsPostAndVarsAreCheckedExpressions() throws Exception {
        assertThat(problems("""
                type: http
                endpoint: orders
                body: {a: b}
                next: done
                on-error: done""", Set.of("orders"))).anyMatch(p -> p.contains("method: POST only"));
        assertThat(problems("""
                type: http
                endpoint: orders
                vars: {state: respnse.body}
                next: done
                on-error: done""", Set.of("orders"))).anyMatch(p -> p.contains("respnse"));
        assertThat(problems("""
                type: http
                endpoint: orders
                next: done
                on-error: nowhere""", Set.of("orders"))).anyMatch(p -> p.contains("nowhere"));
    }
}
