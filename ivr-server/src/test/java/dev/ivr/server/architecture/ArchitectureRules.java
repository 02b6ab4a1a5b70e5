package dev.ivr.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules that hold the structure of the code (docs/architecture.md): the layers of
 * {@code tools/arch/layers.txt}, no package cycles, one telephony seam, the desk as an adapter, and
 * libraries kept to the packages that adapt them. {@link ArchitectureTest} checks them on the
 * production classes; {@link ArchitectureRulesTest} shows that each one fails on a fixture that breaks it.
 */
final class ArchitectureRules {
    /** The layers file, found from the module or the repository root. */
    static final Path LAYERS_FILE = locate("tools/arch/layers.txt");
    /** The root of the repository. */
    static final Path REPOSITORY = LAYERS_FILE.getParent().getParent().getParent();

    private ArchitectureRules() {
    }

    static Path locate(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    /** Layer name → package patterns, bottom first, of the server's layers (other modules: R3, R4, R10). */
    static Map<String, List<String>> serverLayers() {
        Map<String, List<String>> layers = new LinkedHashMap<>();
        allLayers().forEach((name, patterns) -> {
            if (patterns.stream().allMatch(p -> p.startsWith("dev.ivr.server"))) {
                layers.put(name, patterns);
            }
        });
        return layers;
    }

    /** Every layer of the layers file, bottom first. */
    static Map<String, List<String>> allLayers() {
        Map<String, List<String>> layers = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(LAYERS_FILE)) {
                if (line.startsWith("LAYER ")) {
                    String[] p = line.substring(6).split(":", 2);
                    layers.put(p[0].trim(), List.of(p[1].trim().split("\\s+")));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return layers;
    }

    /** The layer of a package: an exact pattern, else the longest {@code prefix..} pattern; null if none. */
    static String layerOf(String pkg, Map<String, List<String>> layers) {
        String best = null;
        int bestLen = -1;
        for (var e : layers.entrySet()) {
            for (String p : e.getValue()) {
                if (p.endsWith("..")) {
                    String base = p.substring(0, p.length() - 2);
                    if ((pkg.equals(base) || pkg.startsWith(base + ".")) && base.length() > bestLen) {
                        best = e.getKey();
                        bestLen = base.length();
                    }
                } else if (p.equals(pkg) && p.length() + 1 > bestLen) {
                    best = e.getKey();
                    bestLen = p.length() + 1;
                }
            }
        }
        return best;
    }

    static ArchRule layers() {
        Map<String, List<String>> layers = serverLayers();
        Architectures.LayeredArchitecture arch =
                Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        List<String> names = new ArrayList<>(layers.keySet());
        for (String name : names) {
            arch = arch.layer(name).definedBy(DescribedPredicate.describe("layer " + name,
                    (JavaClass c) -> name.equals(layerOf(c.getPackageName(), layers))));
        }
        for (int i = 0; i < names.size() - 1; i++) {
            arch = arch.whereLayer(names.get(i))
                    .mayOnlyBeAccessedByLayers(names.subList(i + 1, names.size()).toArray(String[]::new));
        }
        return arch.withOptionalLayers(true)
                .as("R1 server layers " + String.join(" < ", names) + ": each uses only the layers below it");
    }

    static ArchRule everyPackageInALayer() {
        Map<String, List<String>> layers = allLayers();
        return classes().that().resideInAPackage("dev.ivr..")
                .should(new com.tngtech.archunit.lang.ArchCondition<JavaClass>("be in a package of a layer") {
                    @Override
                    public void check(JavaClass c, com.tngtech.archunit.lang.ConditionEvents events) {
                        if (layerOf(c.getPackageName(), layers) == null) {
                            events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(c,
                                    c.getName() + ": package " + c.getPackageName() + " is in no layer of tools/arch/layers.txt"));
                        }
                    }
                })
                .as("R0 every package is placed in a layer (tools/arch/layers.txt)");
    }

    static ArchRule noCycles() {
        return slices().matching("dev.ivr.(**)").should().beFreeOfCycles().as("R2 no package cycles under dev.ivr");
    }

    static ArchRule routingNeverSeesTheServer() {
        return noClasses().that().resideInAPackage("dev.ivr.routing..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.ivr.server..", "dev.ivr.fakepbx..", "dev.ivr.loadgen..",
                        "org.asteriskjava..", "io.vertx..")
                .as("R3 the routing library never sees the server, the PBX or HTTP");
    }

    static ArchRule routingApiWithoutImplementation() {
        return noClasses().that().resideInAPackage("dev.ivr.routing").should().dependOnClassesThat()
                .resideInAPackage("dev.ivr.routing.hazelcast..")
                .as("R4 the routing API does not know its implementation");
    }

    static ArchRule oneTelephonySeam() {
        return noClasses().that().resideOutsideOfPackages("dev.ivr.server", "dev.ivr.server.doctor",
                        "dev.ivr.server.agi..").and().resideInAPackage("dev.ivr.server..")
                .should().dependOnClassesThat().resideInAPackage("dev.ivr.server.agi..")
                .as("R5 only the composition root and doctor import the FastAGI package (the seam is call/)");
    }

    static ArchRule asteriskJavaOnlyInAdapters() {
        return noClasses().that().resideOutsideOfPackages("dev.ivr.server.agi..", "dev.ivr.server.pbx..")
                .and().resideInAPackage("dev.ivr.server..")
                .should().dependOnClassesThat().resideInAPackage("org.asteriskjava..")
                .as("R6 Asterisk-Java only behind agi (FastAGI) and pbx (AMI)");
    }

    static ArchRule logicWithoutInfrastructure() {
        return noClasses().that().resideInAnyPackage("dev.ivr.server.call..", "dev.ivr.server.config..",
                        "dev.ivr.server.net..", "dev.ivr.server.audio..",
                        "dev.ivr.server.flow", "dev.ivr.server.flow.yaml..", "dev.ivr.server.flow.expr..",
                        "dev.ivr.server.flow.hours..", "dev.ivr.server.flow.model..", "dev.ivr.server.flow.route..", "dev.ivr.server.flow.reminder..",
                        "dev.ivr.server.flow.load..", "dev.ivr.server.flow.engine..", "dev.ivr.server.flow.tools..",
                        "dev.ivr.server.prompt", "dev.ivr.server.prompt.say..", "dev.ivr.server.crm",
                        "dev.ivr.server.speech", "dev.ivr.server.tts")
                .should().dependOnClassesThat().resideInAnyPackage("com.hazelcast..", "io.vertx..",
                        "org.asteriskjava..", "java.sql..", "javax.sql..")
                .as("R7 call logic, flows and the service APIs use no cluster, HTTP, PBX or JDBC library");
    }

    static ArchRule vertxOnlyInAdapters() {
        return noClasses().that().resideOutsideOfPackages("dev.ivr.server", "dev.ivr.server.api..",
                        "dev.ivr.server.desk..", "dev.ivr.server.crm.http..", "dev.ivr.server.flow.http..", "dev.ivr.server.callback.http..",
                        "dev.ivr.server.prompt.http..", "dev.ivr.server.prompt.voice..", "dev.ivr.server.journal.http..", "dev.ivr.server.webhook.http..", "dev.ivr.server.recording.http..",
                        "dev.ivr.server.outbound.http..",
                        "dev.ivr.server.speech.audiosocket..")
                .and().resideInAPackage("dev.ivr.server..")
                .should().dependOnClassesThat().resideInAPackage("io.vertx..")
                .as("R8 Vert.x only in the HTTP, WebSocket and AudioSocket adapters");
    }

    static ArchRule deskIsAnAdapter() {
        return noClasses().that().resideOutsideOfPackages("dev.ivr.server", "dev.ivr.server.cli", "dev.ivr.server.desk..")
                .and().resideInAPackage("dev.ivr.server..")
                .should().dependOnClassesThat().resideInAPackage("dev.ivr.server.desk..")
                .as("R9 the desk is an adapter: only the composition root and the CLI import it");
    }

    static ArchRule toolsTalkOverTheWire() {
        return noClasses().that().resideInAnyPackage("dev.ivr.fakepbx..", "dev.ivr.loadgen..", "dev.ivr.testsupport..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.ivr.server..", "dev.ivr.routing..")
                .as("R10 the fake PBX and the load generator talk to the server over the wire only; the test support"
                        + " knows neither");
    }

    static ArchRule onlyTheEntryPointOfTheRoutingImplementationIsForApplications() {
        return noClasses().that().resideOutsideOfPackages("dev.ivr.routing.hazelcast..")
                .should().dependOnClassesThat(DescribedPredicate.describe("are in dev.ivr.routing.hazelcast "
                                + "other than HazelcastRouting",
                        (JavaClass c) -> c.getPackageName().equals("dev.ivr.routing.hazelcast")
                                && !c.getSimpleName().equals("HazelcastRouting")))
                .as("R12a applications start routing through HazelcastRouting only");
    }

    static ArchRule flowStepsArePackagePrivate() {
        return classes().that().resideInAPackage("dev.ivr.server.flow.engine").and().haveSimpleNameEndingWith("Step")
                .should().notHaveModifier(JavaModifier.PUBLIC).allowEmptyShould(true)
                .as("R12b the flow engine's node steps are not public");
    }

    static List<ArchRule> all() {
        return List.of(everyPackageInALayer(), layers(), noCycles(), routingNeverSeesTheServer(),
                routingApiWithoutImplementation(), oneTelephonySeam(), asteriskJavaOnlyInAdapters(),
                logicWithoutInfrastructure(), vertxOnlyInAdapters(), deskIsAnAdapter(), toolsTalkOverTheWire(),
                onlyTheEntryPointOfTheRoutingImplementationIsForApplications(), flowStepsArePackagePrivate());
    }
}
