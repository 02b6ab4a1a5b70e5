package dev.ivr.server.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.tools.FlowTests;
import dev.ivr.server.flow.yaml.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code remind} node: what validate says about its fields (file:line:col), and its runs in
 * the flow-test DSL on the simulator's reminders store (booked, each on-error cause).
 */
class RemindNodeTest {
    @TempDir
    Path dir;

    private static final String FLOW = """
            start: who
            languages: [en]
            variables: {when: ""}
            nodes:
              who:
                type: identify
                on-identified: book
                next: book
              book:
            %s
              booked:
                type: say
                text: We will call you
                next: bye
              sorry:
                type: say
                text: We cannot book that
                next: bye
              bye:
                type: hangup
            """;

    private FlowLoader.Loaded load(String node) throws Exception {
        Files.writeString(dir.resolve("f.yaml"), FLOW.formatted(node.indent(4).stripTrailing()));
        return FlowLoader.load(new FlowLoader.Sources(dir, FlowValidationTest.PROMPTS, FlowValidationTest.CALENDARS,
                null, null, null));
    }

    private List<String> problems(String node) throws Exception {
        return load(node).allProblems().stream().filter(Problem::isError).map(Problem::toString).toList();
    }

    /** As the server and validate load it: against the configured campaigns ({@code outbound.campaigns}). */
    private List<String> problems(String node, java.util.Set<String> campaigns) throws Exception {
        Files.writeString(dir.resolve("f.yaml"), FLOW.formatted(node.indent(4).stripTrailing()));
        return FlowLoader.load(new FlowLoader.Sources(dir, FlowValidationTest.PROMPTS, FlowValidationTest.CALENDARS,
                null, null, null, campaigns)).allProblems().stream().filter(Problem::isError).map(Problem::toString).toList();
    }

    private static final String REMIND = "type: remind\ncampaign: %s\nin: 1d\nnext: booked\non-error: sorry";

    @Test
    void aConfiguredCampaignIsFine() throws Exception {
        assertThat(problems(REMIND.formatted("payment-reminder"), java.util.Set.of("payment-reminder", "renewal"))).isEmpty();
    }

    @Test
    void aCampaignTheConfigurationLacksIsAnErrorAtItsLine() throws Exception {
        assertThat(problems(REMIND.formatted("payment-remider"), java.util.Set.of("payment-reminder", "renewal")))
                .singleElement().asString().contains("f.yaml:11:").contains("no campaign named 'payment-remider' in outbound.campaigns")
                .contains("did you mean 'payment-reminder'").contains("configured: payment-reminder, renewal");
        assertThat(problems(REMIND.formatted("payment-reminder"), java.util.Set.of())).singleElement().asString()
                .contains("f.yaml:11:").contains("(none configured)");
    }

    @Test
    void whereNoConfigurationIsKnownAnyCampaignIsAccepted() throws Exception {
        assertThat(problems(REMIND.formatted("anything"), null)).isEmpty();
    }

    @Test
    void validFormsLoad() throws Exception {
        assertThat(problems("type: remind\ncampaign: payment-reminder\nin: 1d\nat: \"10:00\"\nnext: booked\non-error: sorry"))
                .isEmpty();
        assertThat(problems("type: remind\ncampaign: payment-reminder\nin: 30m\nnext: booked\non-error: sorry")).isEmpty();
        assertThat(problems("type: remind\ncampaign: payment-reminder\ntime: \"${when}\"\nnext: booked\non-error: sorry"))
                .isEmpty();
    }

