package dev.ivr.server.flow.engine;

import dev.ivr.server.config.LanguagesConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The language a call starts in by the number dialled ({@code languages.by-dnis}): an exact
 * number first, else the longest prefix ({@code 36*}), else {@code *}.
 */
public final class LanguageByDnis {
    public static final LanguageByDnis NONE = new LanguageByDnis(Map.of());

    private final Map<String, String> exact = new HashMap<>();
    private final List<Map.Entry<String, String>> prefixes = new ArrayList<>();

    private LanguageByDnis(Map<String, String> byDnis) {
        byDnis.forEach((number, lang) -> {
            String n = LanguagesConfig.normalise(number);
            if (n.endsWith("*")) {
                prefixes.add(Map.entry(n.substring(0, n.length() - 1), lang));
            } else {
                exact.put(n, lang);
            }
        });
        prefixes.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
    }

    public static LanguageByDnis of(LanguagesConfig config) {
        return config == null || config.byDnis().isEmpty() ? NONE : new LanguageByDnis(config.byDnis());
    }

    /** The language for calls to this number, if the configuration sets one. */
    public Optional<String> languageFor(String dnis) {
        if (exact.isEmpty() && prefixes.isEmpty()) {
            return Optional.empty();
        }
        String n = LanguagesConfig.normalise(dnis);
        String lang = exact.get(n);
        if (lang != null) {
            return Optional.of(lang);
        }
        for (Map.Entry<String, String> p : prefixes) {
            if (n.startsWith(p.getKey())) {
                return Optional.of(p.getValue());
            }
        }
        return Optional.empty();
    }
}
