package dev.ivr.server.flow;

import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.yaml.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 18 (5): misspelt fields of customer, auth, call and inputs are found by validate, with the field meant. */
class FieldCheckTest {
    static List<String> problems(Path dir) {
        return FlowLoader.load(new FlowLoader.Sources(dir, FlowValidationTest.PROMPTS, FlowValidationTest.CALENDARS))
                .allProblems().stream().map(Problem::toString).toList();
    }

    @Test
    void misspeltFieldsAreWarningsWithDidYouMean(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("typo.yaml"), """
                start: ask
                nodes:
                  ask:
                    type: collect
                    prompt: enter-account
                    into: account_no
                    max-length: 8
                    no-input: {prompt: no-input}
                    invalid: {prompt: invalid-choice}
                    fallback: bye
                    next: gold
                  gold:
                    type: branch
                    conditions:
                      - if: 'customer.tierr == "gold" && auth.ok && inputs.acount_no != ""'
                        next: pop
                    else: pop
                  pop:
                    type: route
                    queue: billing
                    context:
                      customer: ${customer.nmae}
                      caller: ${call.anni}
                      account: ${inputs.account_no}
                      note: 'customer. Welcome ${customer["first_name"]} ${customer["lst_name"]}'
                    on-connected: bye
                    next: bye
                  bye:
                    type: hangup
                """);
        List<String> p = problems(dir);
        String f = dir.resolve("typo.yaml") + ":";
        assertThat(p).anyMatch(s -> s.startsWith(f + "15:") && s.contains("warning: customer.tierr: customer has no field 'tierr'; did you mean 'tier'?"));
        assertThat(p).anyMatch(s -> s.startsWith(f + "15:") && s.contains("inputs.acount_no: no node collects 'acount_no' (into:); did you mean 'account_no'?"));
        assertThat(p).anyMatch(s -> s.startsWith(f + "22:") && s.contains("customer.nmae: customer has no field 'nmae'; did you mean 'name'?"));
        assertThat(p).anyMatch(s -> s.startsWith(f + "23:") && s.contains("call.anni: call has no field 'anni'; did you mean 'ani'?"));
        assertThat(p).anyMatch(s -> s.contains("customer.lst_name: customer has no field 'lst_name'; did you mean 'last_name'?"));
        // what exists is not flagged, nor words of the text around ${...}
        assertThat(p).noneMatch(s -> s.contains("account_no:") || s.contains("customer.first_name") || s.contains("customer.Welcome")
                || s.contains("auth.ok"));
        // the column points at the field
        assertThat(p).anyMatch(s -> s.startsWith(f + "15:14: warning: customer.tierr"));
    }

    @Test
    void theShippedFlowsUseOnlyFieldsThatExist() {
        assertThat(problems(Path.of("../flows"))).noneMatch(s -> s.contains("has no field") || s.contains("no node collects"));
    }
}
