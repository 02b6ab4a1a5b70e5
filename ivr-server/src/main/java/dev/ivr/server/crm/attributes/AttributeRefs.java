package dev.ivr.server.crm.attributes;

import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.parser.CelParser;
import dev.cel.parser.CelParserImpl;
import dev.cel.parser.CelStandardMacro;
import dev.cel.parser.Operator;

import java.util.Optional;

/**
 * Where an expression (CEL, the flows' language) names a customer attribute:
 * {@code customer.attributes.NAME}, {@code customer.attributes["NAME"]} and, in segments, the
 * shorthand {@code attr.NAME} / {@code attr["NAME"]}. Parsing only: no types, no evaluation.
 */
public final class AttributeRefs {
    private static final CelParser PARSER = CelParserImpl.newBuilder()
            .setOptions(CelOptions.current().maxExpressionCodePointSize(4_000).maxParseRecursionDepth(32).build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS).build();

    private AttributeRefs() {
    }

    /** A parsed expression: its tree and the source offset of each node. */
    public record Parsed(CelExpr root, java.util.Map<Long, Integer> offsets) {
        public int offset(CelExpr e) {
            return offsets.getOrDefault(e.id(), 0);
        }
    }

    /** Parses, or empty when the text is not an expression (the flow compiler reports that itself). */
    public static Optional<Parsed> parse(String source) {
        try {
            CelValidationResult r = PARSER.parse(source);
            if (r.hasError()) {
                return Optional.empty();
            }
            var ast = r.getAst();
            return Optional.of(new Parsed(ast.getExpr(), ast.getSource().getPositionsMap()));
        } catch (CelValidationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The parse problem of a text, for messages: "1:5: message", or empty when it parses. */
    public static Optional<Problem> problem(String source) {
        CelValidationResult r = PARSER.parse(source);
        if (!r.hasError()) {
            return Optional.empty();
        }
        var issue = r.getErrors().get(0);
        var loc = issue.getSourceLocation();
        return Optional.of(new Problem(Math.max(1, loc.getLine()), Math.max(0, loc.getColumn()) + 1,
                issue.getMessage().replace("ERROR: <input>:", "").trim()));
    }

    /** A parse problem: 1-based line and column. */
    public record Problem(int line, int column, String message) {
    }

    /**
     * The attribute a node names, if it is one.
     *
     * @param shorthand whether {@code attr.NAME} counts (segments)
     */
    public static Optional<String> name(CelExpr e, boolean shorthand) {
        CelExpr operand;
        String field;
        if (e.getKind() == CelExpr.ExprKind.Kind.SELECT && !e.select().testOnly()) {
            operand = e.select().operand();
            field = e.select().field();
        } else if (isIndex(e)) {
            operand = e.call().args().get(0);
            CelExpr key = e.call().args().get(1);
            if (key.getKind() != CelExpr.ExprKind.Kind.CONSTANT
                    || key.constant().getKind() != CelConstant.Kind.STRING_VALUE) {
                return Optional.empty();
            }
            field = key.constant().stringValue();
        } else {
            return Optional.empty();
        }
        if (shorthand && operand.getKind() == CelExpr.ExprKind.Kind.IDENT && operand.ident().name().equals("attr")) {
            return Optional.of(field);
        }
        return isCustomerAttributes(operand) ? Optional.of(field) : Optional.empty();
    }

    /** {@code has(customer.attributes.X)} / {@code has(attr.X)}: the attribute tested for presence. */
    public static Optional<String> presence(CelExpr e, boolean shorthand) {
        if (e.getKind() != CelExpr.ExprKind.Kind.SELECT || !e.select().testOnly()) {
            return Optional.empty();
        }
        CelExpr operand = e.select().operand();
        if (shorthand && operand.getKind() == CelExpr.ExprKind.Kind.IDENT && operand.ident().name().equals("attr")
                || isCustomerAttributes(operand)) {
            return Optional.of(e.select().field());
        }
        return Optional.empty();
    }

    private static boolean isCustomerAttributes(CelExpr e) {
        if (e.getKind() == CelExpr.ExprKind.Kind.SELECT && !e.select().testOnly()
                && e.select().field().equals("attributes")) {
            CelExpr c = e.select().operand();
            return c.getKind() == CelExpr.ExprKind.Kind.IDENT && c.ident().name().equals("customer");
        }
        return false;
    }

    static boolean isIndex(CelExpr e) {
        return e.getKind() == CelExpr.ExprKind.Kind.CALL && e.call().function().equals(Operator.INDEX.getFunction())
                && e.call().args().size() == 2 && e.call().target().isEmpty();
    }

    /** Every node of the tree, depth first (macros are expanded by the parser). */
    public static void walk(CelExpr e, java.util.function.Consumer<CelExpr> visit) {
        visit.accept(e);
        switch (e.getKind()) {
            case SELECT -> walk(e.select().operand(), visit);
            case CALL -> {
                e.call().target().ifPresent(t -> walk(t, visit));
                e.call().args().forEach(a -> walk(a, visit));
            }
            case LIST -> e.list().elements().forEach(x -> walk(x, visit));
            case MAP -> e.map().entries().forEach(x -> {
                walk(x.key(), visit);
                walk(x.value(), visit);
            });
            case COMPREHENSION -> {
                walk(e.comprehension().iterRange(), visit);
                walk(e.comprehension().accuInit(), visit);
                walk(e.comprehension().loopCondition(), visit);
                walk(e.comprehension().loopStep(), visit);
                walk(e.comprehension().result(), visit);
            }
            default -> {
            }
        }
    }
}
