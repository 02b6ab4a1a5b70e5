package dev.ivr.server.flow.load;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.parser.Operator;
import dev.ivr.server.crm.attributes.AttributeRefs;
import dev.ivr.server.crm.attributes.AttributeSchema;
import dev.ivr.server.crm.attributes.AttributeType;
import dev.ivr.server.crm.attributes.DeclaredAttribute;
import dev.ivr.server.text.DidYouMean;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Customer attributes in a flow's expressions, checked against the declared ones
 * ({@code crm.attributes}): a name nothing declares (with "did you mean"), and comparisons that
 * cannot work at call time. Flows read attributes as text in their canonical form (dates
 * {@code YYYY-MM-DD}, booleans {@code true}/{@code false}), so {@code customer.attributes.balance > 100}
 * fails at call time and {@code customer.attributes.plan == "premum"} is never true. Findings are
 * warnings ({@code validate --strict} fails on them). Nothing is checked while no attribute is
 * declared: attributes stay free-form.
 */
final class AttributeCheck {
    private static final Set<String> ORDERING = Set.of(Operator.LESS.getFunction(), Operator.LESS_EQUALS.getFunction(),
            Operator.GREATER.getFunction(), Operator.GREATER_EQUALS.getFunction());
    private static final Set<String> EQUALITY = Set.of(Operator.EQUALS.getFunction(), Operator.NOT_EQUALS.getFunction());

    /** A finding at an offset of the expression's text. */
    record Finding(int offset, String message) {
    }

    private AttributeCheck() {
    }

    static List<Finding> check(String source, AttributeSchema schema) {
        List<Finding> out = new ArrayList<>();
        if (schema.isEmpty()) {
            return out;
        }
        Optional<AttributeRefs.Parsed> parsed = AttributeRefs.parse(source);
        if (parsed.isEmpty()) {
            return out;
        }
        AttributeRefs.Parsed p = parsed.get();
        AttributeRefs.walk(p.root(), e -> {
            Optional<String> name = AttributeRefs.name(e, false).or(() -> AttributeRefs.presence(e, false));
            if (name.isPresent() && schema.get(name.get()).isEmpty()) {
                out.add(new Finding(p.offset(e), "customer.attributes." + name.get() + ": no attribute '" + name.get()
                        + "' is declared in crm.attributes" + schema.suggest(name.get()) + " (declared: "
                        + String.join(", ", schema.names()) + "); at call time it would be missing"));
            }
            if (e.getKind() == CelExpr.ExprKind.Kind.CALL && e.call().args().size() == 2) {
                String f = e.call().function();
                CelExpr a = e.call().args().get(0);
                CelExpr b = e.call().args().get(1);
                if (ORDERING.contains(f) || EQUALITY.contains(f)) {
                    compare(schema, p, a, b, ORDERING.contains(f), out);
                    compare(schema, p, b, a, ORDERING.contains(f), out);
                } else if (f.equals(Operator.IN.getFunction()) && b.getKind() == CelExpr.ExprKind.Kind.LIST) {
                    for (CelExpr x : b.list().elements()) {
                        compare(schema, p, a, x, false, out);
                    }
                }
            }
        });
        return out;
    }

    private static void compare(AttributeSchema schema, AttributeRefs.Parsed p, CelExpr attr, CelExpr other,
                                boolean ordering, List<Finding> out) {
        Optional<DeclaredAttribute> declared = AttributeRefs.name(attr, false).flatMap(schema::get);
        if (declared.isEmpty() || other.getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
            return;
        }
        DeclaredAttribute d = declared.get();
        String ref = "customer.attributes." + d.name();
        String problem = problem(d, ref, other.constant(), ordering);
        if (problem != null) {
            out.add(new Finding(p.offset(attr), ref + " (" + d.type().word() + "): " + problem));
        }
    }

    private static String problem(DeclaredAttribute d, String ref, CelConstant c, boolean ordering) {
        switch (c.getKind()) {
            case INT64_VALUE, UINT64_VALUE, DOUBLE_VALUE -> {
                return d.type() == AttributeType.NUMBER
                        ? "flows read attributes as text, so comparing it with a number fails at call time: write double("
                        + ref + ") to compare it as a number"
                        : "compared with a number, but it is " + d.type().word() + " (text in flows): this fails at call time";
            }
            case BOOLEAN_VALUE -> {
                return d.type() == AttributeType.BOOLEAN
                        ? "flows read attributes as text: compare it with \"true\" or \"false\" (in quotes)"
                        : "compared with true/false, but it is " + d.type().word() + ": this fails at call time";
            }
            case STRING_VALUE -> {
                String s = c.stringValue();
                try {
                    String canonical = d.canonical(s);
                    if (d.type() == AttributeType.NUMBER && ordering) {
                        return "text order is not number order (\"9\" > \"10\"): write double(" + ref + ") " + "and a number";
                    }
                    if (!canonical.equals(s)) {
                        return "values are stored as \"" + canonical + "\", so \"" + s + "\" never matches";
                    }
                    if (d.type() == AttributeType.BOOLEAN && ordering || d.type() == AttributeType.ENUM && ordering) {
                        return "a " + d.type().word() + " has no order";
                    }
                    return null;
                } catch (DeclaredAttribute.InvalidValue e) {
                    return "\"" + s + "\" " + e.getMessage() + (d.type() == AttributeType.ENUM
                            ? "" : DidYouMean.suffix(s, d.values()));
                }
            }
            default -> {
                return null;
            }
        }
    }
}
