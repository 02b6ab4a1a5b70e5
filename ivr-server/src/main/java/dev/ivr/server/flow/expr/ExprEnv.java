package dev.ivr.server.flow.expr;

import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The expression language of flows: CEL (Common Expression Language), checked when a flow is
 * loaded against the variables a flow can see. CEL has no loops, no assignment, no way to
 * name a Java class, a file or a socket: an expression can only read the variables it is
 * given and call CEL's standard functions. Comprehension macros ({@code exists}, {@code map},
 * ...) are capped at {@value #MAX_ITERATIONS} iterations, expressions at
 * {@value #MAX_SOURCE} characters and 32 levels of nesting, regular expressions (RE2, linear
 * time) in size, and every result in size ({@link Values}).
 *
 * <p>Variables: {@code call}, {@code customer}, {@code auth}, {@code inputs} (maps), and the
 * flow's own variables by name. One environment per flow version.
 */
public final class ExprEnv {
    public static final int MAX_SOURCE = 1_000;
    static final int MAX_ITERATIONS = 1_000;
    /** Maps every flow sees. */
    public static final Set<String> SHARED = Set.of("call", "customer", "auth", "inputs");

    static final CelOptions OPTIONS = CelOptions.current()
            .maxExpressionCodePointSize(MAX_SOURCE)
            .maxParseRecursionDepth(32)
            .comprehensionMaxIterations(MAX_ITERATIONS)
            .maxRegexProgramSize(200)
            .enableHeterogeneousNumericComparisons(true)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
    private static final CelType MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);

    private final CelCompiler compiler;

    /** An environment with the shared maps, the flow's variables, and {@code extra} names (e.g. "value"). */
    public ExprEnv(Set<String> flowVariables, Set<String> extra) {
        CelCompilerBuilder b = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS);
        for (String s : SHARED) {
            b.addVar(s, MAP);
        }
        for (String v : flowVariables) {
            if (!SHARED.contains(v)) {
                b.addVar(v, SimpleType.DYN);
            }
        }
        for (String v : extra) {
            b.addVar(v, SimpleType.DYN);
        }
        compiler = b.build();
    }

    public ExprEnv(Set<String> flowVariables) {
        this(flowVariables, Set.of());
    }

    /**
     * Compiles and type-checks an expression.
     *
     * @param condition whether it must be true/false
     */
    public Expr compile(String source, boolean condition) throws ExprException {
        if (source == null || source.isBlank()) {
            throw new ExprException("empty expression", 0);
        }
        if (source.length() > MAX_SOURCE) {
            throw new ExprException("expression longer than " + MAX_SOURCE + " characters", 0);
        }
        CelValidationResult r;
        try {
            r = compiler.compile(source);
        } catch (RuntimeException e) {
            throw new ExprException("cannot compile '" + source + "': " + e.getMessage(), 0);
        }
        if (r.hasError()) {
            throw issue(source, r.getErrors());
        }
        try {
            var ast = r.getAst();
            CelType type = ast.getResultType();
            if (condition && !type.equals(SimpleType.BOOL) && !type.equals(SimpleType.DYN)) {
                throw new ExprException("'" + source + "' is a condition but gives " + type.name()
                        + ", not true/false", 0);
            }
            return new Expr(source, RUNTIME.createProgram(ast));
        } catch (CelValidationException e) {
            throw issue(source, e.getErrors());
        } catch (CelEvaluationException e) {
            throw new ExprException("cannot prepare '" + source + "': " + e.getMessage(), 0);
        }
    }

    private static ExprException issue(String source, List<CelIssue> issues) {
        CelIssue first = issues.get(0);
        int offset = 0;
        var loc = first.getSourceLocation();
        if (loc != null && loc.getLine() >= 1) {
            int line = loc.getLine();
            int idx = 0;
            for (int l = 1; l < line && idx >= 0; l++) {
                idx = source.indexOf('\n', idx) + 1;
            }
            offset = Math.max(0, idx) + Math.max(0, loc.getColumn());
        }
        String msg = first.getMessage().replace("ERROR: <input>:", "").replace(" (in container '')", "").trim();
        if (msg.startsWith("undeclared reference")) {
            msg += " (expressions read only call, customer, auth, inputs, this flow's variables and CEL's own functions)";
        }
        return new ExprException("'" + source + "': " + msg, offset);
    }

    /** Parses a template; the offsets of errors are within {@code text}. */
    public Template template(String text) throws ExprException {
        List<Template.Part> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
                lit.append('$');
                i += 2;
            } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = closing(text, i + 2);
                if (end < 0) {
                    throw new ExprException("'${' without its closing '}'", i);
                }
                if (!lit.isEmpty()) {
                    parts.add(new Template.Literal(lit.toString()));
                    lit.setLength(0);
                }
                String src = text.substring(i + 2, end);
                try {
                    parts.add(new Template.Dynamic(compile(src, false)));
                } catch (ExprException e) {
                    throw new ExprException(e.getMessage(), i + 2 + e.offset());
                }
                i = end + 1;
            } else {
                lit.append(c);
                i++;
            }
        }
        if (!lit.isEmpty()) {
            parts.add(new Template.Literal(lit.toString()));
        }
        return new Template(text, parts);
    }

    /** The index of the '}' that closes an expression starting at {@code from}, minding quotes and braces. */
    private static int closing(String s, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return -1;
    }
}
