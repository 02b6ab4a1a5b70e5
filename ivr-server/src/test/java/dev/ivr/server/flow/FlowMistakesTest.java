package dev.ivr.server.flow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 18 (6): a newcomer's YAML mistakes, each said once, as what to fix. */
class FlowMistakesTest {
    static List<String> problems(Path dir, String name, String yaml) throws Exception {
        Files.writeString(dir.resolve(name + ".yaml"), yaml);
        return FieldCheckTest.problems(dir).stream().filter(s -> s.startsWith(dir.resolve(name + ".yaml") + ":")).toList();
    }

    @Test
    void aColonInAValueIsExplained(@TempDir Path dir) throws Exception {
        List<String> p = problems(dir, "colon", "start: hello\nnodes:\n  hello:\n    type: say\n    prompt: welcome: again\n"
                + "    next: bye\n  bye:\n    type: hangup\n");
        assertThat(p).hasSize(1);
        assertThat(p.get(0)).contains(":5:20: not valid YAML: a ':' inside a value", "quote a value",
                "(YAML parser: mapping values are not allowed here)");
    }

    @Test
    void aTabIsExplained(@TempDir Path dir) throws Exception {
        assertThat(problems(dir, "tab", "start: hello\nnodes:\n  hello:\n\ttype: say\n"))
                .singleElement().asString().contains("a tab: YAML indents with spaces only");
    }

    @Test
    void aDedentedNextIsOneProblemThatSaysSo(@TempDir Path dir) throws Exception {
        List<String> p = problems(dir, "dedent", "start: hello\nnodes:\n  hello:\n    type: say\n    prompt: welcome\n"
                + "  next: bye\n  bye:\n    type: hangup\n");
        assertThat(p).containsExactly(dir.resolve("dedent.yaml") + ":6:3: 'next' is indented as a node of its own; as a field"
                + " of node 'hello' it needs the indentation of that node's 'type:'");
    }

    @Test
    void aMisspeltTypeGetsDidYouMean(@TempDir Path dir) throws Exception {
        List<String> p = problems(dir, "sya", "start: hello\nnodes:\n  hello:\n    type: sya\n    prompt: welcome\n"
                + "    next: bye\n  bye:\n    type: hangup\n");
        assertThat(p).singleElement().asString().contains(":4:11: nodes.hello.type: unknown node type 'sya'; did you mean 'say'?");
    }
}
