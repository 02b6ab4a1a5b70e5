package dev.ivr.server.flow.tools;

import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.flow.yaml.YamlDoc;
import dev.ivr.server.flow.model.Edge;
import dev.ivr.server.flow.model.Flow;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.flow.route.RouteRequest;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Flow tests designers write beside a flow ({@code flows/NAME.test.yaml}): calls with a caller
 * number, CRM data, routing answers, keys, silences and hang-ups, and what must happen: path,
 * prompts heard, variables, inputs, outcome. Runs them with no PBX and no server, and reports
 * failures and node/edge coverage per flow.
 *
 * <pre>
 * flow: customer-service
 * time: 2025-06-02T10:00:00+02:00        # the clock (hours nodes), per file or per case
 * customers: [...]                       # see {@link ScriptedCrm}
 * routing: {...}                         # see {@link ScriptedRouter}
 * http: {orders: {status: 200, body: {state: shipped}}}   # endpoints' answers, see {@link ScriptedIntegrations}
 * reminders: failing                     # remind nodes' store refuses (default: it records, times in UTC)
 * cases:
 *   - name: billing, verified
 *     caller: "+3612345678"
 *     keys: ["1", "12345678#", "4321#"]   # also barge:KEYS, silence, hangup, dial:STATUS, say:TEXT, mumble
 *     speech: off                         # as on a server without a speech model (default: on)
 *     query: {campaign: renewal, amd: HUMAN}  # the AGI URL's parameters (call.query), as an outbound call has
 *     language: hu                        # the language the call arrives in (default en), or
 *     languages: [en, hu]                 # the case once per language, with expect.by-language.hu
 *                                         # laid over the common expect
 *     expect:
 *       path-contains: [main-menu, verify, to-billing]
 *       heard: ["Hello Anna", "You are verified"]
 *       variables: {department: billing}
 *       outcome: ROUTED
 *       reminders: ["payment-reminder C1001 2025-06-03T10:00:00Z"]   # campaign, customer, time booked
 * </pre>
 */
public final class FlowTests {

    public record CaseResult(Path file, String name, List<String> failures, Transcript transcript) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    /**
     * Nodes and edges of a flow, and which the tests went through.
     *
     * @param edgeLabels "from->to" to what takes that branch ("1", "no-input", a condition ...)
     */
    public record Coverage(String flow, Set<String> nodes, Set<String> visitedNodes, Set<String> edges,
                           Set<String> takenEdges, Map<String, String> edgeLabels) {
        public Coverage(String flow, Set<String> nodes, Set<String> visitedNodes, Set<String> edges, Set<String> takenEdges) {
            this(flow, nodes, visitedNodes, edges, takenEdges, Map.of());
        }

        /** The summary, then the branches no test took, one per line ("from --label--> to"). */
        public String line() {
            Set<String> missed = new LinkedHashSet<>(nodes);
            missed.removeAll(visitedNodes);
            StringBuilder sb = new StringBuilder(String.format("%s: nodes %d/%d (%d%%), branches %d/%d (%d%%)%s", flow,
                    visitedNodes.size(), nodes.size(), pct(visitedNodes.size(), nodes.size()), takenEdges.size(),
                    edges.size(), pct(takenEdges.size(), edges.size()), missed.isEmpty() ? "" : "; nodes not visited: "
                            + String.join(", ", missed)));
            List<String> notTaken = edges.stream().filter(e -> !takenEdges.contains(e)).toList();
            if (!notTaken.isEmpty()) {
                sb.append("\n    branches not taken:");
                for (String e : notTaken) {
                    String[] ft = e.split("->", 2);
                    String label = edgeLabels.get(e);
                    sb.append("\n      ").append(ft[0]).append(" --").append(label == null ? "" : label).append("--> ")
                            .append(ft[1]);
                }
            }
            return sb.toString();
        }

        private static int pct(int a, int b) {
            return b == 0 ? 100 : a * 100 / b;
        }
    }

    public record Report(List<CaseResult> cases, List<Coverage> coverage, List<String> errors) {
        public long failed() {
            return cases.stream().filter(c -> !c.passed()).count() + errors.size();
        }
    }

    private FlowTests() {
    }

