package dev.ivr.server.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigReferenceTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void everyKeyIsDocumented() {
        String md = ConfigReference.markdown();
        for (String key : ConfigLoader.leafKeys()) {
            assertThat(md).contains("| `" + key + "` |");
        }
        assertThat(md).doesNotContain("|  |\n"); // no key without a meaning
        // issue 18 (15): list entries ended ".;" and the list "..": one mark each
        assertThat(md).doesNotContain(".;", ".. |", ".. ");
    }

    /** docs/configuration.md is generated; regenerate with ./ivr config-reference > docs/configuration.md */
    @Test
    void theCommittedReferenceIsUpToDate() throws IOException {
        assertThat(Files.readString(DOC))
                .as("docs/configuration.md is stale: run ./ivr config-reference > docs/configuration.md")
                .isEqualTo(ConfigReference.markdown());
    }
}
