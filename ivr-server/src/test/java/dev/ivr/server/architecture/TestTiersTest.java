package dev.ivr.server.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The test tiers (docs/architecture.md, "Tests"): a unit test ({@code *Test}, surefire) carries no tier tag;
 * an integration test ({@code *IT}, failsafe) carries {@code @Tag("integration")}; a system test
 * ({@code system/*SystemIT}, a real Asterisk) carries {@code @Tag("system")}. The tags let an IDE or
 * {@code -Dgroups} pick a tier; the names decide which plugin runs a class.
 */
class TestTiersTest {

    @Test
    void everyTestCarriesTheTagOfItsTier() throws IOException {
        List<String> wrong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ArchitectureRules.REPOSITORY)) {
            for (Path f : files.filter(p -> p.toString().contains("/src/test/java/"))
                    .filter(p -> !p.toString().contains("/target/")).toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith("Test.java") && !name.endsWith("IT.java")) {
                    continue;
                }
                String text = Files.readString(f);
                boolean integration = text.contains("@Tag(\"integration\")");
                boolean system = text.contains("@Tag(\"system\")");
                String rel = ArchitectureRules.REPOSITORY.relativize(f).toString();
                if (name.endsWith("SystemIT.java") && !(system && !integration)) {
                    wrong.add(rel + ": a system test needs @Tag(\"system\") only");
                } else if (name.endsWith("IT.java") && !name.endsWith("SystemIT.java") && !(integration && !system)) {
                    wrong.add(rel + ": an integration test needs @Tag(\"integration\") only");
                } else if (name.endsWith("Test.java") && (integration || system) && !name.equals("TestTiersTest.java")) {
                    wrong.add(rel + ": a unit test carries no tier tag (rename it *IT if it needs sockets, a cluster or a database)");
                }
            }
        }
        assertThat(wrong).isEmpty();
    }
}
