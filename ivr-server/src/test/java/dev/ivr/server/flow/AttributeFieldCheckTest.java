package dev.ivr.server.flow;

import dev.ivr.server.crm.attributes.AttributeSchema;
import dev.ivr.server.crm.attributes.AttributeSchemaTest;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.yaml.Problem;
import dev.ivr.server.speech.SpeechModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 18 (5), the rest: customer.attributes.X checked against the declared attributes, comparisons type-checked. */
class AttributeFieldCheckTest {
    private static List<String> problems(Path dir, AttributeSchema schema) {
        return FlowLoader.load(new FlowLoader.Sources(dir, FlowValidationTest.PROMPTS, FlowValidationTest.CALENDARS,
                SpeechModels.NONE, schema)).allProblems().stream().map(Problem::toString).toList();
    }

    private static final String FLOW = """
            start: check
            nodes:
              check:
                type: branch
                conditions:
                  - if: 'customer.attributes.contrct_end < "2027-01-01"'
                    next: pop
                  - if: 'customer.attributes.balance > 100 || customer.attributes["plan"] == "premum"'
                    next: pop
                  - if: 'customer.attributes.do_not_call == true || customer.attributes.contract_end > "31/12/2026"'
                    next: pop
                  - if: 'double(customer.attributes.balance) > 100.0 && customer.attributes.plan in ["basic", "premium"]'
                    next: pop
                else: pop
              pop:
                type: route
                queue: billing
                context:
                  plan: ${customer.attributes.pla}
                  ends: ${customer.attributes.contract_end}
                on-connected: bye
                next: bye
              bye:
                type: hangup
            """;

    @Test
    void undeclaredAttributesAndComparisonsThatFailAreWarningsWithWhere(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("attrs.yaml"), FLOW);
        List<String> p = problems(dir, AttributeSchemaTest.SCHEMA);
        String f = dir.resolve("attrs.yaml") + ":";
        assertThat(p).anyMatch(s -> s.startsWith(f + "6:33: warning: customer.attributes.contrct_end: no attribute 'contrct_end'"
                + " is declared in crm.attributes; did you mean 'contract_end'?"));
        assertThat(p).anyMatch(s -> s.startsWith(f + "8:") && s.contains("customer.attributes.balance (number): flows read"
                + " attributes as text, so comparing it with a number fails at call time: write double(customer.attributes.balance)"));
        assertThat(p).anyMatch(s -> s.startsWith(f + "8:") && s.contains("customer.attributes.plan (enum): \"premum\" is not one of"
                + " basic, premium; did you mean 'premium'?"));
        assertThat(p).anyMatch(s -> s.startsWith(f + "10:") && s.contains("customer.attributes.do_not_call (boolean): flows read"
                + " attributes as text: compare it with \"true\" or \"false\""));
        assertThat(p).anyMatch(s -> s.startsWith(f + "10:") && s.contains("customer.attributes.contract_end (date): \"31/12/2026\""
                + " is not a date (YYYY-MM-DD"));
        assertThat(p).anyMatch(s -> s.startsWith(f + "19:") && s.contains("customer.attributes.pla: no attribute 'pla'")
                && s.contains("did you mean 'plan'?"));
        assertThat(p).noneMatch(s -> s.startsWith(f + "12:"));
        assertThat(p).noneMatch(s -> s.startsWith(f + "20:"));
        assertThat(p).allMatch(s -> s.contains(": warning: "));
    }

    @Test
    void withNothingDeclaredAttributesStayFreeForm(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("attrs.yaml"), FLOW);
        assertThat(problems(dir, AttributeSchema.NONE)).noneMatch(s -> s.contains("attributes."));
    }
}
