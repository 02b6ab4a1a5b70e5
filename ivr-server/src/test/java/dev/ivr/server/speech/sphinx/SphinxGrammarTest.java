package dev.ivr.server.speech.sphinx;

import edu.cmu.sphinx.jsgf.JSGFRuleGrammar;
import edu.cmu.sphinx.jsgf.JSGFRuleGrammarFactory;
import edu.cmu.sphinx.jsgf.JSGFRuleGrammarManager;
import edu.cmu.sphinx.jsgf.parser.JSGFParser;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SphinxGrammarTest {
    static final Set<String> WORDS = Set.of("billing", "pay", "my", "bill", "technical", "support", "twenty", "one",
            "don't", "public", "grammar", "import");

    static JSGFRuleGrammar parse(String jsgf) throws Exception {
        return JSGFParser.newGrammarFromJSGF(new StringReader(jsgf), new JSGFRuleGrammarFactory(new JSGFRuleGrammarManager()));
    }

    @Test
    void phrasesBecomeOnePublicRuleOfQuotedWords() throws Exception {
        SphinxGrammar g = SphinxGrammar.compile(List.of("Billing", "pay my bill!", "technical  support"), WORDS::contains, Locale.US);
        assertThat(g.jsgf()).isEqualTo("""
                #JSGF V1.0;
                grammar ivr;
                public <phrase> = "billing"
                    | "pay" "my" "bill"
                    | "technical" "support";
                """);
        JSGFRuleGrammar parsed = parse(g.jsgf());
        assertThat(parsed.getRuleNames()).containsExactly("phrase");
        assertThat(parsed.isRulePublic("phrase")).isTrue();
        // what the decoder returns maps back to the phrase as the flow wrote it
        assertThat(g.phraseOf("pay my bill")).isEqualTo("pay my bill!");
        assertThat(g.phraseOf("technical support")).isEqualTo("technical  support");
        assertThat(g.phraseOf("<unk>")).isNull();
    }

    @Test
    void jsgfSyntaxInAPhraseIsOnlyWords() throws Exception {
        SphinxGrammar g = SphinxGrammar.compile(List.of("public <bill>; import \"grammar\" | {my} = *don't*"),
                WORDS::contains, Locale.US);
        assertThat(g.jsgf()).contains("public <phrase> = \"public\" \"bill\" \"import\" \"grammar\" \"my\" \"don't\";");
        JSGFRuleGrammar parsed = parse(g.jsgf());
        assertThat(parsed.getRuleNames()).containsExactly("phrase");
        assertThat(parsed.getRule("phrase").toString()).contains("public").contains("don't");
        assertThat(SphinxGrammar.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }

    @Test
    void numbersAreSpelledOutInTheModelsLanguage() {
        SphinxGrammar g = SphinxGrammar.compile(List.of("21"), WORDS::contains, Locale.US);
        assertThat(g.jsgf()).contains("\"twenty\" \"one\"");
        assertThat(g.phraseOf("twenty one")).isEqualTo("21");
    }

    @Test
    void aPhraseWithAWordTheDictionaryLacksIsLeftOutAndNamed() {
        SphinxGrammar g = SphinxGrammar.compile(List.of("billing", "facturación", "pay my invoice"), WORDS::contains, Locale.US);
        assertThat(g.jsgf()).contains("\"billing\"").doesNotContain("pay");
        assertThat(g.unknown()).extracting(Object::toString).containsExactly("facturación (facturación)", "pay my invoice (invoice)");
        assertThat(SphinxGrammar.compile(List.of("facturación"), WORDS::contains, Locale.US).isEmpty()).isTrue();
    }

    @Test
    void phrasesThatSayTheSameAreOneAlternative() {
        SphinxGrammar g = SphinxGrammar.compile(List.of("Billing", "billing.", "", "  "), WORDS::contains, Locale.US);
        assertThat(g.jsgf()).containsOnlyOnce("\"billing\"");
        assertThat(g.phraseOf("billing")).isEqualTo("Billing");
    }
}
