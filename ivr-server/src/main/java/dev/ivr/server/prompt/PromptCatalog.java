package dev.ivr.server.prompt;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The prompt catalogs: {@code prompts/<language>/*.yaml}, each a mapping of prompt id to
 * either a text, or a mapping with {@code text}, {@code audio} (a recording in the language
 * directory) and/or {@code sound} (a sound Asterisk has):
 *
 * <pre>
 * welcome: Welcome to Example Corp.
 * greet-known: Hello ${customer.first_name}, welcome back.
 * hold:
 *   audio: audio/hold.wav
 *   text: Please hold.
 * goodbye:
 *   sound: vm-goodbye
 *   text: Goodbye.
 * </pre>
 *
 * Immutable: a reload builds a new catalog.
 */
public final class PromptCatalog {
    private static final Set<String> KEYS = Set.of("text", "audio", "sound", "fallback");
    private static final YAMLFactory YAML = YAMLFactory.builder().loaderOptions(safe()).build();

    private final Path root;
    private final Map<String, Map<String, PromptEntry>> byLanguage;

    private PromptCatalog(Path root, Map<String, Map<String, PromptEntry>> byLanguage) {
        this.root = root;
        this.byLanguage = byLanguage;
    }

    /** An empty catalog (no prompts directory). */
    public static PromptCatalog empty() {
        return new PromptCatalog(null, Map.of());
    }

    /**
     * Loads every {@code <language>/*.yaml} under {@code promptsDir}.
     *
     * @throws PromptCatalogException listing every problem with file:line:column
     */
    public static PromptCatalog load(Path promptsDir) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, PromptEntry>> all = new TreeMap<>();
        if (!Files.isDirectory(promptsDir)) {
            return new PromptCatalog(promptsDir, Map.of());
        }
        try (Stream<Path> langs = Files.list(promptsDir)) {
            for (Path langDir : langs.filter(Files::isDirectory).sorted().toList()) {
                String lang = langDir.getFileName().toString();
                if (!lang.matches("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")) {
                    problems.add(langDir + ": not a language code directory (e.g. en, hu, pt-BR)");
                    continue;
                }
                Map<String, PromptEntry> entries = new LinkedHashMap<>();
                try (Stream<Path> files = Files.list(langDir)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                            .sorted().toList()) {
                        parseFile(f, lang, langDir, entries, problems);
                    }
                }
                for (PromptEntry e : entries.values()) {
                    if (e.fallback() != null && (!entries.containsKey(e.fallback()) || e.fallback().equals(e.id())
                            || entries.get(e.fallback()).fallback() != null)) {
                        problems.add(e.location() + ": fallback of '" + e.id() + "' must be another prompt of " + lang
                                + " without a fallback of its own" + dev.ivr.server.text.DidYouMean.suffix(e.fallback(),
                                entries.keySet()));
                    }
                }
                all.put(lang, Collections.unmodifiableMap(entries));
            }
        } catch (IOException e) {
            problems.add(promptsDir + ": cannot read: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new PromptCatalogException(problems);
        }
        return new PromptCatalog(promptsDir, Collections.unmodifiableMap(all));
    }

    private static void parseFile(Path file, String lang, Path langDir, Map<String, PromptEntry> entries,
                                  List<String> problems) throws IOException {
        if (Files.size(file) > 2_000_000) {
            problems.add(file + ":1:1: prompt catalog larger than 2 MB");
            return;
        }
        try (JsonParser p = YAML.createParser(Files.readString(file))) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return; // empty file
            }
            if (t != JsonToken.START_OBJECT) {
                problems.add(at(file, p) + ": a prompt catalog maps prompt ids to texts or to {text, audio, sound}");
                return;
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String id = p.currentName();
                JsonLocation idLoc = p.currentTokenLocation();
                String where = file + ":" + idLoc.getLineNr() + ":" + idLoc.getColumnNr();
                if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                    problems.add(where + ": prompt id '" + id + "' may use letters, digits, '.', '_' and '-'");
                }
                String text = null;
                String audio = null;
                String sound = null;
                String fallback = null;
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_STRING) {
                    text = p.getText();
                } else if (v == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        String keyWhere = at(file, p);
                        JsonToken kv = p.nextToken();
                        if (!KEYS.contains(key)) {
                            problems.add(keyWhere + ": unknown key '" + key + "'" + dev.ivr.server.text.DidYouMean.suffix(key, KEYS)
                                    + " (use text, audio, sound or fallback)");
                            p.skipChildren();
                            continue;
                        }
                        if (kv != JsonToken.VALUE_STRING) {
                            problems.add(keyWhere + ": " + key + " must be a text");
                            p.skipChildren();
                            continue;
                        }
                        switch (key) {
                            case "text" -> text = p.getText();
                            case "audio" -> audio = p.getText();
                            case "fallback" -> fallback = p.getText();
                            default -> sound = p.getText();
                        }
                    }
                } else {
                    problems.add(where + ": prompt '" + id + "' must be a text or a mapping of text/audio/sound");
                    p.skipChildren();
                    continue;
                }
                if (blank(text) && blank(audio) && blank(sound)) {
                    problems.add(where + ": prompt '" + id + "' is empty");
                    continue;
                }
                if (!blank(audio)) {
                    Path a = langDir.resolve(audio).normalize();
                    if (!a.startsWith(langDir.normalize())) {
                        problems.add(where + ": audio of '" + id + "' must stay inside " + langDir);
                    } else if (!Files.isRegularFile(a)) {
                        problems.add(where + ": audio file of '" + id + "' not found: " + a);
                    }
                }
                if (id.startsWith("say.count.") && (blank(text) || !text.strip().matches("masculine|feminine|neuter"))) {
                    problems.add(where + ": '" + id + "' is the grammatical gender of a counted noun: masculine, feminine"
                            + " or neuter");
                    continue;
                }
                if (!blank(sound) && !sound.matches("[A-Za-z0-9_/.-]+") || !blank(sound) && sound.contains("..")) {
                    problems.add(where + ": sound '" + sound + "' is not an Asterisk sound name");
                }
                PromptEntry prev = entries.get(id);
                if (prev != null) {
                    problems.add(where + ": prompt '" + id + "' is already defined at " + prev.location());
                    continue;
                }
                entries.put(id, new PromptEntry(id, lang, blank(text) ? null : text, blank(audio) ? null : audio,
                        blank(sound) ? null : sound, file, idLoc.getLineNr(), idLoc.getColumnNr(),
                        blank(fallback) ? null : fallback.strip()));
            }
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            problems.add(file + (l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr()) + ": not valid YAML: "
                    + e.getOriginalMessage());
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String at(Path file, JsonParser p) {
        JsonLocation l = p.currentTokenLocation();
        return file + ":" + l.getLineNr() + ":" + l.getColumnNr();
    }

    private static org.yaml.snakeyaml.LoaderOptions safe() {
        org.yaml.snakeyaml.LoaderOptions o = new org.yaml.snakeyaml.LoaderOptions();
        o.setMaxAliasesForCollections(10);
        o.setCodePointLimit(2_000_000);
        o.setNestingDepthLimit(10);
        return o;
    }

    /** The prompt in that language, if the catalog has it. */
    public Optional<PromptEntry> find(String id, String language) {
        Map<String, PromptEntry> m = byLanguage.get(language);
        return m == null ? Optional.empty() : Optional.ofNullable(m.get(id));
    }

    /** Languages with a catalog. */
    public Set<String> languages() {
        return byLanguage.keySet();
    }

    /** Every prompt of a language, by id. */
    public Map<String, PromptEntry> prompts(String language) {
        return byLanguage.getOrDefault(language, Map.of());
    }

    /** The directory of a language's catalog (recordings are relative to it). */
    public Path languageDir(String language) {
        return root == null ? null : root.resolve(language);
    }
}
