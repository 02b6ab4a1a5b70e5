package dev.ivr.server.flow.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the caller gave: collected inputs (secrets masked; their values kept apart, never checkpointed), listen
 * answers, keys typed ahead of the input that takes them, and whether speech failed on this call.
 */
final class Inputs {
    static final String MASK = "****";

    /** Every input by name as the contact history sees it (a secret as {@link #MASK}). */
    final Map<String, String> values = new LinkedHashMap<>();
    final Map<String, String> secrets = new LinkedHashMap<>();
    /** Answers of listen nodes as expressions see them: inputs.NAME.text, .value, .confidence, .key */
    final Map<String, Map<String, Object>> answers = new LinkedHashMap<>();
    /** Keys typed before the input that takes them (barge-in, or while a prompt was rendered), oldest first. */
    private String typeAhead = "";
    /** Speech failed on this call (no AudioSocket, a broken model): menus take keys only from now on. */
    boolean speechOff;

    void input(String name, String value, boolean secret) {
        if (name == null) {
            return;
        }
        if (secret) {
            secrets.put(name, value);
            values.put(name, MASK);
        } else {
            values.put(name, value);
        }
    }

    /** A listen node's answer: its value goes into the contact history, all of it to expressions. */
    void answer(String name, String text, String value, double confidence, String key) {
        if (name == null) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", text);
        m.put("value", value);
        m.put("confidence", confidence);
        m.put("key", key);
        answers.put(name, m);
        values.put(name, value);
    }

    /** The inputs expressions read: values (secrets masked) and listen answers. */
    Map<String, Object> forExpressions() {
        Map<String, Object> in = new LinkedHashMap<>(values);
        in.putAll(answers);
        return in;
    }

    /** The inputs a checkpoint keeps: the secrets' names left out altogether. */
    Map<String, String> withoutSecrets() {
        Map<String, String> out = new LinkedHashMap<>(values);
        secrets.forEach((name, secret) -> out.remove(name)); // no keySet(): the map would keep the view for the call
        return out;
    }

    void typeAhead(char key) {
        typeAhead = typeAhead + key;
    }

    boolean hasTypeAhead() {
        return !typeAhead.isEmpty();
    }

    /** The oldest key typed ahead, taken. */
    Optional<Character> takeTypeAhead() {
        if (typeAhead.isEmpty()) {
            return Optional.empty();
        }
        char k = typeAhead.charAt(0);
        typeAhead = typeAhead.substring(1);
        return Optional.of(k);
    }
}
