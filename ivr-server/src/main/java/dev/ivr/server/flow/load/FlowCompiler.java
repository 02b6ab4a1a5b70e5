package dev.ivr.server.flow.load;

import dev.ivr.server.crm.attributes.AttributeSchema;
import dev.ivr.server.flow.yaml.Problem;
import dev.ivr.server.flow.yaml.Problem.Pos;
import dev.ivr.server.flow.expr.Expr;
import dev.ivr.server.flow.expr.ExprEnv;
import dev.ivr.server.flow.expr.ExprException;
import dev.ivr.server.flow.expr.Template;
import dev.ivr.server.flow.hours.Calendars;
import dev.ivr.server.flow.model.Flow;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.flow.model.Node.Info;
import dev.ivr.server.flow.model.Node.Outcomes;
import dev.ivr.server.flow.model.Node.Reprompt;
import dev.ivr.server.flow.model.PromptRef;
import dev.ivr.server.flow.yaml.YamlDoc;
import dev.ivr.server.prompt.PromptCatalog;
import dev.ivr.server.prompt.PromptEntry;
import dev.ivr.server.speech.ListenRequest;
import dev.ivr.server.speech.RecognizerFactory;
import dev.ivr.server.speech.SpeechModels;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.Locale;

/**
 * Turns a flow file into a checked {@link Flow}: JSON Schema first, then every expression and
 * template compiled (CEL, type-checked), every prompt looked up in the catalog for each
 * language the flow offers, calendars and other flows resolved, then the graph checks of
 * {@link FlowChecks}. Every problem has its file:line:column.
 */
public final class FlowCompiler {
    private static final Pattern SECRET_REF_TEMPLATE = Pattern.compile("\\binputs\\s*(\\.\\s*%1$s\\b|\\[\\s*[\"']%1$s[\"']\\s*])");

    /**
     * What a flow is checked against; {@code speech}: the languages speech can be recognised in.
     *
     * @param inputNames the {@code into} names of every flow of the set (inputs are the call's:
     *                   a subflow's are read by its callers); empty: this flow's own only
     * @param attributes the declared customer attributes ({@code crm.attributes}): expressions
     *                   naming others, or comparing them in ways that fail, get warnings
     * @param endpoints  the endpoint names of the configuration ({@code integrations.endpoints}) that
     *                   {@code http} nodes may name; null: not known here, not checked
     * @param campaigns  the campaign names of the configuration ({@code outbound.campaigns}) that
     *                   {@code remind} nodes may name; null: not known here, not checked
     */
    public record Context(PromptCatalog prompts, Calendars calendars, Set<String> flowNames, SpeechModels speech,
                          Set<String> inputNames, AttributeSchema attributes, Set<String> endpoints, Set<String> campaigns) {
        public Context {
            speech = speech == null ? SpeechModels.NONE : speech;
            inputNames = inputNames == null ? Set.of() : Set.copyOf(inputNames);
            attributes = attributes == null ? AttributeSchema.NONE : attributes;
            endpoints = endpoints == null ? null : Set.copyOf(endpoints);
            campaigns = campaigns == null ? null : Set.copyOf(campaigns);
        }

        public Context(PromptCatalog prompts, Calendars calendars, Set<String> flowNames, SpeechModels speech,
                       Set<String> inputNames, AttributeSchema attributes, Set<String> endpoints) {
            this(prompts, calendars, flowNames, speech, inputNames, attributes, endpoints, null);
        }

        public Context(PromptCatalog prompts, Calendars calendars, Set<String> flowNames, SpeechModels speech,
                       Set<String> inputNames, AttributeSchema attributes) {
            this(prompts, calendars, flowNames, speech, inputNames, attributes, null);
        }

        public Context(PromptCatalog prompts, Calendars calendars, Set<String> flowNames, SpeechModels speech,
                       Set<String> inputNames) {
            this(prompts, calendars, flowNames, speech, inputNames, AttributeSchema.NONE);
        }

        public Context(PromptCatalog prompts, Calendars calendars, Set<String> flowNames, SpeechModels speech) {
            this(prompts, calendars, flowNames, speech, Set.of());
        }

        public Context(PromptCatalog prompts, Calendars calendars, Set<String> flowNames) {
            this(prompts, calendars, flowNames, SpeechModels.NONE);
        }
    }

    /** The fields of the maps every expression reads, as the engine fills them (CallState). */
    static final Map<String, Set<String>> FIELDS = Map.of(
            "call", Set.of("unique_id", "ani", "withheld", "caller_name", "dnis", "channel", "language", "context",
                    "extension", "args", "query", "vars"),
            "customer", Set.of("known", "id", "first_name", "last_name", "name", "tier", "language", "attributes", "matches"),
            "auth", Set.of("status", "account", "attempts_left", "ok"));
    private static final Pattern FIELD_REF = Pattern.compile(
            "(?<![\\w.])(call|customer|auth|inputs)\\s*(?:\\.\\s*([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*[\"']([^\"']*)[\"']\\s*])");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");

    /** The flow when it has no errors (warnings may remain), and every problem found. */
    public record Result(Flow flow, List<Problem> problems) {
        public boolean ok() {
            return flow != null;
        }
    }

