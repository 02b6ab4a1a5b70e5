package dev.ivr.routing;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Validation and normalisation shared by the public records. */
final class Skills {
    static final int MIN_LEVEL = 1;
    static final int MAX_LEVEL = 10;

    private Skills() {
    }

    /** Copies a skill map, checking names and levels (1..10, or 0..10 when {@code allowZero}). */
    static Map<String, Integer> levels(Map<String, Integer> skills, boolean allowZero, String what) {
        if (skills == null || skills.isEmpty()) {
            return Map.of();
        }
        Map<String, Integer> copy = new LinkedHashMap<>();
        skills.forEach((name, level) -> {
            String skill = name(name, what);
            Objects.requireNonNull(level, () -> what + ": level of " + skill + " is null");
            int min = allowZero ? 0 : MIN_LEVEL;
            if (level < min || level > MAX_LEVEL) {
                throw new IllegalArgumentException(
                        what + ": level of skill '" + skill + "' must be " + min + ".." + MAX_LEVEL + ", was " + level);
            }
            copy.put(skill, level);
        });
        return java.util.Collections.unmodifiableMap(copy);
    }

    static String name(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + ": blank skill name");
        }
        return name.strip();
    }

    static Set<String> languages(Set<String> languages) {
        if (languages == null || languages.isEmpty()) {
            return Set.of();
        }
        Set<String> copy = new LinkedHashSet<>();
        for (String language : languages) {
            String normalised = language(language);
            if (normalised != null) {
                copy.add(normalised);
            }
        }
        return java.util.Collections.unmodifiableSet(copy);
    }

    /** Lower-cases a language tag; blank means none. */
    static String language(String language) {
        return language == null || language.isBlank() ? null : language.strip().toLowerCase(Locale.ROOT);
    }

    static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }
}
