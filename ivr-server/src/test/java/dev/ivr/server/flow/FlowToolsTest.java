package dev.ivr.server.flow;

import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.flow.tools.CallerSteps;
import dev.ivr.server.flow.tools.FlowGraph;
import dev.ivr.server.flow.tools.FlowTests;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.flow.tools.Simulation;
import dev.ivr.server.flow.tools.Transcript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** simulate, graph and the flow test runner on the shipped flows. */
class FlowToolsTest {
    static final FlowLoader.Loaded LOADED = FlowLoader.load(new FlowLoader.Sources(Path.of("../flows"),
            Path.of("../prompts"), Path.of("../config/calendars.yaml")));
    static final FlowSet SET = LOADED.flowSet();

    static Transcript simulate(String flow, String ani, String script, String time) {
        return Simulation.run(SET, new Simulation.Call(flow, ani, "1000", "en", List.of(), Instant.parse(time),
                CallerSteps.parse(script), null, new ScriptedCrm(List.of(Map.of("id", "C-1", "first-name", "Anna",
                "last-name", "Kovacs", "phones", List.of("+3612345678"))), false), null), x -> { });
    }

    @Test
    void scriptedSimulationPrintsADeterministicTranscript() {
        Transcript t = simulate("customer-service", "+3612345678", "barge:9,0,dial:NOANSWER", "2025-06-02T08:00:00Z");
        assertThat(t.lines()).containsExactly(
                "call from +3612345678 to 1000 (en) at 2025-06-02T08:00:00Z, flow customer-service",
                "> check-hours (hours, customer-service)",
                "  calendar support: OPEN",
                "> identify-caller (identify, customer-service)",
                "  identify: IDENTIFIED (customer C-1)",
                "> greet-known (say, customer-service)",
                "  IVR: Hello Anna, welcome back to Example Corp.",
                "  caller presses 9 (barge-in)",
                "> main-menu (menu, customer-service)",
                "  invalid key 9",
                "  IVR: Sorry, that is not a valid choice.",
                "  IVR: For billing and payments, press 1 or say billing. For technical support, press 2 or say support. "
                        + "To buy a new plan, press 3 or say sales. To speak to an operator, press 0 or say operator.",
                "  caller presses 0",
                "  caller chose 0",
                "> operator (transfer, customer-service)",
                "  transfer to 100@from-ivr",
                "  PBX: Dial(Local/100@from-ivr,30) → NOANSWER",
                "  dial status NOANSWER",
                "> operator-unavailable (say, customer-service)",
                "  IVR: Sorry, nobody can take your call right now.",
                "> leave-message (voicemail, customer-service)",
                "  voicemail 2000@support",
                "  PBX: VoiceMail(2000@support,u)",
                "= outcome VOICEMAIL",
                "= path check-hours > identify-caller > greet-known > main-menu > operator > operator-unavailable > leave-message",
                "= variables {department=}",
                "= inputs {menu_choice=0}",
                "= customer C-1");
        // the same script gives the same transcript
        assertThat(simulate("customer-service", "+3612345678", "barge:9,0,dial:NOANSWER", "2025-06-02T08:00:00Z").lines())
                .isEqualTo(t.lines());
    }

    @Test
    void graphDrawsEveryShippedFlowAsSvgMermaidAndDot(@TempDir Path dir) throws Exception {
        for (var f : SET.flows().values()) {
            String svg = FlowGraph.svg(f);
            assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>\n");
            for (String node : f.nodes().keySet()) {
                assertThat(svg).contains(">" + node + "</text>");
            }
            // issue 18 (9): the legend fits (small flows cut it off), and labels have no double space
            var legend = java.util.regex.Pattern.compile("<text x=\"20\" y=\"[0-9.]+\" font-size=\"11\" fill=\"#666\">([^<]*)</text>")
                    .matcher(svg);
            assertThat(legend.find()).isTrue();
            var width = java.util.regex.Pattern.compile("^<svg [^>]*width=\"([0-9.]+)\"").matcher(svg);
            assertThat(width.find()).isTrue();
            assertThat(Double.parseDouble(width.group(1))).as(f.name() + ": room for the legend")
                    .isGreaterThanOrEqualTo(20 + legend.group(1).length() * 6.0);
            assertThat(svg).as(f.name()).doesNotContainPattern(">[^<]*\\S  \\S[^<]*</text>");
            Files.writeString(dir.resolve(f.name() + ".svg"), svg);
            javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve(f.name() + ".svg").toFile());
            assertThat(FlowGraph.mermaid(f)).startsWith("flowchart TD").contains(" --> ");
            assertThat(FlowGraph.dot(f)).startsWith("digraph \"" + f.name() + "\"");
        }
        String cs = FlowGraph.svg(SET.flow("customer-service").orElseThrow());
        assertThat(FlowGraph.mermaid(SET.flow("customer-service").orElseThrow())).contains("|\"key 1 or “billing”\"|");
        assertThat(cs).contains(">key 0 or “operator”</text>", ">retries used up</text>", ">open</text>", ">holiday</text>",
                ">key 1</text>"); // the language menu: keys only
    }

    @Test
    void theShippedFlowTestsPassWithFullNodeCoverageOfTheExamples() throws Exception {
        FlowTests.Report r = FlowTests.run(SET, FlowTests.files(Path.of("../flows")), x -> { });
        assertThat(r.errors()).isEmpty();
        assertThat(r.cases()).hasSizeGreaterThanOrEqualTo(15).allSatisfy(c ->
                assertThat(c.failures()).as(c.name()).isEmpty());
        assertThat(r.coverage()).filteredOn(c -> !c.flow().equals("verify-caller"))
                .allSatisfy(c -> assertThat(c.visitedNodes()).containsExactlyInAnyOrderElementsOf(c.nodes()));
    }

    @Test
    void aFailingFlowTestIsReportedWithWhatDiffered(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("wrong.test.yaml");
        Files.writeString(t, """
                flow: after-hours
                cases:
                  - name: expects the wrong path
                    keys: ["1"]
                    expect:
                      path: [closed, goodbye]
                      outcome: ROUTED
                """);
        FlowTests.Report r = FlowTests.run(SET, List.of(t), x -> { });
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.cases().get(0).failures()).containsExactly(
                "path: expected [closed, goodbye]\n          but was  [closed, after-hours-menu, leave-message]",
                "outcome: expected ROUTED but was VOICEMAIL");
    }

    /** Issue 18 (15): a customer written with CSV's first_name got an empty name, silently. */
    @Test
    void aCustomerKeyInAnotherFormatsSpellingIsSaid(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("names.test.yaml");
        Files.writeString(t, """
                flow: after-hours
                customers:
                  - id: C-1
                    first_name: Anna
                cases:
                  - name: a customer
                    keys: ["1"]
                """);
        FlowTests.Report r = FlowTests.run(SET, List.of(t), x -> { });
        assertThat(r.cases().get(0).failures()).containsExactly("customers[0]: unknown key 'first_name'; did you mean"
                + " 'first-name'? (YAML files write keys in kebab-case: id, first-name, last-name, language, tier, phones,"
                + " accounts, attributes)");
    }
}