    private final String name;
    private final YamlDoc doc;
    private final Path file;
    private final Context ctx;
    private final List<Problem> problems = new ArrayList<>();
    private ExprEnv env;
    private ExprEnv valueEnv;
    /** Expressions of an http node's vars: they read {@code response}. */
    private ExprEnv responseEnv;
    private List<String> languages = List.of("en");
    private final Set<String> secretInputs = new LinkedHashSet<>();
    private final Map<String, Template> promptTexts = new LinkedHashMap<>();
    private final Set<String> checkedPrompts = new LinkedHashSet<>();
    /** Names this flow collects into (inputs.NAME). */
    private final Set<String> inputNames = new LinkedHashSet<>();

    private FlowCompiler(String name, YamlDoc doc, Context ctx) {
        this.name = name;
        this.doc = doc;
        this.file = doc.file();
        this.ctx = ctx;
    }

    /** Reads, parses and checks a flow file. */
    public static Result compile(String name, Path file, Context ctx) {
        YamlDoc doc;
        try {
            doc = YamlDoc.read(file);
        } catch (YamlDoc.Failure f) {
            return new Result(null, List.of(f.problem()));
        }
        return compile(name, doc, ctx);
    }

    public static Result compile(String name, YamlDoc doc, Context ctx) {
        List<Problem> schema = FlowSchema.check(doc);
        if (!schema.isEmpty()) {
            return new Result(null, schema);
        }
        FlowCompiler c = new FlowCompiler(name, doc, ctx);
        Flow flow = c.build();
        if (flow != null) {
            c.problems.addAll(FlowChecks.check(flow));
        }
        List<Problem> all = new ArrayList<>(c.problems);
        all.sort(Problem.ORDER);
        boolean errors = all.stream().anyMatch(Problem::isError);
        return new Result(errors ? null : flow, List.copyOf(all));
    }

    // ------------------------------------------------------------------ flow

    private Flow build() {
        var root = doc.root();
        List<String> langs = new ArrayList<>();
        if (YamlDoc.get(root, "languages") instanceof SequenceNode s) {
            s.getValue().forEach(n -> langs.add(YamlDoc.text(n)));
        }
        if (!langs.isEmpty()) {
            languages = List.copyOf(langs);
        }
        for (String l : YamlDoc.get(root, "languages") == null ? List.<String>of() : languages) {
            if (!ctx.prompts().languages().contains(l)) {
                error(YamlDoc.get(root, "languages") == null ? root : YamlDoc.get(root, "languages"),
                        "language '" + l + "' has no prompt catalog (prompts/" + l + "/*.yaml)");
            }
        }
        // pre-pass: the flow's variables and its secret inputs
        Map<String, Object> variables = new LinkedHashMap<>();
        for (var e : YamlDoc.entries(YamlDoc.get(root, "variables"))) {
            variables.put(e.getKey().getValue(), scalarValue(e.getValue()));
        }
        Set<String> varNames = new LinkedHashSet<>(variables.keySet());
        org.snakeyaml.engine.v2.nodes.Node nodesNode = YamlDoc.get(root, "nodes");
        for (var e : YamlDoc.entries(nodesNode)) {
            var n = e.getValue();
            String type = YamlDoc.text(YamlDoc.get(n, "type"));
            if ("set".equals(type) || "http".equals(type)) {
                for (var v : YamlDoc.entries(YamlDoc.get(n, "vars"))) {
                    varNames.add(v.getKey().getValue());
                }
            }
            if (YamlDoc.text(YamlDoc.get(n, "into")) != null) {
                inputNames.add(YamlDoc.text(YamlDoc.get(n, "into")));
            }
            if ("collect".equals(type) && "true".equals(YamlDoc.text(YamlDoc.get(n, "secret")))) {
                secretInputs.add(YamlDoc.text(YamlDoc.get(n, "into")));
            }
        }
        for (String v : varNames) {
            variables.putIfAbsent(v, null);
        }
        env = new ExprEnv(varNames);
        valueEnv = new ExprEnv(varNames, Set.of("value"));
        responseEnv = new ExprEnv(varNames, Set.of("response"));

        List<String> channelVars = new ArrayList<>();
        if (YamlDoc.get(root, "channel-variables") instanceof SequenceNode s) {
            s.getValue().forEach(n -> channelVars.add(YamlDoc.text(n)));
        }
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (var e : YamlDoc.entries(nodesNode)) {
            Node node = node(e.getKey(), e.getValue());
            if (node != null) {
                nodes.put(node.id(), node);
            }
        }
        String start = YamlDoc.text(YamlDoc.get(root, "start"));
        return new Flow(name, file, doc.hash(), YamlDoc.text(YamlDoc.get(root, "description")), start,
                languages, java.util.Collections.unmodifiableMap(variables), List.copyOf(channelVars),
                java.util.Collections.unmodifiableMap(nodes), Set.copyOf(secretInputs), Map.copyOf(promptTexts));
    }

    private static Object scalarValue(org.snakeyaml.engine.v2.nodes.Node n) {
        if (!(n instanceof ScalarNode s)) {
            return null;
        }
        Tag t = s.getTag();
        try {
            if (t.equals(Tag.INT)) {
                return Long.parseLong(s.getValue().replace("_", ""));
            }
            if (t.equals(Tag.FLOAT)) {
                return Double.parseDouble(s.getValue());
            }
        } catch (NumberFormatException e) {
            return s.getValue();
        }
        if (t.equals(Tag.BOOL)) {
            return Boolean.parseBoolean(s.getValue().toLowerCase(Locale.ROOT));
        }
        if (t.equals(Tag.NULL)) {
            return null;
        }
        return s.getValue();
    }

    // ----------------------------------------------------------------- nodes

