package dev.ivr.server.flow;

import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.yaml.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** validate on the broken flows kept in test resources, the shipped flows, and hostile files. */
class FlowValidationTest {
    static final Path BROKEN = Path.of("src/test/resources/flows-broken");
    static final Path PROMPTS = Path.of("../prompts");
    static final Path CALENDARS = Path.of("../config/calendars.yaml");

    static List<String> problems(Path dir) {
        return FlowLoader.load(new FlowLoader.Sources(dir, PROMPTS, CALENDARS)).allProblems().stream()
                .map(Problem::toString).toList();
    }

    @Test
    void eachBrokenFlowIsReportedWithFileLineAndColumn() {
        List<String> p = problems(BROKEN);
        String d = BROKEN + "/";
        assertThat(p).contains(
                d + "unknown-type.yaml:4:11: nodes.hello.type: unknown node type 'speak' (one of: say, play, menu, collect,"
                        + " listen, set, branch, goto, subflow, return, hours, identify, authenticate, route, transfer,"
                        + " voicemail, record, hangup, http, remind)",
                d + "missing-node.yaml:7:12: node 'menu' goes to 'billling' (1), which is not a node of this flow; "
                        + "did you mean 'billing'?",
                d + "missing-prompt.yaml:5:13: prompt 'no-such-prompt' is not in the en catalog (prompts/en/*.yaml)",
                d + "unreachable.yaml:7:3: node 'orphan' cannot be reached from the start node 'hello'",
                d + "endless-loop.yaml:3:3: the loop a → b → a cannot end: no node in it waits for the caller and none "
                        + "leads out of it",
                d + "not-yaml.yaml:7:1: not valid YAML: the file ends inside a quoted text or a [ ] / { } list: a closing"
                        + " quote or bracket is missing (YAML parser: found unexpected end of stream)",
                d + "duplicate-key.yaml:9:3: 'bye' is given twice here",
                d + "callback-key-clash.yaml:10:12: key 1 is already a wait option of this node");
        assertThat(p).anyMatch(s -> s.startsWith(d + "bad-expression.yaml:6:39: 'customer.tier == \"gold\" &&': mismatched input"));
        // every file in the directory is reported, each line as file:line:column: message
        assertThat(p).allMatch(s -> s.matches("^\\S+\\.yaml:\\d+:\\d+: .+"));
        try (var files = Files.list(BROKEN)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList())
                    .allMatch(f -> p.stream().anyMatch(s -> s.startsWith(d + f + ":")));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void expressionsThatReachForJavaFilesOrTheNetworkAreRejectedAtValidation() {
        List<String> p = problems(BROKEN);
        String d = BROKEN + "/";
        assertThat(p).anyMatch(s -> s.startsWith(d + "java-class.yaml:6:13: 'java.lang.Runtime.getRuntime() != null': "
                + "undeclared reference to 'java'"));
        assertThat(p).anyMatch(s -> s.startsWith(d + "java-class.yaml:11:") && s.contains("undeclared reference to 'getClass'"));
        assertThat(p).anyMatch(s -> s.startsWith(d + "file-and-network.yaml:6:") && s.contains("'readFile'"));
        assertThat(p).anyMatch(s -> s.startsWith(d + "file-and-network.yaml:7:") && s.contains("'http'"));
        assertThat(p).anyMatch(s -> s.startsWith(d + "file-and-network.yaml:8:") && s.contains("'new'"));
        var loaded = FlowLoader.load(new FlowLoader.Sources(BROKEN, PROMPTS, CALENDARS));
        assertThat(loaded.flows().get("java-class").ok()).isFalse();
        assertThat(loaded.flows().get("file-and-network").ok()).isFalse();
    }

    @Test
    void lintReportsMissingBranchesUnboundRetriesAndSecretLeaks() {
        List<String> p = problems(BROKEN);
        String d = BROKEN + "/";
        assertThat(p).contains(
                d + "lint.yaml:3:3: warning: menu 'menu' has no 'no-input' branch: a caller who says nothing hears the "
                        + "same prompt again with no help",
                d + "lint.yaml:3:3: warning: menu 'menu' has no 'invalid' branch: a caller who presses a wrong key is "
                        + "not told so",
                d + "secret-leak.yaml:15:11: the secret input 'pin' (secret: true) must not reach a template: it would "
                        + "be logged, stored or shown",
                d + "secret-leak.yaml:16:10: the secret input 'pin' (secret: true) must not reach a log line: it would "
                        + "be logged, stored or shown",
                d + "secret-leak.yaml:22:12: the secret input 'pin' (secret: true) must not reach a screen-pop field: it "
                        + "would be logged, stored or shown");
        assertThat(p).anyMatch(s -> s.startsWith(d + "lint.yaml:3:3: warning: retry loop with no bound")
                && s.contains("menu → sorry → menu"));
        // warnings alone do not refuse a flow
        var loaded = FlowLoader.load(new FlowLoader.Sources(BROKEN, PROMPTS, CALENDARS));
        assertThat(loaded.flows().get("lint").ok()).isTrue();
    }

    @Test
    void theShippedFlowsHaveNoProblemAtAll() throws java.io.IOException {
        // only notes: without a speech model the main menu takes keys only (validate --strict passes)
        // reported at the main menu's speech block
        var lines = java.nio.file.Files.readAllLines(Path.of("../flows/customer-service.yaml"));
        int menu = lines.indexOf("  main-menu:");
        int line = menu + 1 + (int) lines.subList(menu, lines.size()).stream()
                .takeWhile(l -> !l.startsWith("    speech:")).count();
        assertThat(problems(Path.of("../flows"))).containsExactly(java.util.stream.Stream.of("de", "en", "es", "hu", "it")
                .map(lang -> "../flows/customer-service.yaml:" + line + ":5: note: menu 'main-menu' takes keys only in " + lang
                        + " here: no speech recognition is configured here (speech.models)").toArray(String[]::new));
        var loaded = FlowLoader.load(new FlowLoader.Sources(Path.of("../flows"), PROMPTS, CALENDARS));
        assertThat(loaded.flows().keySet()).contains("customer-service", "after-hours", "verify-caller");
    }

    @Test
    void theSchemaEditorsUseIsTheOneTheServerChecks() throws Exception {
        String shipped = Files.readString(Path.of("../flows/flow.schema.json"));
        assertThat(dev.ivr.server.flow.load.FlowSchema.text()).isEqualTo(shipped);
        for (Path f : FlowLoader.flowFiles(Path.of("../flows")).values()) {
            assertThat(Files.readString(f)).startsWith("# yaml-language-server: $schema=./flow.schema.json");
        }
    }

    @Test
    void anAliasBombIsRefusedQuickly(@TempDir Path dir) throws Exception {
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        String prev = "a";
        for (char c = 'b'; c <= 'j'; c++) {
            bomb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                bomb.append(i == 0 ? "" : ",").append('*').append(prev);
            }
            bomb.append("]\n");
            prev = String.valueOf(c);
        }
        bomb.append("start: x\nnodes: {x: {type: hangup}}\n");
        Files.writeString(dir.resolve("bomb.yaml"), bomb);
        List<String> p = problems(dir);
        assertThat(p).hasSize(1);
        assertThat(p.get(0)).startsWith(dir.resolve("bomb.yaml") + ":").contains("not valid YAML")
                .containsIgnoringCase("aliases");
    }

    @Test
    void aTenMegabyteFileIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.yaml");
        try (var out = Files.newBufferedWriter(big)) {
            String line = "# " + "x".repeat(1022) + "\n";
            for (int i = 0; i < 10 * 1024; i++) {
                out.write(line);
            }
        }
        assertThat(Files.size(big)).isGreaterThanOrEqualTo(10L * 1024 * 1024);
        List<String> p = problems(dir);
        assertThat(p).containsExactly(big + ":1:1: file is " + Files.size(big)
                + " bytes; the limit is 1000000 (a flow is a few kilobytes)");
    }
}