    @Test
    void badFieldsAreErrorsAtTheirLine() throws Exception {
        assertThat(problems("type: remind\ncampaign: x\nin: 1d\nnext: booked")).anyMatch(p -> p.contains("on-error"));
        assertThat(problems("type: remind\ncampaign: x\nin: tomorrow\nnext: booked\non-error: sorry"))
                .anyMatch(p -> p.contains("f.yaml:12:") && p.contains("in"));
        assertThat(problems("type: remind\ncampaign: x\nat: \"25:00\"\nnext: booked\non-error: sorry"))
                .anyMatch(p -> p.contains("f.yaml:12:"));
        assertThat(problems("type: remind\ncampaign: x\nin: 1d\ntime: \"${when}\"\nnext: booked\non-error: sorry"))
                .anyMatch(p -> p.contains("f.yaml:13:") && p.contains("give either time, or in and/or at, not both"));
        assertThat(problems("type: remind\ncampaign: x\nnext: booked\non-error: sorry"))
                .anyMatch(p -> p.contains("f.yaml:10:") && p.contains("a remind node needs in"));
        assertThat(problems("type: remind\ncampaign: x\nin: 1d\nnext: nowhere\non-error: sorry"))
                .anyMatch(p -> p.contains("nowhere"));
    }

    private FlowTests.Report run(String node, String cases) throws Exception {
        FlowLoader.Loaded loaded = load(node);
        assertThat(loaded.allProblems().stream().filter(Problem::isError).toList()).isEmpty();
        Path t = dir.resolve("f.test.yaml");
        Files.writeString(t, """
                flow: f
                time: 2025-06-02T21:30:00Z
                customers:
                  - id: C-1001
                    first-name: Anna
                    phones: ["+3612345678"]
                cases:
                """ + cases.indent(2));
        return FlowTests.run(loaded.flowSet(), List.of(t), x -> { });
    }

    @Test
    void aKnownCallerIsBookedForTomorrowAtTenAndTheOthersTakeOnError() throws Exception {
        FlowTests.Report r = run("type: remind\ncampaign: payment-reminder\nin: 1d\nat: \"10:00\"\nnext: booked\non-error: sorry",
                """
                - name: known caller
                  caller: "+3612345678"
                  expect:
                    path: [who, book, booked, bye]
                    reminders: ["payment-reminder C-1001 2025-06-03T10:00:00Z"]
                - name: unknown caller
                  caller: "+3699999999"
                  expect:
                    path: [who, book, sorry, bye]
                    reminders: []
                - name: the store fails
                  caller: "+3612345678"
                  reminders: failing
                  expect:
                    path: [who, book, sorry, bye]
                - name: a wrong expectation is reported
                  caller: "+3612345678"
                  expect:
                    reminders: ["payment-reminder C-1001 2025-06-04T10:00:00Z"]
                """);
        assertThat(r.errors()).isEmpty();
        assertThat(r.cases()).hasSize(4);
        assertThat(r.cases().subList(0, 3)).allSatisfy(c -> assertThat(c.failures()).as(c.name()).isEmpty());
        assertThat(r.cases().get(3).failures()).containsExactly("reminders: expected [payment-reminder C-1001"
                + " 2025-06-04T10:00:00Z]\n          but booked [payment-reminder C-1001 2025-06-03T10:00:00Z]");
        assertThat(r.cases().get(0).transcript().lines())
                .anyMatch(l -> l.contains("remind payment-reminder: customer C-1001 at 2025-06-03T10:00:00Z (simulated: not stored)"));
    }

    @Test
    void aTimeFromAVariableInThePastOrUnreadableTakesOnError() throws Exception {
        FlowTests.Report r = run("type: remind\ncampaign: c\ntime: \"${when}\"\nnext: booked\non-error: sorry", """
                - name: a clock time earlier today
                  caller: "+3612345678"
                  expect:
                    path: [who, book, sorry, bye]
                """);
        assertThat(r.cases().get(0).failures()).isEmpty();
        assertThat(r.cases().get(0).transcript().lines()).anyMatch(l -> l.contains("the time cannot be read"));
        r = run("type: remind\ncampaign: c\nat: \"10:00\"\nnext: booked\non-error: sorry", """
                - name: a clock time earlier today
                  caller: "+3612345678"
                  expect:
                    path: [who, book, sorry, bye]
                    reminders: []
                """);
        assertThat(r.cases().get(0).failures()).isEmpty();
        assertThat(r.cases().get(0).transcript().lines()).anyMatch(l -> l.contains("is in the past"));
    }
}