    private Node node(ScalarNode key, org.snakeyaml.engine.v2.nodes.Node n) {
        String id = key.getValue();
        String type = YamlDoc.text(YamlDoc.get(n, "type"));
        Template log = optionalTemplate(n, "log");
        Info info = new Info(id, type, YamlDoc.pos(key), YamlDoc.text(YamlDoc.get(n, "description")), log);
        return switch (type) {
            case "say" -> new Node.Say(info, prompt(n), bool(n, "barge-in", false), str(n, "next"), pos(n, "next"));
            case "play" -> new Node.Play(info, str(n, "sound"), str(n, "transcript"), bool(n, "barge-in", false),
                    str(n, "next"), pos(n, "next"));
            case "menu" -> menu(info, n);
            case "collect" -> collect(info, n);
            case "listen" -> listen(info, n);
            case "set" -> set(info, n);
            case "branch" -> branch(info, n);
            case "goto" -> {
                String flow = str(n, "flow");
                if (flow != null) {
                    checkFlow(n, "flow", flow);
                }
                yield new Node.Goto(info, str(n, "node"), flow, pos(n, flow == null ? "node" : "flow"));
            }
            case "subflow" -> subflow(info, n);
            case "return" -> new Node.Return(info, str(n, "outcome"));
            case "hours" -> {
                String cal = str(n, "calendar");
                if (ctx.calendars().find(cal).isEmpty()) {
                    error(YamlDoc.get(n, "calendar"), "no calendar '" + cal + "' in the calendars file"
                            + (ctx.calendars().names().isEmpty() ? " (none defined)" : " (known: "
                            + String.join(", ", ctx.calendars().names()) + ")"));
                }
                yield new Node.Hours(info, cal, pos(n, "calendar"), outcomes(n, "open", "closed", "holiday"));
            }
            case "identify" -> new Node.Identify(info, optionalTemplate(n, "number"),
                    outcomes(n, "identified", "ambiguous", "unknown", "withheld", "unavailable"));
            case "authenticate" -> authenticate(info, n);
            case "route" -> route(info, n);
            case "transfer" -> new Node.Transfer(info, optionalTemplate(n, "to"), strOr(n, "context", "from-internal"),
                    duration(n, "timeout", Duration.ofSeconds(30)), str(n, "on-failure"), pos(n, "on-failure"),
                    str(n, "next"), pos(n, "next"));
            case "voicemail" -> new Node.Voicemail(info, optionalTemplate(n, "mailbox"), strOr(n, "options", ""),
                    str(n, "next"), pos(n, "next"));
            case "record" -> new Node.Record(info, optionalPrompt(n), str(n, "into"), optionalTemplate(n, "file"),
                    strOr(n, "format", "wav"), duration(n, "max-duration", Duration.ofSeconds(60)),
                    duration(n, "silence", Duration.ofSeconds(3)), bool(n, "beep", true), str(n, "next"),
                    pos(n, "next"));
            case "hangup" -> new Node.Hangup(info, str(n, "outcome"));
            case "http" -> http(info, n);
            case "remind" -> remind(info, n);
            default -> {
                error(YamlDoc.get(n, "type"), "unknown node type '" + type + "'");
                yield null;
            }
        };
    }

    private Node menu(Info info, org.snakeyaml.engine.v2.nodes.Node n) {
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, Pos> optionPos = new LinkedHashMap<>();
        for (var e : YamlDoc.entries(YamlDoc.get(n, "options"))) {
            options.put(e.getKey().getValue(), YamlDoc.text(e.getValue()));
            optionPos.put(e.getKey().getValue(), YamlDoc.pos(e.getValue()));
        }
        return new Node.Menu(info, prompt(n), options, optionPos, duration(n, "timeout", Duration.ofSeconds(5)),
                integer(n, "retries", 2), bool(n, "barge-in", true), reprompt(n, "no-input"), reprompt(n, "invalid"),
                str(n, "fallback"), pos(n, "fallback"), str(n, "into"), menuSpeech(info, n, options));
    }

    // ---------------------------------------------------------------- speech

    /** A menu's optional {@code speech:} block: phrases per language and option key. */
    private Node.MenuSpeech menuSpeech(Info info, org.snakeyaml.engine.v2.nodes.Node n, Map<String, String> options) {
        var sp = YamlDoc.get(n, "speech");
        if (sp == null) {
            return null;
        }
        Node.Phrases phrases = phrases(YamlDoc.get(sp, "phrases"));
        for (var lang : YamlDoc.entries(YamlDoc.get(sp, "phrases"))) {
            for (var k : YamlDoc.entries(lang.getValue())) {
                if (!options.containsKey(k.getKey().getValue())) {
                    error(k.getKey(), "menu '" + info.id() + "': phrases for key '" + k.getKey().getValue()
                            + "', which is not an option of the menu");
                }
            }
        }
        // speech in a menu is optional: where it cannot be used the menu takes keys only; say so
        Pos at = YamlDoc.pos(YamlDoc.keyNode(n, "speech"));
        for (String lang : languages) {
            if (!phrases.has(lang)) {
                problems.add(Problem.note(file, at, "menu '" + info.id() + "' has no speech phrases for " + lang
                        + ": callers in " + lang + " use keys only"));
                continue;
            }
            RecognizerFactory.ModelStatus st = ctx.speech().status(lang);
            if (!st.available()) {
                problems.add(Problem.note(file, at, "menu '" + info.id() + "' takes keys only in " + lang + " here: "
                        + st.detail()));
            } else {
                unrecognisable("menu", info, at, lang, phrases);
            }
        }
        return new Node.MenuSpeech(promptId(sp, "prompt"), phrases, number(sp, "min-confidence", 0.5), at);
    }

