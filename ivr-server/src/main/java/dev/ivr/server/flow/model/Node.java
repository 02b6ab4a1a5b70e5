package dev.ivr.server.flow.model;

import dev.ivr.server.flow.yaml.Problem.Pos;
import dev.ivr.server.flow.expr.Expr;
import dev.ivr.server.flow.expr.Template;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** A step of a flow. Each type is a record; {@link #edges()} lists where it can go next. */
public sealed interface Node {

    /** What every node has: id, type name, position, description, optional log line. */
    record Info(String id, String type, Pos pos, String description, Template log) {
    }

    Info info();

    default String id() {
        return info().id();
    }

    default String type() {
        return info().type();
    }

    /** Every way out, in the order written. */
    List<Edge> edges();

    /** Whether the node waits for keys from the caller. */
    default boolean takesInput() {
        return false;
    }

    /** What happens on no input / an invalid key: a prompt, then the node again, or {@code next} at once. */
    record Reprompt(PromptRef prompt, String next, Pos pos) {
    }

    record Say(Info info, PromptRef prompt, boolean bargeIn, String next, Pos nextPos) implements Node {
        @Override
        public List<Edge> edges() {
            return List.of(new Edge("next", next, Edge.Kind.NEXT, nextPos));
        }
    }

    record Play(Info info, String sound, String transcript, boolean bargeIn, String next, Pos nextPos) implements Node {
        @Override
        public List<Edge> edges() {
            return List.of(new Edge("next", next, Edge.Kind.NEXT, nextPos));
        }
    }

    /**
     * A menu: a key (or, with {@code speech}, a phrase) picks an option.
     *
     * @param speech null for a menu of keys only
     */
    record Menu(Info info, PromptRef prompt, Map<String, String> options, Map<String, Pos> optionPos, Duration timeout,
                int retries, boolean bargeIn, Reprompt noInput, Reprompt invalid, String fallback, Pos fallbackPos,
                String into, MenuSpeech speech) implements Node {
        @Override
        public List<Edge> edges() {
            List<Edge> out = new ArrayList<>();
            options.forEach((k, v) -> out.add(new Edge(k, v, Edge.Kind.KEY, optionPos.get(k))));
            if (noInput != null && noInput.next() != null) {
                out.add(new Edge("no input", noInput.next(), Edge.Kind.FAILURE, noInput.pos()));
            }
            if (invalid != null && invalid.next() != null) {
                out.add(new Edge("invalid", invalid.next(), Edge.Kind.FAILURE, invalid.pos()));
            }
            out.add(new Edge("retries used up", fallback, Edge.Kind.FAILURE, fallbackPos));
            return out;
        }

        @Override
        public boolean takesInput() {
            return true;
        }
    }

    /**
     * Speech as an alternative to keys in a menu, where the call's language has a speech model.
     *
     * @param prompt        said instead of the menu's prompt while speech is on ("press 1 or say billing"); null: the menu's
     * @param phrases       per language, phrase → option key
     * @param minConfidence recognitions below it count as not understood (0..1)
     */
    record MenuSpeech(PromptRef prompt, Phrases phrases, double minConfidence, Pos pos) {
    }

    /**
     * What callers may say, per language: each phrase as written, with the value it stands for
     * (synonyms share a value). Empty for free text.
     */
    record Phrases(Map<String, Map<String, String>> byLanguage) {
        public static final Phrases FREE_TEXT = new Phrases(Map.of());

        public boolean freeText() {
            return byLanguage.isEmpty();
        }

        /** The phrases of a language, as written (empty when it has none). */
        public List<String> list(String language) {
            Map<String, String> m = byLanguage.get(language);
            return m == null ? List.of() : List.copyOf(m.keySet());
        }

        public boolean has(String language) {
            return byLanguage.containsKey(language);
        }

        /** The value of a phrase (as returned by the recognizer: one of {@link #list}), or null. */
        public String value(String language, String phrase) {
            Map<String, String> m = byLanguage.get(language);
            return m == null ? null : m.get(phrase);
        }

        /** Every value, in order of first appearance. */
        public java.util.Set<String> values() {
            java.util.Set<String> out = new java.util.LinkedHashSet<>();
            byLanguage.values().forEach(m -> out.addAll(m.values()));
            return out;
        }
    }

    /**
     * Listens to the caller (speech recognition): phrases of a grammar, or free text. The result
     * goes into {@code inputs.INTO} ({@code next}, {@code value}, {@code confidence}, {@code key}).
     *
     * @param options    value → node (phrases whose value has no option go to {@code next})
     * @param keys       key → node: keys that end listening (and stop the prompt when {@code bargeIn})
     * @param timeout    no input after this; null for speech.no-input-timeout (likewise endSilence, maxDuration)
     * @param onError    where to go when speech cannot be recognised now (null: {@code fallback})
     */
    record Listen(Info info, PromptRef prompt, Phrases phrases, Map<String, String> options, Map<String, Pos> optionPos,
                  Map<String, String> keys, Map<String, Pos> keyPos, Duration timeout, Duration endSilence,
                  Duration maxDuration, double minConfidence, String into, int retries, boolean bargeIn,
                  Reprompt noInput, Reprompt noMatch, String onError, Pos onErrorPos, String fallback, Pos fallbackPos,
                  String next, Pos nextPos) implements Node {
        @Override
        public List<Edge> edges() {
            List<Edge> out = new ArrayList<>();
            options.forEach((v, t) -> out.add(new Edge(v, t, Edge.Kind.SPEECH, optionPos.get(v))));
            if (next != null) {
                out.add(new Edge(options.isEmpty() ? "recognised" : "other phrase", next, Edge.Kind.SPEECH, nextPos));
            }
            keys.forEach((k, t) -> out.add(new Edge(k, t, Edge.Kind.KEY, keyPos.get(k))));
            if (noInput != null && noInput.next() != null) {
                out.add(new Edge("no input", noInput.next(), Edge.Kind.FAILURE, noInput.pos()));
            }
            if (noMatch != null && noMatch.next() != null) {
                out.add(new Edge("no match", noMatch.next(), Edge.Kind.FAILURE, noMatch.pos()));
            }
            if (onError != null) {
                out.add(new Edge("no speech", onError, Edge.Kind.FAILURE, onErrorPos));
            }
            out.add(new Edge("retries used up", fallback, Edge.Kind.FAILURE, fallbackPos));
            return out;
        }

        @Override
        public boolean takesInput() {
            return true;
        }
    }

    record Collect(Info info, PromptRef prompt, String into, int minLength, int maxLength, String terminator,
                   Duration timeout, Duration interDigitTimeout, Pattern pattern, boolean luhn, Expr condition,
                   int retries, boolean bargeIn, boolean secret, Reprompt noInput, Reprompt invalid,
                   String fallback, Pos fallbackPos, String next, Pos nextPos) implements Node {
        @Override
        public List<Edge> edges() {
            List<Edge> out = new ArrayList<>();
            out.add(new Edge("valid", next, Edge.Kind.KEY, nextPos));
            if (noInput != null && noInput.next() != null) {
                out.add(new Edge("no input", noInput.next(), Edge.Kind.FAILURE, noInput.pos()));
            }
            if (invalid != null && invalid.next() != null) {
                out.add(new Edge("invalid", invalid.next(), Edge.Kind.FAILURE, invalid.pos()));
            }
            out.add(new Edge("retries used up", fallback, Edge.Kind.FAILURE, fallbackPos));
            return out;
        }

        @Override
        public boolean takesInput() {
            return true;
        }
    }

    record SetVars(Info info, Map<String, Expr> vars, Template language, Map<String, Template> channel, String next,
                   Pos nextPos) implements Node {
        @Override
        public List<Edge> edges() {
            return List.of(new Edge("next", next, Edge.Kind.NEXT, nextPos));
        }
    }

    record Condition(Expr test, String next, Pos pos) {
    }

    record Branch(Info info, List<Condition> conditions, String otherwise, Pos elsePos) implements Node {
        @Override
        public List<Edge> edges() {
            List<Edge> out = new ArrayList<>();
            conditions.forEach(c -> out.add(new Edge(c.test().source(), c.next(), Edge.Kind.CONDITION, c.pos())));
            out.add(new Edge("else", otherwise, Edge.Kind.ELSE, elsePos));
            return out;
        }
    }

    /** To another node ({@code node}) or into another flow for good ({@code flow}). */
    record Goto(Info info, String node, String flow, Pos targetPos) implements Node {
        @Override
        public List<Edge> edges() {
            return node == null ? List.of() : List.of(new Edge("next", node, Edge.Kind.NEXT, targetPos));
        }
    }

    record Subflow(Info info, String flow, Pos flowPos, Map<String, Expr> args, Map<String, String> outcomes,
                   Map<String, Pos> outcomePos, String next, Pos nextPos) implements Node {
        @Override
        public List<Edge> edges() {
            List<Edge> out = new ArrayList<>();
            outcomes.forEach((k, v) -> out.add(new Edge(k, v, Edge.Kind.OUTCOME, outcomePos.get(k))));
            out.add(new Edge("returned", next, Edge.Kind.NEXT, nextPos));
            return out;
        }
    }

    record Return(Info info, String outcome) implements Node {
        @Override
        public List<Edge> edges() {
            return List.of();
        }
    }

    /** Outcome edges by outcome name ("open", "identified", "ok", ...), plus an optional default. */
    record Outcomes(Map<String, String> targets, Map<String, Pos> pos, String next, Pos nextPos) {
        public String target(String outcome) {
            return targets.getOrDefault(outcome, next);
        }

        List<Edge> edges() {
            List<Edge> out = new ArrayList<>();
            targets.forEach((k, v) -> out.add(new Edge(k, v, Edge.Kind.OUTCOME, pos.get(k))));
            if (next != null) {
                out.add(new Edge(targets.isEmpty() ? "next" : "otherwise", next, Edge.Kind.OUTCOME, nextPos));
            }
            return out;
        }
    }

    record Hours(Info info, String calendar, Pos calendarPos, Outcomes outcomes) implements Node {
        @Override
        public List<Edge> edges() {
            return outcomes.edges();
        }
    }

    record Identify(Info info, Template number, Outcomes outcomes) implements Node {
        @Override
        public List<Edge> edges() {
            return outcomes.edges();
        }
    }

    record Authenticate(Info info, Template account, PromptRef accountPrompt, PromptRef pinPrompt,
                        PromptRef failedPrompt, int accountMaxLength, int pinMaxLength, int attempts,
                        Duration timeout, Outcomes outcomes) implements Node {
        @Override
        public List<Edge> edges() {
            return outcomes.edges();
        }

        @Override
        public boolean takesInput() {
            return true;
        }
    }

    record Announcement(PromptRef prompt, Duration every, boolean position, String music) {
    }

    /**
     * The callback option of a route node: {@code key} while waiting, {@code prompt} to confirm
     * with {@code confirmKey}; {@code number} to call back (null: the caller's number).
     */
    record CallbackOption(String key, PromptRef prompt, String confirmKey, Template number) {
    }

    record Route(Info info, String queue, Map<String, Integer> skills, int priority, Map<String, Template> context,
                 Duration maxWait, Announcement announcement, Map<String, String> waitOptions,
                 Map<String, Pos> waitOptionPos, Outcomes outcomes, Template intent, CallbackOption callback)
            implements Node {
        @Override
        public List<Edge> edges() {
            List<Edge> out = new ArrayList<>();
            waitOptions.forEach((k, v) -> out.add(new Edge(k, v, Edge.Kind.KEY, waitOptionPos.get(k))));
            out.addAll(outcomes.edges());
            return out;
        }
    }

    record Transfer(Info info, Template to, String context, Duration timeout, String onFailure, Pos failurePos,
                    String next, Pos nextPos) implements Node {
        @Override
        public List<Edge> edges() {
            List<Edge> out = new ArrayList<>();
            if (onFailure != null) {
                out.add(new Edge("failure", onFailure, Edge.Kind.OUTCOME, failurePos));
            }
            if (next != null) {
                out.add(new Edge("after the call", next, Edge.Kind.NEXT, nextPos));
            }
            return out;
        }
    }

    /**
     * Asks another system: a GET or POST to an endpoint named in the configuration
     * ({@code integrations.endpoints}), its answer's fields mapped into flow variables.
     *
     * @param path    appended to the endpoint's base URL; its {@code ${...}} values are percent-encoded
     * @param query   query parameters (templates; encoded)
     * @param body    the JSON body of a POST: maps, lists, literals and {@link Template}s (rendered, then
     *                written as JSON strings); null: none
     * @param vars    flow variable → expression over {@code response} ({@code status}, {@code body})
     * @param timeout null: the endpoint's
     * @param onTimeout null: {@code onError}
     */
    record Http(Info info, String endpoint, Pos endpointPos, String method, Template path, Map<String, Template> query,
                Object body, Map<String, Expr> vars, Duration timeout, String onError, Pos onErrorPos,
                String onTimeout, Pos onTimeoutPos, String next, Pos nextPos) implements Node {
        @Override
        public List<Edge> edges() {
            List<Edge> out = new ArrayList<>();
            out.add(new Edge("answered", next, Edge.Kind.NEXT, nextPos));
            out.add(new Edge("error", onError, Edge.Kind.FAILURE, onErrorPos));
            if (onTimeout != null) {
                out.add(new Edge("timeout", onTimeout, Edge.Kind.FAILURE, onTimeoutPos));
            }
            return out;
        }
    }

    /**
     * Books a reminder for the call's identified or authenticated customer: the campaign calls them
     * at the time given (as {@code POST /api/reminders}).
     *
     * @param in   an offset from now (null: none); with {@code at}, the day it reaches
     * @param at   a clock time in the customer's zone (null: none)
     * @param time a written ISO time (null: {@code in}/{@code at} give it)
     */
    record Remind(Info info, String campaign, Pos campaignPos, Duration in, java.time.LocalTime at, Template time,
                  String next, Pos nextPos, String onError, Pos onErrorPos) implements Node {
        @Override
        public List<Edge> edges() {
            return List.of(new Edge("booked", next, Edge.Kind.NEXT, nextPos),
                    new Edge("error", onError, Edge.Kind.FAILURE, onErrorPos));
        }
    }

    record Voicemail(Info info, Template mailbox, String options, String next, Pos nextPos) implements Node {
        @Override
        public List<Edge> edges() {
            return next == null ? List.of() : List.of(new Edge("next", next, Edge.Kind.NEXT, nextPos));
        }
    }

    record Record(Info info, PromptRef prompt, String into, Template file, String format, Duration maxDuration,
                  Duration silence, boolean beep, String next, Pos nextPos) implements Node {
        @Override
        public List<Edge> edges() {
            return List.of(new Edge("next", next, Edge.Kind.NEXT, nextPos));
        }
    }

    record Hangup(Info info, String outcome) implements Node {
        @Override
        public List<Edge> edges() {
            return List.of();
        }
    }
}