    /** Test files of a flows directory. */
    public static List<Path> files(Path flowsDir) throws IOException {
        if (!Files.isDirectory(flowsDir)) {
            return List.of();
        }
        try (var s = Files.list(flowsDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".test.yaml")).sorted().toList();
        }
    }

    public static Report run(FlowSet flows, List<Path> files, Consumer<String> out) {
        return run(flows, files, out, flow -> List.of());
    }

    /**
     * @param problemsOf the errors of a flow that is not in {@code flows} (did not load): printed once,
     *                   and each case of its tests counts as failed
     */
    @SuppressWarnings("unchecked")
    public static Report run(FlowSet flows, List<Path> files, Consumer<String> out,
                             java.util.function.Function<String, List<String>> problemsOf) {
        List<CaseResult> results = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Map<String, Set<String>> visited = new TreeMap<>();
        Map<String, Set<String>> taken = new TreeMap<>();
        for (Path file : files) {
            Map<String, Object> doc;
            try {
                if (Files.size(file) > YamlDoc.MAX_BYTES) {
                    throw new IOException("larger than " + YamlDoc.MAX_BYTES + " bytes");
                }
                LoadSettings settings = LoadSettings.builder().setMaxAliasesForCollections(20).setLabel(file.toString())
                        .setCodePointLimit((int) YamlDoc.MAX_BYTES).build();
                doc = (Map<String, Object>) new Load(settings).loadFromString(Files.readString(file));
            } catch (IOException | YamlEngineException | ClassCastException e) {
                errors.add(file + ": cannot read the test file: " + e.getMessage());
                continue;
            }
            String flow = String.valueOf(doc.get("flow"));
            List<Map<String, Object>> cases = (List<Map<String, Object>>) doc.getOrDefault("cases", List.of());
            if (flows.flow(flow).isEmpty()) {
                List<String> problems = problemsOf.apply(flow);
                String why = problems.isEmpty() ? "flow '" + flow + "' does not exist"
                        + dev.ivr.server.text.DidYouMean.suffix(flow, flows.flows().keySet())
                        : "flow '" + flow + "' is not valid: " + problems.size() + " error(s)";
                out.accept("FAIL  " + file.getFileName() + ": " + why);
                problems.forEach(p -> out.accept("        " + p));
                for (Map<String, Object> c : cases.stream().flatMap(c -> perLanguage(c).stream()).toList()) {
                    String name = String.valueOf(c.getOrDefault("name", "case"));
                    results.add(new CaseResult(file, name, List.of(why), new Transcript(l -> { })));
                    out.accept("FAIL  " + file.getFileName() + ": " + name + " (not run: " + why + ")");
                }
                if (cases.isEmpty()) {
                    errors.add(file + ": " + why);
                }
                continue;
            }
            for (Map<String, Object> c : cases.stream().flatMap(c -> perLanguage(c).stream()).toList()) {
                CaseResult r = runCase(flows, file, flow, doc, c);
                results.add(r);
                out.accept((r.passed() ? "ok    " : "FAIL  ") + file.getFileName() + ": " + r.name());
                if (!r.passed()) {
                    r.failures().forEach(f -> out.accept("        " + f));
                    out.accept("        transcript:");
                    r.transcript().lines().forEach(l -> out.accept("          " + l));
                }
                for (String n : r.transcript().nodesVisited()) {
                    int slash = n.indexOf('/');
                    visited.computeIfAbsent(n.substring(0, slash), k -> new LinkedHashSet<>()).add(n.substring(slash + 1));
                }
                for (String e : r.transcript().edgesTaken()) {
                    int slash = e.indexOf('/');
                    taken.computeIfAbsent(e.substring(0, slash), k -> new LinkedHashSet<>()).add(e.substring(slash + 1));
                }
            }
        }
        List<Coverage> coverage = new ArrayList<>();
        for (String f : visited.keySet()) {
            Flow flow = flows.flow(f).orElseThrow();
            Set<String> edges = new LinkedHashSet<>();
            Map<String, String> labels = new LinkedHashMap<>();
            for (Node n : flow.nodes().values()) {
                for (Edge e : n.edges()) {
                    edges.add(n.id() + "->" + e.target());
                    labels.merge(n.id() + "->" + e.target(), e.label(), (a, b) -> a + " | " + b);
                }
            }
            coverage.add(new Coverage(f, flow.nodes().keySet(), visited.get(f), edges,
                    taken.getOrDefault(f, Set.of()), labels));
        }
        return new Report(results, coverage, errors);
    }

    /**
     * A case with {@code languages: [hu, de]} is run once per language: the call starts in that
     * language, the name gets " [hu]", and {@code expect.by-language.hu} is laid over the
     * common {@code expect}.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> perLanguage(Map<String, Object> c) {
        if (!(c.get("languages") instanceof List<?> langs) || langs.isEmpty()) {
            return List.of(c);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object l : langs) {
            String lang = String.valueOf(l);
            Map<String, Object> one = new LinkedHashMap<>(c);
            one.remove("languages");
            one.put("language", lang);
            one.put("name", c.getOrDefault("name", "case") + " [" + lang + "]");
            Map<String, Object> expect = new LinkedHashMap<>((Map<String, Object>) c.getOrDefault("expect", Map.of()));
            Object byLanguage = expect.remove("by-language");
            if (byLanguage instanceof Map<?, ?> m && m.get(lang) instanceof Map<?, ?> own) {
                ((Map<String, Object>) own).forEach(expect::put);
            }
            one.put("expect", expect);
            out.add(one);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static CaseResult runCase(FlowSet flows, Path file, String flow, Map<String, Object> doc,
                                      Map<String, Object> c) {
        String name = String.valueOf(c.getOrDefault("name", "case"));
        List<String> failures = new ArrayList<>();
        List<CallerStep> steps = new ArrayList<>();
        try {
            for (Object k : (List<Object>) c.getOrDefault("keys", List.of())) {
                if (k instanceof Map<?, ?> m && m.size() == 1) {
                    var e = m.entrySet().iterator().next();
                    steps.add(CallerStep.token(e.getKey() + ":" + e.getValue()));
                } else {
                    steps.add(CallerStep.token(String.valueOf(k)));
                }
            }
        } catch (IllegalArgumentException e) {
            return new CaseResult(file, name, List.of(e.getMessage()), new Transcript(x -> { }));
        }
        Object time = c.getOrDefault("time", doc.getOrDefault("time", "2025-06-02T10:00:00Z"));
        Instant at = time instanceof java.util.Date d ? d.toInstant() : parseTime(String.valueOf(time));
        boolean unavailable = "unavailable".equals(String.valueOf(c.getOrDefault("crm", doc.get("crm"))));
        ScriptedCrm crm;
        try {
            crm = new ScriptedCrm((List<Map<String, Object>>) c.getOrDefault("customers",
                    doc.getOrDefault("customers", List.of())), unavailable);
        } catch (IllegalArgumentException e) {
            return new CaseResult(file, name, List.of(e.getMessage()), new Transcript(x -> { }));
        }
        ScriptedRouter router = new ScriptedRouter((Map<String, Map<String, Object>>) c.getOrDefault("routing",
                doc.getOrDefault("routing", Map.of())));
        Object speech = c.getOrDefault("speech", doc.getOrDefault("speech", true));
        ScriptedIntegrations http;
        try {
            Map<String, Object> answers = new java.util.LinkedHashMap<>((Map<String, Object>) doc.getOrDefault("http", Map.of()));
            answers.putAll((Map<String, Object>) c.getOrDefault("http", Map.of()));
            http = new ScriptedIntegrations(answers);
        } catch (IllegalArgumentException | ClassCastException e) {
            return new CaseResult(file, name, List.of(String.valueOf(e.getMessage())), new Transcript(x -> { }));
        }
        ScriptedReminders reminders = new ScriptedReminders(java.time.ZoneOffset.UTC,
                "failing".equals(String.valueOf(c.getOrDefault("reminders", doc.get("reminders")))));
        Simulation.Call call = new Simulation.Call(flow, String.valueOf(c.getOrDefault("caller", "unknown")),
                String.valueOf(c.getOrDefault("dialled", "1000")), String.valueOf(c.getOrDefault("language", "en")),
                List.of(), at, steps, null, crm, router, !List.of("false", "off", "no").contains(String.valueOf(speech))
                        ? dev.ivr.server.speech.SpeechModels.SIMULATED : dev.ivr.server.speech.SpeechModels.NONE,
                dev.ivr.server.flow.engine.LanguageByDnis.NONE, http, query(c.getOrDefault("query", doc.get("query"))),
                reminders);
        Transcript t = Simulation.run(flows, call, x -> { });
        Map<String, Object> expect = (Map<String, Object>) c.getOrDefault("expect", Map.of());
        check(expect, t, router, failures);
        if (expect.containsKey("reminders")) {
            List<String> want = strings(expect.get("reminders"));
            List<String> got = reminders.bookings().stream().map(ScriptedReminders.Booking::toString).toList();
            if (!want.equals(got)) {
                failures.add("reminders: expected " + want + "\n          but booked " + got);
            }
        }
        return new CaseResult(file, name, failures, t);
    }

    /** A case's (or the file's) {@code query}: the AGI URL's query the flow reads as call.query. */
    private static Map<String, String> query(Object q) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (q instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        }
        return out;
    }

    private static Instant parseTime(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (RuntimeException e) {
            return Instant.parse(s);
        }
    }

    @SuppressWarnings("unchecked")
    private static void check(Map<String, Object> expect, Transcript t, ScriptedRouter router, List<String> failures) {
        var s = t.summary();
        if (s == null) {
            failures.add("the call did not end cleanly (see the transcript)");
            return;
        }
        if (expect.containsKey("path")) {
            List<String> want = strings(expect.get("path"));
            if (!want.equals(s.path())) {
                failures.add("path: expected " + want + "\n          but was  " + s.path());
            }
        }
        if (expect.containsKey("path-contains")) {
            List<String> want = strings(expect.get("path-contains"));
            if (!subsequence(want, s.path(), false)) {
                failures.add("path: expected to contain in order " + want + "\n          but was " + s.path());
            }
        }
        if (expect.containsKey("prompts")) {
            List<String> want = strings(expect.get("prompts"));
            if (!want.equals(t.heard())) {
                failures.add("prompts: expected " + want + "\n          but heard " + t.heard());
            }
        }
        if (expect.containsKey("heard")) {
            List<String> want = strings(expect.get("heard"));
            if (!subsequence(want, t.heard(), true)) {
                failures.add("heard: expected, in order, prompts containing " + want + "\n          but heard " + t.heard());
            }
        }
        if (expect.containsKey("not-heard")) {
            for (String w : strings(expect.get("not-heard"))) {
                if (t.heard().stream().anyMatch(h -> h.contains(w))) {
                    failures.add("not-heard: '" + w + "' was heard");
                }
            }
        }
        compareMap("variables", (Map<String, Object>) expect.get("variables"), s.variables(), failures);
        compareMap("inputs", (Map<String, Object>) expect.get("inputs"), new LinkedHashMap<>(s.inputs()), failures);
        compareMap("customer", (Map<String, Object>) expect.get("customer"), s.customer(), failures);
        if (expect.containsKey("outcome") && !String.valueOf(expect.get("outcome")).equalsIgnoreCase(
                s.interaction().outcome().name().replace('_', '-')) && !String.valueOf(expect.get("outcome"))
                .equalsIgnoreCase(s.interaction().outcome().name())) {
            failures.add("outcome: expected " + expect.get("outcome") + " but was " + s.interaction().outcome());
        }
        if (expect.containsKey("auth") && !String.valueOf(expect.get("auth")).equalsIgnoreCase(
                String.valueOf(s.interaction().authOutcome()))) {
            failures.add("auth: expected " + expect.get("auth") + " but was " + s.interaction().authOutcome());
        }
        if (expect.containsKey("queue") && !Objects.equals(String.valueOf(expect.get("queue")), s.interaction().queue())) {
            failures.add("queue: expected " + expect.get("queue") + " but was " + s.interaction().queue());
        }
        if (expect.containsKey("context")) {
            List<RouteRequest> reqs = router.requests();
            if (reqs.isEmpty()) {
                failures.add("context: the call was never routed");
            } else {
                compareMap("context", (Map<String, Object>) expect.get("context"),
                        new LinkedHashMap<>(reqs.get(reqs.size() - 1).context()), failures);
            }
        }
    }

    private static void compareMap(String what, Map<String, Object> want, Map<String, Object> got, List<String> failures) {
        if (want == null) {
            return;
        }
        want.forEach((k, v) -> {
            Object g = got.get(k);
            if (!got.containsKey(k) || !String.valueOf(v).equals(String.valueOf(g))) {
                failures.add(what + "." + k + ": expected " + v + " but was " + (got.containsKey(k) ? g : "(not set)"));
            }
        });
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }

    /** Whether {@code want} appears in {@code got} in order (with {@code contains}: as substrings). */
    private static boolean subsequence(List<String> want, List<String> got, boolean contains) {
        int i = 0;
        for (String g : got) {
            if (i < want.size() && (contains ? g.contains(want.get(i)) : g.equals(want.get(i)))) {
                i++;
            }
        }
        return i == want.size();
    }
}