    /** A warning for each phrase the language's recogniser can never hear (a word its dictionary lacks). */
    private void unrecognisable(String kind, Info info, Pos at, String lang, Node.Phrases phrases) {
        for (String why : ctx.speech().unrecognisable(lang, phrases.list(lang))) {
            problems.add(Problem.warning(file, at, kind + " '" + info.id() + "': " + why));
        }
    }

    private Node listen(Info info, org.snakeyaml.engine.v2.nodes.Node n) {
        var phrasesNode = YamlDoc.get(n, "phrases");
        Node.Phrases phrases = phrasesNode == null ? Node.Phrases.FREE_TEXT : phrases(phrasesNode);
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, Pos> optionPos = new LinkedHashMap<>();
        Set<String> values = phrases.values();
        for (var e : YamlDoc.entries(YamlDoc.get(n, "options"))) {
            String value = e.getKey().getValue();
            options.put(value, YamlDoc.text(e.getValue()));
            optionPos.put(value, YamlDoc.pos(e.getValue()));
            if (phrases.freeText()) {
                error(e.getKey(), "listen '" + info.id() + "': options need phrases (free text has no values to choose by)");
            } else if (!values.contains(value)) {
                error(e.getKey(), "listen '" + info.id() + "': option '" + value + "' is not the value of any phrase");
            }
        }
        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, Pos> keyPos = new LinkedHashMap<>();
        for (var e : YamlDoc.entries(YamlDoc.get(n, "keys"))) {
            keys.put(e.getKey().getValue(), YamlDoc.text(e.getValue()));
            keyPos.put(e.getKey().getValue(), YamlDoc.pos(e.getValue()));
        }
        String next = str(n, "next");
        if (next == null && (phrases.freeText() || !options.keySet().containsAll(values))) {
            problems.add(Problem.error(file, info.pos(), "listen '" + info.id() + "' needs 'next': where a recognised answer goes"
                    + (phrases.freeText() ? "" : " when its value has no option")));
        }
        // listening is what this node is for: every language of the flow needs a model
        for (String lang : languages) {
            if (!phrases.freeText() && !phrases.has(lang)) {
                error(YamlDoc.keyNode(n, "phrases"), "listen '" + info.id() + "' has no phrases for " + lang
                        + " (a language of this flow)");
                continue;
            }
            RecognizerFactory.ModelStatus st = ctx.speech().status(lang);
            if (!st.available()) {
                problems.add(Problem.error(file, info.pos(), "listen '" + info.id() + "' cannot listen in " + lang
                        + ": " + st.detail()));
            } else if (!phrases.freeText()) {
                unrecognisable("listen", info, info.pos(), lang, phrases);
            } else if (!st.freeText()) {
                problems.add(Problem.error(file, info.pos(), "listen '" + info.id() + "' takes free text, which cannot be"
                        + " recognised in " + lang + " here (" + st.detail() + "): give it phrases, or a Vosk model"
                        + " (speech.models." + lang + ")"));
            }
        }
        return new Node.Listen(info, optionalPrompt(n), phrases, options, optionPos, keys, keyPos,
                duration(n, "timeout", null), duration(n, "end-silence", null), duration(n, "max-duration", null),
                number(n, "min-confidence", 0.5), str(n, "into"), integer(n, "retries", 2), bool(n, "barge-in", true),
                reprompt(n, "no-input"), reprompt(n, "no-match"), str(n, "on-error"), pos(n, "on-error"),
                str(n, "fallback"), pos(n, "fallback"), next, pos(n, "next"));
    }

    /**
     * Phrases per language: {@code LANG: [phrase, ...]} (each phrase its own value) or
     * {@code LANG: {value: phrase | [phrase, ...]}}. Phrases are compared in normal form (case,
     * punctuation); one phrase cannot stand for two values.
     */
    private Node.Phrases phrases(org.snakeyaml.engine.v2.nodes.Node n) {
        Map<String, Map<String, String>> by = new LinkedHashMap<>();
        for (var e : YamlDoc.entries(n)) {
            String lang = e.getKey().getValue();
            if (!languages.contains(lang)) {
                error(e.getKey(), "phrases for " + lang + ", which is not a language of this flow (languages: "
                        + String.join(", ", languages) + ")");
                continue;
            }
            Map<String, String> byPhrase = new LinkedHashMap<>();
            Map<String, String> normal = new LinkedHashMap<>();
            if (e.getValue() instanceof SequenceNode seq) {
                seq.getValue().forEach(p -> addPhrase(p, YamlDoc.text(p), lang, byPhrase, normal));
            } else {
                for (var v : YamlDoc.entries(e.getValue())) {
                    String value = v.getKey().getValue();
                    if (v.getValue() instanceof SequenceNode seq) {
                        seq.getValue().forEach(p -> addPhrase(p, value, lang, byPhrase, normal));
                    } else {
                        addPhrase(v.getValue(), value, lang, byPhrase, normal);
                    }
                }
            }
            by.put(lang, java.util.Collections.unmodifiableMap(byPhrase));
        }
        return new Node.Phrases(java.util.Collections.unmodifiableMap(by));
    }

