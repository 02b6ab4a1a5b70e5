package dev.ivr.server.flow.engine;

import dev.ivr.server.config.ConfigException;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.LanguagesConfig;
import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.tools.CallerSteps;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.flow.tools.Simulation;
import dev.ivr.server.flow.tools.Transcript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** languages.by-dnis: the language a call starts in by the number dialled. */
class LanguageByDnisTest {
    static final LanguageByDnis MAP = LanguageByDnis.of(new LanguagesConfig(Map.of("3612345678", "hu", "+49 30*", "de",
            "49*", "it", "1000", "en", "*", "es")));

    @Test
    void anExactNumberThenTheLongestPrefixThenStar() {
        assertThat(MAP.languageFor("3612345678")).contains("hu");
        assertThat(MAP.languageFor("+36 1 234-5678")).as("spaces, dashes and + do not count").contains("hu");
        assertThat(MAP.languageFor("493012345")).contains("de");
        assertThat(MAP.languageFor("4989123")).contains("it");
        assertThat(MAP.languageFor("1000")).contains("en");
        assertThat(MAP.languageFor("10001")).as("an exact number is not a prefix").contains("es");
        assertThat(MAP.languageFor("")).contains("es");
        assertThat(LanguageByDnis.of(new LanguagesConfig(Map.of("1000", "en"))).languageFor("2000")).isEmpty();
        assertThat(LanguageByDnis.NONE.languageFor("1000")).isEmpty();
    }

    @Test
    void theSettingIsValidatedWithWhatIsWrong(@TempDir Path dir) throws Exception {
        assertThat(ConfigLoader.load(Map.of("IVR_LANGUAGES_BY_DNIS", "+36 1 234 5678=hu,49*=de")).languages().byDnis())
                .containsEntry("+36 1 234 5678", "hu").containsEntry("49*", "de");
        Path f = dir.resolve("ivr.yaml");
        Files.writeString(f, """
                languages:
                  by-dnis:
                    "sales": en
                    "36*1": hu
                    "1000": Hungarian
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(String.join("\n", e.problems()))
                        .contains("languages.by-dnis.sales: is not a dialled number")
                        .contains("languages.by-dnis.36*1: is not a dialled number")
                        .contains("languages.by-dnis.1000: must be a language code such as hu or pt-BR (got 'Hungarian')"));
    }

    static final FlowSet SHIPPED = FlowLoader.load(new FlowLoader.Sources(Path.of("../flows"), Path.of("../prompts"),
            Path.of("../config/calendars.yaml"))).flowSet();

    static Transcript call(String dnis, LanguageByDnis byDnis) {
        return Simulation.run(SHIPPED, new Simulation.Call("customer-service", "+15550000000", dnis, "en", List.of(),
                Instant.parse("2025-06-02T08:00:00Z"), CallerSteps.parse("hangup"), null, new ScriptedCrm(List.of(), false),
                null, true, byDnis), x -> { });
    }

    @Test
    void aCallToAHungarianNumberStartsInHungarianOverTheChannelsLanguage() {
        LanguageByDnis hu = LanguageByDnis.of(new LanguagesConfig(Map.of("3615550000", "hu", "1234", "pt")));
        assertThat(call("+36 1 555 0000", hu).lines()).contains("  language hu (dialled number)")
                .anySatisfy(l -> assertThat(l).startsWith("  IVR: Üdvözöljük"));
        assertThat(call("1000", hu).lines()).noneMatch(l -> l.contains("dialled number"))
                .anySatisfy(l -> assertThat(l).startsWith("  IVR: Welcome"));
        // a language the flow does not offer is left alone
        assertThat(call("1234", hu).lines()).noneMatch(l -> l.contains("dialled number"))
                .anySatisfy(l -> assertThat(l).startsWith("  IVR: Welcome"));
    }
}
