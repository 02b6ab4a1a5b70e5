package dev.ivr.server.flow.expr;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Text with {@code ${expression}} parts, e.g. {@code "Hello ${customer.first_name}"}. {@code $$}
 * writes a literal {@code $}. Immutable.
 */
public final class Template {
    sealed interface Part permits Literal, Dynamic {
    }

    record Literal(String text) implements Part {
    }

    record Dynamic(Expr expr) implements Part {
    }

    private final String source;
    private final List<Part> parts;
    private final boolean dynamic;
    /** What it renders to, whatever the variables, when it has no {@code ${...}} part (and is not too long); else null. */
    private final String fixed;

    Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
        this.dynamic = parts.stream().anyMatch(p -> p instanceof Dynamic);
        String text = dynamic ? null : this.parts.stream().map(p -> ((Literal) p).text()).collect(Collectors.joining());
        this.fixed = text != null && text.length() <= Values.MAX_TEXT ? text : null;
    }

    public String source() {
        return source;
    }

    /** Whether it has any {@code ${...}} part: one without renders the same for any variables (none are read). */
    public boolean isDynamic() {
        return dynamic;
    }

    /** The expressions inside, in order. */
    public List<Expr> expressions() {
        return parts.stream().filter(p -> p instanceof Dynamic).map(p -> ((Dynamic) p).expr()).toList();
    }

    public String render(Map<String, Object> variables) throws EvalException {
        return render(variables, java.util.function.UnaryOperator.identity());
    }

    /**
     * Renders with each {@code ${...}} value passed through {@code escape} (e.g. percent-encoding
     * for a URL path: a caller's value cannot add a path segment or a query); the literal text is
     * the designer's and is kept as written.
     */
    public String render(Map<String, Object> variables, java.util.function.UnaryOperator<String> escape)
            throws EvalException {
        if (fixed != null) {
            return fixed;
        }
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Literal l) {
                sb.append(l.text());
            } else {
                sb.append(escape.apply(Values.text(((Dynamic) p).expr().eval(variables))));
            }
            if (sb.length() > Values.MAX_TEXT) {
                throw new EvalException("template '" + source + "' renders longer than " + Values.MAX_TEXT + " characters");
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