    private void addPhrase(org.snakeyaml.engine.v2.nodes.Node p, String value, String lang, Map<String, String> byPhrase,
                           Map<String, String> normal) {
        String phrase = YamlDoc.text(p);
        String norm = phrase == null ? "" : ListenRequest.normalise(phrase);
        if (norm.isEmpty()) {
            error(p, "a phrase needs at least one word");
            return;
        }
        String before = normal.putIfAbsent(norm, value);
        if (before != null && !before.equals(value)) {
            error(p, "the phrase '" + phrase + "' (" + lang + ") stands for both '" + before + "' and '" + value + "'");
        } else if (before == null) {
            byPhrase.put(phrase, value);
        }
    }

    private Node collect(Info info, org.snakeyaml.engine.v2.nodes.Node n) {
        int max = integer(n, "max-length", 16);
        int min = integer(n, "min-length", 1);
        if (min > max) {
            error(YamlDoc.get(n, "min-length"), "min-length " + min + " is more than max-length " + max);
        }
        var validate = YamlDoc.get(n, "validate");
        Pattern pattern = null;
        String regex = YamlDoc.text(YamlDoc.get(validate, "pattern"));
        if (regex != null) {
            try {
                pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                error(YamlDoc.get(validate, "pattern"), "not a regular expression: " + e.getDescription());
            }
        }
        Expr condition = null;
        var condNode = YamlDoc.get(validate, "condition");
        if (condNode != null) {
            condition = expr((ScalarNode) condNode, true, valueEnv);
        }
        String into = str(n, "into");
        return new Node.Collect(info, prompt(n), into, min, max, strOr(n, "terminator", "#"),
                duration(n, "timeout", Duration.ofSeconds(5)), duration(n, "inter-digit-timeout", Duration.ofSeconds(3)),
                pattern, bool(validate, "luhn", false), condition, integer(n, "retries", 2), bool(n, "barge-in", true),
                secretInputs.contains(into), reprompt(n, "no-input"), reprompt(n, "invalid"), str(n, "fallback"),
                pos(n, "fallback"), str(n, "next"), pos(n, "next"));
    }

    private Node set(Info info, org.snakeyaml.engine.v2.nodes.Node n) {
        Map<String, Expr> vars = new LinkedHashMap<>();
        for (var e : YamlDoc.entries(YamlDoc.get(n, "vars"))) {
            ScalarNode v = (ScalarNode) e.getValue();
            Object literal = scalarValue(v);
            Expr ex = literal instanceof String ? expr(v, false, env) : Expr.literal(literal);
            if (ex != null) {
                vars.put(e.getKey().getValue(), ex);
            }
        }
        Map<String, Template> channel = new LinkedHashMap<>();
        for (var e : YamlDoc.entries(YamlDoc.get(n, "channel"))) {
            Template t = template((ScalarNode) e.getValue(), "channel variable");
            if (t != null) {
                channel.put(e.getKey().getValue(), t);
            }
        }
        return new Node.SetVars(info, vars, optionalTemplate(n, "language"), channel, str(n, "next"), pos(n, "next"));
    }

    private Node http(Info info, org.snakeyaml.engine.v2.nodes.Node n) {
        String endpoint = str(n, "endpoint");
        if (ctx.endpoints() != null && !ctx.endpoints().contains(endpoint)) {
            error(YamlDoc.get(n, "endpoint"), "no endpoint named '" + endpoint + "' in integrations.endpoints of the"
                    + " configuration" + dev.ivr.server.text.DidYouMean.suffix(endpoint, ctx.endpoints())
                    + (ctx.endpoints().isEmpty() ? " (none configured)" : " (configured: "
                    + String.join(", ", new java.util.TreeSet<>(ctx.endpoints())) + ")"));
        }
        String method = strOr(n, "method", "GET");
        Map<String, Template> query = new LinkedHashMap<>();
        for (var e : YamlDoc.entries(YamlDoc.get(n, "query"))) {
            Template t = template((ScalarNode) e.getValue(), "query parameter");
            if (t != null) {
                query.put(e.getKey().getValue(), t);
            }
        }
        var bodyNode = YamlDoc.get(n, "body");
        if (bodyNode != null && !"POST".equals(method)) {
            error(YamlDoc.get(n, "body"), "a body is sent with method: POST only");
        }
        Map<String, Expr> vars = new LinkedHashMap<>();
        for (var e : YamlDoc.entries(YamlDoc.get(n, "vars"))) {
            Expr ex = expr((ScalarNode) e.getValue(), false, responseEnv);
            if (ex != null) {
                vars.put(e.getKey().getValue(), ex);
            }
        }
        return new Node.Http(info, endpoint, pos(n, "endpoint"), method, optionalTemplate(n, "path"), query,
                bodyNode == null ? null : jsonTemplate(bodyNode), vars, duration(n, "timeout", null),
                str(n, "on-error"), pos(n, "on-error"), str(n, "on-timeout"), pos(n, "on-timeout"), str(n, "next"),
                pos(n, "next"));
    }

