package dev.ivr.server.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules themselves: each one must fail on a fixture (test classes named {@code ArchFixture*}, placed in
 * the real packages) that breaks it, so a rule that matches nothing, or a mistyped package, cannot pass
 * silently. The fixtures are test classes, which {@link ArchitectureTest} does not import.
 */
class ArchitectureRulesTest {
    private static JavaClasses fixtures;

    @BeforeAll
    static void importFixtures() throws Exception {
        fixtures = new ClassFileImporter().importClasses(
                Class.forName("dev.ivr.server.nowhere.ArchFixtureUnplaced"),
                Class.forName("dev.ivr.server.config.ArchFixtureUpward"),
                dev.ivr.server.flow.FlowRepository.class,
                dev.ivr.server.net.ArchFixtureCycleA.class,
                dev.ivr.server.audio.ArchFixtureCycleB.class,
                Class.forName("dev.ivr.routing.ArchFixtureSeesServer"),
                Class.forName("dev.ivr.server.flow.engine.ArchFixtureEngine"),
                Class.forName("dev.ivr.server.flow.engine.ArchFixturePublicStep"),
                Class.forName("dev.ivr.server.routing.ArchFixtureRouting"),
                Class.forName("dev.ivr.server.crm.ArchFixtureUsesVertx"),
                Class.forName("dev.ivr.fakepbx.ArchFixtureUsesServer"),
                Class.forName("dev.ivr.server.ArchFixtureUsesRoutingImpl"));
    }

    private static void failsOn(ArchRule rule, String fixture) {
        EvaluationResult result = rule.evaluate(fixtures);
        assertThat(result.hasViolation()).as(rule.getDescription()).isTrue();
        assertThat(result.getFailureReport().getDetails()).as(rule.getDescription())
                .anyMatch(line -> line.contains(fixture));
    }

    @Test
    void everyPackageInALayer() {
        failsOn(ArchitectureRules.everyPackageInALayer(), "ArchFixtureUnplaced");
    }

    @Test
    void layers() {
        failsOn(ArchitectureRules.layers(), "ArchFixtureUpward");
    }

    @Test
    void noCycles() {
        failsOn(ArchitectureRules.noCycles(), "ArchFixtureCycle");
    }

    @Test
    void routingNeverSeesTheServer() {
        failsOn(ArchitectureRules.routingNeverSeesTheServer(), "ArchFixtureSeesServer");
    }

    @Test
    void routingApiWithoutImplementation() {
        failsOn(ArchitectureRules.routingApiWithoutImplementation(), "ArchFixtureSeesServer");
    }

    @Test
    void oneTelephonySeam() {
        failsOn(ArchitectureRules.oneTelephonySeam(), "ArchFixtureEngine");
    }

    @Test
    void asteriskJavaOnlyInAdapters() {
        failsOn(ArchitectureRules.asteriskJavaOnlyInAdapters(), "ArchFixtureRouting");
    }

    @Test
    void logicWithoutInfrastructure() {
        failsOn(ArchitectureRules.logicWithoutInfrastructure(), "ArchFixtureEngine");
    }

    @Test
    void vertxOnlyInAdapters() {
        failsOn(ArchitectureRules.vertxOnlyInAdapters(), "ArchFixtureUsesVertx");
    }

    @Test
    void deskIsAnAdapter() {
        failsOn(ArchitectureRules.deskIsAnAdapter(), "ArchFixtureRouting");
    }

    @Test
    void toolsTalkOverTheWire() {
        failsOn(ArchitectureRules.toolsTalkOverTheWire(), "ArchFixtureUsesServer");
    }

    @Test
    void routingImplementationOnlyThroughItsEntryPoint() {
        failsOn(ArchitectureRules.onlyTheEntryPointOfTheRoutingImplementationIsForApplications(),
                "ArchFixtureUsesRoutingImpl");
    }

    @Test
    void flowStepsArePackagePrivate() {
        failsOn(ArchitectureRules.flowStepsArePackagePrivate(), "ArchFixturePublicStep");
    }
}
