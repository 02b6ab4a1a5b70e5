package dev.ivr.server.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.core.importer.Locations;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks {@link ArchitectureRules} on the production classes of every module (the server's classpath holds
 * the routing library and the fake PBX; the load generator is read from its build directory when it was
 * built), and that the layer picture in {@code docs/architecture-layers.md} is the one the code draws.
 * Regenerate the picture with {@code -Divr.writeDocs=true}.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        Set<Location> locations = new HashSet<>(Locations.ofPackage("dev.ivr"));
        Path loadgen = ArchitectureRules.REPOSITORY.resolve("loadgen/target/classes");
        if (Files.isDirectory(loadgen)) {
            locations.add(Location.of(loadgen));
        }
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importLocations(locations);
    }

    @TestFactory
    List<DynamicTest> rulesHold() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ArchRule rule : ArchitectureRules.all()) {
            tests.add(DynamicTest.dynamicTest(rule.getDescription(), () -> rule.check(classes)));
        }
        return tests;
    }

    @Test
    void everyModuleIsImported() {
        assertThat(classes.stream().map(c -> c.getPackageName()))
                .anyMatch(p -> p.startsWith("dev.ivr.server."))
                .anyMatch(p -> p.startsWith("dev.ivr.routing"))
                .anyMatch(p -> p.startsWith("dev.ivr.fakepbx"));
    }

    @Test
    void layerPictureIsCurrent() throws Exception {
        Path doc = ArchitectureRules.REPOSITORY.resolve("docs/architecture-layers.md");
        String expected = LayerDiagram.markdown(classes);
        if (Boolean.getBoolean("ivr.writeDocs")) {
            Files.writeString(doc, expected);
        }
        assertThat(Files.exists(doc) ? Files.readString(doc) : "")
                .as("docs/architecture-layers.md is stale: run ./ivr arch-docs (or this test with -Divr.writeDocs=true)")
                .isEqualTo(expected);
    }
}