    private Node remind(Info info, org.snakeyaml.engine.v2.nodes.Node n) {
        String campaign = str(n, "campaign");
        if (campaign != null && ctx.campaigns() != null && !ctx.campaigns().contains(campaign)) {
            error(YamlDoc.get(n, "campaign"), "no campaign named '" + campaign + "' in outbound.campaigns of the"
                    + " configuration" + dev.ivr.server.text.DidYouMean.suffix(campaign, ctx.campaigns())
                    + (ctx.campaigns().isEmpty() ? " (none configured)" : " (configured: "
                    + String.join(", ", new java.util.TreeSet<>(ctx.campaigns())) + ")"));
        }
        Duration in = duration(n, "in", null);
        if (in != null && in.isNegative()) {
            error(YamlDoc.get(n, "in"), "in must not be negative");
        }
        java.time.LocalTime at = null;
        String atText = str(n, "at");
        if (atText != null) {
            try {
                at = java.time.LocalTime.parse(atText);
            } catch (java.time.DateTimeException e) {
                error(YamlDoc.get(n, "at"), "at must be a clock time such as \"10:00\" (got '" + atText + "')");
            }
        }
        Template time = optionalTemplate(n, "time");
        if (time != null && (in != null || atText != null)) {
            error(YamlDoc.get(n, "time"), "give either time, or in and/or at, not both");
        }
        if (time == null && in == null && atText == null) {
            error(YamlDoc.get(n, "type"), "a remind node needs in (e.g. 1d), at (e.g. \"10:00\"), both, or time");
        }
        return new Node.Remind(info, campaign, pos(n, "campaign"), in, at, time, str(n, "next"),
                pos(n, "next"), str(n, "on-error"), pos(n, "on-error"));
    }

