package dev.ivr.server.flow.expr;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

import java.util.Map;

/**
 * A checked expression, ready to evaluate against a call's variables (or a literal from the
 * YAML). Immutable, shared by every call on the flow's version.
 */
public final class Expr {
    private final String source;
    private final CelRuntime.Program program;
    private final Object literal;

    Expr(String source, CelRuntime.Program program) {
        this.source = source;
        this.program = program;
        this.literal = null;
    }

    private Expr(Object literal) {
        this.source = String.valueOf(literal);
        this.program = null;
        this.literal = literal;
    }

    /** A literal value (a YAML number or boolean in a {@code set} node). */
    public static Expr literal(Object value) {
        return new Expr(Values.fromCel(value));
    }

    public String source() {
        return source;
    }

    /**
     * Evaluates to a plain value: Long, Double, String, Boolean, List, Map or null.
     *
     * @throws EvalException on a runtime error or a result over the size limits
     */
    public Object eval(Map<String, Object> variables) throws EvalException {
        if (program == null) {
            return literal;
        }
        Object raw;
        try {
            raw = program.eval(Values.toCel(variables));
        } catch (CelEvaluationException e) {
            throw new EvalException("'" + source + "': " + e.getMessage());
        } catch (RuntimeException e) {
            throw new EvalException("'" + source + "': " + e);
        }
        Object v = Values.fromCel(raw);
        Values.checkSize(v, source);
        return v;
    }

    /** Evaluates a condition. */
    public boolean test(Map<String, Object> variables) throws EvalException {
        Object v = eval(variables);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new EvalException("'" + source + "' is not true or false but " + Values.describe(v));
    }

    @Override
    public String toString() {
        return source;
    }
}
