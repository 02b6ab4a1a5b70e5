package dev.ivr.server.flow.load;

import dev.ivr.server.crm.attributes.AttributeSchema;
import dev.ivr.server.flow.yaml.Problem;
import dev.ivr.server.flow.hours.Calendars;
import dev.ivr.server.prompt.PromptCatalog;
import dev.ivr.server.prompt.PromptCatalogException;
import dev.ivr.server.speech.SpeechModels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads a flows directory with its prompt catalogs and calendars: what {@code validate}, the
 * server at start and every hot reload run. {@code flows/NAME.yaml} is flow NAME; files ending
 * in {@code .test.yaml} are flow tests, not flows.
 */
public final class FlowLoader {
    /** Names a flow file may have (the AGI script name rules). */
    public static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,127}";

    /**
     * Where the pieces are, and which languages speech can be recognised in (flows that listen
     * are checked against it).
     */
    public record Sources(Path flowsDir, Path promptsDir, Path calendarsFile, SpeechModels speech,
                          AttributeSchema attributes, java.util.Set<String> endpoints, java.util.Set<String> campaigns) {
        public Sources {
            speech = speech == null ? SpeechModels.NONE : speech;
            attributes = attributes == null ? AttributeSchema.NONE : attributes;
        }

        /** Campaign names not known here: {@code remind} nodes may name any (the tools without a configuration). */
        public Sources(Path flowsDir, Path promptsDir, Path calendarsFile, SpeechModels speech,
                       AttributeSchema attributes, java.util.Set<String> endpoints) {
            this(flowsDir, promptsDir, calendarsFile, speech, attributes, endpoints, null);
        }

        /** Endpoint names not known here: {@code http} nodes may name any (the tools without a configuration). */
        public Sources(Path flowsDir, Path promptsDir, Path calendarsFile, SpeechModels speech,
                       AttributeSchema attributes) {
            this(flowsDir, promptsDir, calendarsFile, speech, attributes, null);
        }

        /** Without declared customer attributes (expressions may name any). */
        public Sources(Path flowsDir, Path promptsDir, Path calendarsFile, SpeechModels speech) {
            this(flowsDir, promptsDir, calendarsFile, speech, AttributeSchema.NONE);
        }

        /** Without speech recognition: listen nodes fail validation, menus take keys only. */
        public Sources(Path flowsDir, Path promptsDir, Path calendarsFile) {
            this(flowsDir, promptsDir, calendarsFile, SpeechModels.NONE);
        }
    }

    /**
     * One reading of everything.
     *
     * @param prompts  the catalogs (null when they have errors: see problems)
     * @param problems problems of catalogs and calendars (not of flows)
     * @param flows    each flow file's result, by name
     */
    public record Loaded(PromptCatalog prompts, Calendars calendars, List<Problem> problems,
                         Map<String, FlowCompiler.Result> flows) {
        public boolean hasErrors() {
            return problems.stream().anyMatch(Problem::isError)
                    || flows.values().stream().anyMatch(r -> r.problems().stream().anyMatch(Problem::isError));
        }

        /** The valid flows as a snapshot to run (what the tools use). */
        public dev.ivr.server.flow.model.FlowSet flowSet() {
            Map<String, dev.ivr.server.flow.model.Flow> ok = new LinkedHashMap<>();
            flows.forEach((n, r) -> {
                if (r.ok()) {
                    ok.put(n, r.flow());
                }
            });
            return new dev.ivr.server.flow.model.FlowSet(ok, prompts == null ? PromptCatalog.empty() : prompts, calendars);
        }

        public List<Problem> allProblems() {
            List<Problem> all = new ArrayList<>(problems);
            flows.values().forEach(r -> all.addAll(r.problems()));
            all.sort(Problem.ORDER);
            return all;
        }
    }

    private FlowLoader() {
    }

    /** Flow files in the directory by name (sorted). */
    public static Map<String, Path> flowFiles(Path flowsDir) {
        Map<String, Path> out = new TreeMap<>();
        if (!Files.isDirectory(flowsDir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(flowsDir)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                String f = p.getFileName().toString();
                if (f.endsWith(".yaml") && !f.endsWith(".test.yaml")) {
                    out.put(f.substring(0, f.length() - 5), p);
                }
            });
        } catch (IOException e) {
            // an unreadable directory has no flows; the caller reports the missing flows
        }
        return out;
    }

    /** Catalogs, calendars, and every flow file checked against them. */
    public static Loaded load(Sources src) {
        List<Problem> problems = new ArrayList<>();
        PromptCatalog prompts = loadPrompts(src.promptsDir(), problems);
        Calendars calendars = Calendars.load(src.calendarsFile(), problems);
        Map<String, Path> files = flowFiles(src.flowsDir());
        FlowCompiler.Context ctx = new FlowCompiler.Context(prompts == null ? PromptCatalog.empty() : prompts,
                calendars, files.keySet(), src.speech(), inputNames(files.values()), src.attributes(), src.endpoints(),
                src.campaigns());
        Map<String, FlowCompiler.Result> flows = new LinkedHashMap<>();
        files.forEach((name, file) -> {
            if (!name.matches(NAME_PATTERN) || name.contains("..")) {
                flows.put(name, new FlowCompiler.Result(null, List.of(Problem.error(file, Problem.Pos.START,
                        "'" + name + "' cannot be an AGI script name: use letters, digits, '-', '_' and '.'"))));
            } else {
                flows.put(name, FlowCompiler.compile(name, file, ctx));
            }
        });
        return new Loaded(prompts, calendars, List.copyOf(problems), flows);
    }

    private static final java.util.regex.Pattern INTO = java.util.regex.Pattern.compile(
            "(?m)^\\s*into:\\s*[\"']?([A-Za-z0-9_.-]+)");

    /** Every name some flow collects into: inputs belong to the call, so a subflow's are read by its callers. */
    static java.util.Set<String> inputNames(java.util.Collection<Path> files) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Path f : files) {
            try {
                if (Files.size(f) <= 1_000_000) {
                    INTO.matcher(Files.readString(f)).results().forEach(r -> names.add(r.group(1)));
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // the flow's own compilation reports an unreadable file
            }
        }
        return names;
    }

    /** The catalogs, or null with the problems added. */
    public static PromptCatalog loadPrompts(Path promptsDir, List<Problem> problems) {
        try {
            return PromptCatalog.load(promptsDir);
        } catch (PromptCatalogException e) {
            for (String line : e.problems()) {
                problems.add(parse(line, promptsDir));
            }
            return null;
        }
    }

    /** A catalog problem line "file:line:column: message" (or "file: message") as a Problem. */
    private static Problem parse(String line, Path fallback) {
        var m = java.util.regex.Pattern.compile("^(.+?):(\\d+):(\\d+): (.*)$").matcher(line);
        if (m.matches()) {
            return new Problem(Path.of(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    Problem.Severity.ERROR, m.group(4));
        }
        int c = line.indexOf(": ");
        return c > 0 ? new Problem(Path.of(line.substring(0, c)), 1, 1, Problem.Severity.ERROR, line.substring(c + 2))
                : new Problem(fallback, 1, 1, Problem.Severity.ERROR, line);
    }
}