    /** An http node's body: mappings and lists as they are, text as templates, other scalars as literals. */
    private Object jsonTemplate(org.snakeyaml.engine.v2.nodes.Node n) {
        if (n instanceof org.snakeyaml.engine.v2.nodes.MappingNode) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (var e : YamlDoc.entries(n)) {
                out.put(e.getKey().getValue(), jsonTemplate(e.getValue()));
            }
            return java.util.Collections.unmodifiableMap(out);
        }
        if (n instanceof SequenceNode seq) {
            List<Object> out = new ArrayList<>();
            seq.getValue().forEach(v -> out.add(jsonTemplate(v)));
            return java.util.Collections.unmodifiableList(out);
        }
        ScalarNode sc = (ScalarNode) n;
        Object literal = scalarValue(sc);
        return literal instanceof String ? template(sc, "body value") : literal;
    }

    private Node branch(Info info, org.snakeyaml.engine.v2.nodes.Node n) {
        List<Node.Condition> conds = new ArrayList<>();
        if (YamlDoc.get(n, "conditions") instanceof SequenceNode s) {
            for (var c : s.getValue()) {
                Expr ex = expr((ScalarNode) YamlDoc.get(c, "if"), true, env);
                if (ex != null) {
                    conds.add(new Node.Condition(ex, YamlDoc.text(YamlDoc.get(c, "next")), YamlDoc.pos(YamlDoc.get(c, "next"))));
                }
            }
        }
        return new Node.Branch(info, conds, str(n, "else"), pos(n, "else"));
    }

    private Node subflow(Info info, org.snakeyaml.engine.v2.nodes.Node n) {
        String flow = str(n, "flow");
        checkFlow(n, "flow", flow);
        if (name.equals(flow)) {
            error(YamlDoc.get(n, "flow"), "a flow cannot call itself as a subflow");
        }
        Map<String, Expr> args = new LinkedHashMap<>();
        for (var e : YamlDoc.entries(YamlDoc.get(n, "args"))) {
            ScalarNode v = (ScalarNode) e.getValue();
            Object literal = scalarValue(v);
            Expr ex = literal instanceof String ? expr(v, false, env) : Expr.literal(literal);
            if (ex != null) {
                args.put(e.getKey().getValue(), ex);
            }
        }
        Map<String, String> outcomes = new LinkedHashMap<>();
        Map<String, Pos> outcomePos = new LinkedHashMap<>();
        for (var e : YamlDoc.entries(YamlDoc.get(n, "outcomes"))) {
            outcomes.put(e.getKey().getValue(), YamlDoc.text(e.getValue()));
            outcomePos.put(e.getKey().getValue(), YamlDoc.pos(e.getValue()));
        }
        return new Node.Subflow(info, flow, pos(n, "flow"), args, outcomes, outcomePos, str(n, "next"), pos(n, "next"));
    }

    private Node authenticate(Info info, org.snakeyaml.engine.v2.nodes.Node n) {
        Template account = optionalTemplate(n, "account");
        PromptRef accountPrompt = promptId(n, "account-prompt");
        if (account == null && accountPrompt == null) {
            error(n, "authenticate needs 'account' (a template) or 'account-prompt' (to ask the caller)");
        }
        return new Node.Authenticate(info, account, accountPrompt, promptId(n, "pin-prompt"),
                promptId(n, "failed-prompt"), integer(n, "account-max-length", 12), integer(n, "pin-max-length", 8),
                integer(n, "attempts", 3), duration(n, "timeout", Duration.ofSeconds(6)),
                outcomes(n, "ok", "failed", "locked", "unavailable"));
    }

    private Node route(Info info, org.snakeyaml.engine.v2.nodes.Node n) {
        Map<String, Integer> skills = new LinkedHashMap<>();
        for (var e : YamlDoc.entries(YamlDoc.get(n, "skills"))) {
            skills.put(e.getKey().getValue(), Integer.parseInt(YamlDoc.text(e.getValue())));
        }
        Map<String, Template> context = new LinkedHashMap<>();
        for (var e : YamlDoc.entries(YamlDoc.get(n, "context"))) {
            Template t = template((ScalarNode) e.getValue(), "screen-pop field");
            if (t != null) {
                context.put(e.getKey().getValue(), t);
            }
        }
        Node.Announcement ann = null;
        var a = YamlDoc.get(n, "announcement");
        if (a != null) {
            ann = new Node.Announcement(promptId(a, "prompt"), duration(a, "every", Duration.ofSeconds(30)),
                    bool(a, "position", false), str(a, "music"));
        }
        Map<String, String> waitOptions = new LinkedHashMap<>();
        Map<String, Pos> waitPos = new LinkedHashMap<>();
        for (var e : YamlDoc.entries(YamlDoc.get(n, "wait-options"))) {
            waitOptions.put(e.getKey().getValue(), YamlDoc.text(e.getValue()));
            waitPos.put(e.getKey().getValue(), YamlDoc.pos(e.getValue()));
        }
        Node.CallbackOption callback = null;
        var cb = YamlDoc.get(n, "callback");
        if (cb != null) {
            String key = str(cb, "key");
            String confirm = str(cb, "confirm-key") == null ? "1" : str(cb, "confirm-key");
            if (key != null && waitOptions.containsKey(key)) {
                error(YamlDoc.get(cb, "key"), "key " + key + " is already a wait option of this node");
            }
            callback = new Node.CallbackOption(key, promptId(cb, "prompt"), confirm, optionalTemplate(cb, "number"));
        }
        return new Node.Route(info, str(n, "queue"), skills, integer(n, "priority", 0), context,
                duration(n, "max-wait", Duration.ofMinutes(5)), ann, waitOptions, waitPos,
                outcomes(n, "connected", "timeout", "no-agents", "failed", "callback"), optionalTemplate(n, "intent"),
                callback);
    }

    private Outcomes outcomes(org.snakeyaml.engine.v2.nodes.Node n, String... names) {
        Map<String, String> targets = new LinkedHashMap<>();
        Map<String, Pos> pos = new LinkedHashMap<>();
        for (String o : names) {
            String t = str(n, "on-" + o);
            if (t != null) {
                targets.put(o, t);
                pos.put(o, pos(n, "on-" + o));
            }
        }
        return new Outcomes(targets, pos, str(n, "next"), pos(n, "next"));
    }

    // --------------------------------------------------------------- prompts

    private PromptRef prompt(org.snakeyaml.engine.v2.nodes.Node n) {
        return optionalPrompt(n);
    }

    private PromptRef optionalPrompt(org.snakeyaml.engine.v2.nodes.Node n) {
        if (YamlDoc.get(n, "prompt") != null) {
            return promptId(n, "prompt");
        }
        if (YamlDoc.get(n, "text") != null) {
            Template t = optionalTemplate(n, "text");
            return t == null ? null : PromptRef.ofText(t, pos(n, "text"));
        }
        return null;
    }

    private Reprompt reprompt(org.snakeyaml.engine.v2.nodes.Node n, String key) {
        var r = YamlDoc.get(n, key);
        if (r == null) {
            return null;
        }
        return new Reprompt(optionalPrompt(r), str(r, "next"), YamlDoc.pos(r));
    }

    /** A catalog prompt by id: it must exist in every language of the flow; its text is compiled. */
    private PromptRef promptId(org.snakeyaml.engine.v2.nodes.Node n, String key) {
        var v = YamlDoc.get(n, key);
        String id = YamlDoc.text(v);
        if (id == null) {
            return null;
        }
        for (String lang : languages) {
            var entry = ctx.prompts().find(id, lang);
            if (entry.isEmpty()) {
                error(v, "prompt '" + id + "' is not in the " + lang + " catalog (prompts/" + lang + "/*.yaml)");
                continue;
            }
            compilePromptText(entry.get());
            if (entry.get().fallback() != null) {
                ctx.prompts().find(entry.get().fallback(), lang).ifPresent(this::compilePromptText);
            }
        }
        return PromptRef.ofId(id, YamlDoc.pos(v));
    }

    private void compilePromptText(PromptEntry e) {
        String key = e.language() + "/" + e.id();
        if (!checkedPrompts.add(key) || e.text() == null) {
            return;
        }
        try {
            Template t = env.template(e.text());
            checkSecrets(e.text(), "prompt text", e.source(), new Pos(e.line(), e.column()));
            checkTemplateFields(e.text(), e.source(), offset -> new Pos(e.line(), e.column()));
            promptTexts.put(key, t);
        } catch (ExprException ex) {
            problems.add(new Problem(e.source(), e.line(), e.column(), Problem.Severity.ERROR,
                    "prompt '" + e.id() + "' (used by flow " + name + "): " + ex.getMessage()));
        }
    }

    private void checkFlow(org.snakeyaml.engine.v2.nodes.Node n, String key, String flow) {
        if (flow != null && !ctx.flowNames().contains(flow)) {
            error(YamlDoc.get(n, key), "no flow named '" + flow + "' (flows/" + flow + ".yaml)");
        }
    }

    // ---------------------------------------------------- expressions/templates

    /** The template under {@code key}, or null where the node has none. */
    private Template optionalTemplate(org.snakeyaml.engine.v2.nodes.Node n, String key) {
        var v = YamlDoc.get(n, key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof ScalarNode s)) {
            error(v, key + " must be text");
            return null;
        }
        return template(s, key.equals("log") ? "log line" : "template");
    }

    private Template template(ScalarNode s, String what) {
        try {
            Template t = env.template(s.getValue());
            checkSecrets(s.getValue(), what, file, YamlDoc.pos(s));
            checkTemplateFields(s.getValue(), file, offset -> at(s, offset));
            return t;
        } catch (ExprException e) {
            problems.add(Problem.error(file, at(s, e.offset()), e.getMessage()));
            return null;
        }
    }

    private Expr expr(ScalarNode s, boolean condition, ExprEnv in) {
        if (s == null) {
            return null;
        }
        try {
            Expr e = in.compile(s.getValue(), condition);
            checkSecrets(s.getValue(), "expression", file, YamlDoc.pos(s));
            checkFields(s.getValue(), file, offset -> at(s, offset));
            return e;
        } catch (ExprException e) {
            problems.add(Problem.error(file, at(s, e.offset()), e.getMessage()));
            return null;
        }
    }

    /** Secret inputs (PINs) never reach a template, log line, screen-pop field or expression. */
    private void checkSecrets(String source, String what, Path where, Pos pos) {
        for (String secret : secretInputs) {
            if (secret != null && Pattern.compile(String.format(SECRET_REF_TEMPLATE.pattern(), Pattern.quote(secret)))
                    .matcher(source).find()) {
                problems.add(Problem.error(where, pos, "the secret input '" + secret + "' (secret: true) must not reach a "
                        + what + ": it would be logged, stored or shown"));
            }
        }
    }

    private static final Pattern TEMPLATE_EXPR = Pattern.compile("(?<!\\$)\\$\\{([^}]*)}");

    /** {@link #checkFields} on each ${...} of a template. */
    private void checkTemplateFields(String text, Path where, java.util.function.IntFunction<Pos> pos) {
        var m = TEMPLATE_EXPR.matcher(text);
        while (m.find()) {
            int base = m.start(1);
            checkFields(m.group(1), where, offset -> pos.apply(base + offset));
        }
    }

    /**
     * Fields of call, customer, auth and inputs that nothing provides ({@code customer.nmae}):
     * at call time they fail (an empty value and a WARN), so validate says so, with the field
     * meant. Warnings: {@code validate --strict} fails on them.
     */
    private void checkFields(String source, Path where, java.util.function.IntFunction<Pos> pos) {
        StringBuilder code = new StringBuilder(source);
        var lit = STRING_LITERAL.matcher(source);
        while (lit.find()) { // text inside quotes is not code, except a field name in [...]
            if (!source.substring(0, lit.start()).matches("(?s).*(call|customer|auth|inputs)\\s*\\[\\s*$")) {
                for (int i = lit.start(); i < lit.end(); i++) {
                    code.setCharAt(i, ' ');
                }
            }
        }
        var m = FIELD_REF.matcher(code);
        while (m.find()) {
            String map = m.group(1);
            String field = m.group(2) != null ? m.group(2) : m.group(3);
            Set<String> known;
            if ("inputs".equals(map)) {
                known = new java.util.TreeSet<>(inputNames);
                known.addAll(ctx.inputNames());
            } else {
                known = new java.util.TreeSet<>(FIELDS.get(map));
            }
            if (!known.contains(field)) {
                String meant = dev.ivr.server.text.DidYouMean.suffix(field, known);
                problems.add(Problem.warning(where, pos.apply(m.start()), map + "." + field + ": "
                        + ("inputs".equals(map) ? "no node collects '" + field + "' (into:)" : map + " has no field '" + field + "'")
                        + meant + " (" + map + " has: " + (known.isEmpty() ? "nothing" : String.join(", ", known))
                        + "); at call time it would be empty"));
            }
        }
        for (AttributeCheck.Finding f : AttributeCheck.check(source, ctx.attributes())) {
            problems.add(Problem.warning(where, pos.apply(f.offset()), f.message()));
        }
    }

    /** Where an offset inside a scalar is, when it is on one line. */
    static Pos at(ScalarNode s, int offset) {
        Pos p = YamlDoc.pos(s);
        if (s.getValue().indexOf('\n') >= 0) {
            return p;
        }
        int quote = switch (s.getScalarStyle()) {
            case SINGLE_QUOTED, DOUBLE_QUOTED -> 1;
            default -> 0;
        };
        return new Pos(p.line(), p.column() + quote + Math.min(offset, s.getValue().length()));
    }

    // ------------------------------------------------------------- scalars

    private static String str(org.snakeyaml.engine.v2.nodes.Node n, String key) {
        return YamlDoc.text(YamlDoc.get(n, key));
    }

    private static String strOr(org.snakeyaml.engine.v2.nodes.Node n, String key, String fallback) {
        String s = str(n, key);
        return s == null ? fallback : s;
    }

    private static Pos pos(org.snakeyaml.engine.v2.nodes.Node n, String key) {
        var v = YamlDoc.get(n, key);
        return v == null ? YamlDoc.pos(n) : YamlDoc.pos(v);
    }

    private static boolean bool(org.snakeyaml.engine.v2.nodes.Node n, String key, boolean fallback) {
        String s = str(n, key);
        return s == null ? fallback : Boolean.parseBoolean(s.toLowerCase(Locale.ROOT));
    }

    private static int integer(org.snakeyaml.engine.v2.nodes.Node n, String key, int fallback) {
        String s = str(n, key);
        return s == null ? fallback : Integer.parseInt(s);
    }

    private static double number(org.snakeyaml.engine.v2.nodes.Node n, String key, double fallback) {
        String s = str(n, key);
        return s == null ? fallback : Double.parseDouble(s);
    }

    private Duration duration(org.snakeyaml.engine.v2.nodes.Node n, String key, Duration fallback) {
        String s = str(n, key);
        if (s == null) {
            return fallback;
        }
        try {
            return dev.ivr.server.config.DurationText.parse(s);
        } catch (RuntimeException e) {
            error(YamlDoc.get(n, key), "'" + s + "' is not a duration; write e.g. 500ms, 5s, 2m");
            return fallback;
        }
    }

    private void error(org.snakeyaml.engine.v2.nodes.Node at, String message) {
        problems.add(Problem.error(file, YamlDoc.pos(at), message));
    }

}
