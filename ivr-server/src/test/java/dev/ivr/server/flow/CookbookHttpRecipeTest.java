package dev.ivr.server.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.tools.FlowTests;
import dev.ivr.server.speech.SpeechModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order-status recipe of docs/cookbook.md works as written: its flow validates against a
 * configuration with the {@code orders} endpoint (and not without it), and its flow test passes.
 */
class CookbookHttpRecipeTest {
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theOrderStatusRecipeValidatesAndItsFlowTestPasses(@TempDir Path dir) throws Exception {
        String page = Files.readString(Path.of("../docs/cookbook.md"));
        String section = page.substring(page.indexOf("<!-- recipe: order-status.yaml -->"));
        List<String> blocks = new ArrayList<>();
        Matcher m = YAML_BLOCK.matcher(section);
        while (m.find() && blocks.size() < 2) {
            blocks.add(m.group(1));
        }
        Files.writeString(dir.resolve("order-status.yaml"), blocks.get(0));
        Path test = Files.writeString(dir.resolve("order-status.test.yaml"), blocks.get(1));
        assertThat(blocks.get(1)).startsWith("flow: order-status");

        var withEndpoint = FlowLoader.load(new FlowLoader.Sources(dir, FlowValidationTest.PROMPTS,
                FlowValidationTest.CALENDARS, SpeechModels.NONE, null, Set.of("orders")));
        assertThat(withEndpoint.allProblems()).isEmpty();
        var without = FlowLoader.load(new FlowLoader.Sources(dir, FlowValidationTest.PROMPTS,
                FlowValidationTest.CALENDARS, SpeechModels.NONE, null, Set.of()));
        assertThat(without.hasErrors()).isTrue();

        List<String> out = new ArrayList<>();
        FlowTests.Report report = FlowTests.run(withEndpoint.flowSet(), List.of(test), out::add);
        assertThat(report.cases()).hasSize(2);
        assertThat(report.failed()).as(String.join("\n", out)).isZero();
    }
}
