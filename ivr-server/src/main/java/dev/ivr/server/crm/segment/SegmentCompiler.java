package dev.ivr.server.crm.segment;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.parser.Operator;
import dev.ivr.server.crm.attributes.AttributeRefs;
import dev.ivr.server.crm.attributes.AttributeSchema;
import dev.ivr.server.crm.attributes.AttributeType;
import dev.ivr.server.crm.attributes.DeclaredAttribute;
import dev.ivr.server.text.DidYouMean;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles a segment, written in the flows' expression language (CEL), to SQL over the
 * customers and their attributes. What it takes:
 * <ul>
 *   <li>{@code &&}, {@code ||}, {@code !}, parentheses;</li>
 *   <li>comparisons ({@code == != < <= > >=}) of a declared attribute ({@code attr.NAME} or
 *       {@code customer.attributes.NAME}) or a customer field ({@code customer.tier},
 *       {@code language}, {@code id}, {@code first_name}, {@code last_name}) with a value of
 *       its type: text, a number, {@code true}/{@code false}, an enum value, a date as
 *       {@code date("2027-03-31")}, {@code today()}, either plus or minus {@code duration("25d")};</li>
 *   <li>{@code X in [v1, v2]}, {@code has(attr.NAME)}, and a boolean attribute alone
 *       ({@code attr.do_not_call}, {@code !attr.do_not_call}).</li>
 * </ul>
 * A customer without the attribute matches no comparison ({@code !=} included: "has a value
 * other than"), and matches its negation ({@code !(attr.plan == "basic")}). Numbers compare as
 * numbers (the number column), dates as dates. Each comparison is a sub-query on the attribute
 * table's (name, value) or (name, number) index; a negated one is {@code not exists} correlated
 * on the customer (an anti-join on the primary key). Anything else is refused with its line and
 * column, at save time.
 */
public final class SegmentCompiler {
    static final Map<String, String> CUSTOMER_FIELDS = Map.of("id", "c.id", "first_name", "c.first_name",
            "last_name", "c.last_name", "language", "c.language", "tier", "c.tier");
    private static final Pattern DAYS = Pattern.compile("(\\d{1,5})d");
    private static final Map<String, String> COMPARISONS = Map.of(
            Operator.EQUALS.getFunction(), "=", Operator.NOT_EQUALS.getFunction(), "<>",
            Operator.LESS.getFunction(), "<", Operator.LESS_EQUALS.getFunction(), "<=",
            Operator.GREATER.getFunction(), ">", Operator.GREATER_EQUALS.getFunction(), ">=");
    private static final Map<String, String> FLIPPED = Map.of("=", "=", "<>", "<>", "<", ">", "<=", ">=", ">", "<", ">=", "<=");

    private final AttributeSchema schema;
    private final String source;
    private final LocalDate today;
    private final List<Object> params = new ArrayList<>();
    private AttributeRefs.Parsed parsed;

    private SegmentCompiler(AttributeSchema schema, String source, LocalDate today) {
        this.schema = schema;
        this.source = source;
        this.today = today;
    }

    /**
     * @param today the date {@code today()} stands for
     * @throws SegmentException with the line and column of the first problem
     */
    public static SegmentQuery compile(String expression, AttributeSchema schema, LocalDate today) throws SegmentException {
        if (expression == null || expression.isBlank()) {
            throw new SegmentException(1, 1, "the expression is empty");
        }
        if (expression.length() > 4000) {
            throw new SegmentException(1, 1, "the expression is longer than 4000 characters");
        }
        Optional<AttributeRefs.Problem> problem = AttributeRefs.problem(expression);
        if (problem.isPresent()) {
            throw new SegmentException(problem.get().line(), problem.get().column(), problem.get().message());
        }
        SegmentCompiler c = new SegmentCompiler(schema, expression, today);
        c.parsed = AttributeRefs.parse(expression).orElseThrow(() -> new SegmentException(1, 1, "not an expression"));
        String where = c.condition(c.parsed.root());
        return new SegmentQuery(where, c.params);
    }

    // ------------------------------------------------------------ conditions

    private String condition(CelExpr e) throws SegmentException {
        if (e.getKind() == CelExpr.ExprKind.Kind.CALL) {
            String f = e.call().function();
            List<CelExpr> args = e.call().args();
            if (f.equals(Operator.LOGICAL_AND.getFunction())) {
                return conjunction(chain(e, f));
            }
            if (f.equals(Operator.LOGICAL_OR.getFunction())) {
                List<String> parts = new ArrayList<>();
                for (CelExpr a : chain(e, f)) {
                    parts.add(condition(a));
                }
                return "(" + String.join(" or ", parts) + ")";
            }
            if (f.equals(Operator.LOGICAL_NOT.getFunction())) {
                return negation(args.get(0));
            }
            if (COMPARISONS.containsKey(f) && args.size() == 2) {
                return comparison(e, COMPARISONS.get(f), args.get(0), args.get(1));
            }
            if (f.equals(Operator.IN.getFunction()) && args.size() == 2) {
                return in(args.get(0), args.get(1));
            }
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE) {
            return e.constant().booleanValue() ? "1 = 1" : "1 = 0";
        }
        Optional<String> present = AttributeRefs.presence(e, true);
        if (present.isPresent()) {
            DeclaredAttribute d = declared(e, present.get());
            params.add(d.name());
            return "c.id in (select a.customer_id from customer_attributes a where a.attr_name = ?)";
        }
        Optional<String> attr = AttributeRefs.name(e, true);
        if (attr.isPresent()) {
            DeclaredAttribute d = declared(e, attr.get());
            if (d.type() != AttributeType.BOOLEAN) {
                throw error(e, "attr." + d.name() + " is " + d.type().word() + ", not true/false: compare it with a value");
            }
            return attributeTest(d, "=", "true");
        }
        throw error(e, "a segment is a condition: comparisons of attributes and customer fields joined with &&, || and !"
                + " (this part is not one)");
    }

    /** One bound of a range on an attribute: {@code attr.X >= value} and the like. */
    private record Bound(DeclaredAttribute attribute, String op, String canonical) {
    }

    /**
     * Operands joined by &&. Two or more bounds on one attribute ({@code attr.contract_end >= A && attr.contract_end <=
     * B}) become one sub-query with both bounds, so that the index reads the range once (a customer has one value per
     * attribute: the same customers as one sub-query per bound).
     */
    private String conjunction(List<CelExpr> operands) throws SegmentException {
        List<Optional<Bound>> bounds = new ArrayList<>();
        Map<String, Integer> perAttribute = new java.util.HashMap<>();
        for (CelExpr a : operands) {
            Optional<Bound> b = bound(a);
            bounds.add(b);
            b.ifPresent(x -> perAttribute.merge(x.attribute().name(), 1, Integer::sum));
        }
        List<String> parts = new ArrayList<>();
        Set<String> merged = new java.util.HashSet<>();
        for (int i = 0; i < operands.size(); i++) {
            Optional<Bound> b = bounds.get(i);
            if (b.isEmpty() || perAttribute.get(b.get().attribute().name()) < 2) {
                parts.add(condition(operands.get(i)));
                continue;
            }
            DeclaredAttribute d = b.get().attribute();
            if (!merged.add(d.name())) {
                continue; // in the sub-query of the first bound
            }
            boolean number = d.type() == AttributeType.NUMBER;
            StringBuilder sql = new StringBuilder("c.id in (select a.customer_id from customer_attributes a where a.attr_name = ?");
            params.add(d.name());
            for (Optional<Bound> other : bounds) {
                if (other.isPresent() && other.get().attribute().name().equals(d.name())) {
                    sql.append(number ? " and a.attr_number " : " and a.attr_value ").append(other.get().op()).append(" ?");
                    params.add(number ? new BigDecimal(other.get().canonical()) : other.get().canonical());
                }
            }
            parts.add(sql.append(')').toString());
        }
        return "(" + String.join(" and ", parts) + ")";
    }

    /** The operand as a range bound on a date, number or text attribute, when it is one. */
    private Optional<Bound> bound(CelExpr e) throws SegmentException {
        if (e.getKind() != CelExpr.ExprKind.Kind.CALL || e.call().args().size() != 2) {
            return Optional.empty();
        }
        String op = COMPARISONS.get(e.call().function());
        if (op == null || op.equals("=") || op.equals("<>")) {
            return Optional.empty();
        }
        Optional<Subject> l = subject(e.call().args().get(0));
        Optional<Subject> r = subject(e.call().args().get(1));
        if (l.isPresent() == r.isPresent()) {
            return Optional.empty(); // an error, reported by condition()
        }
        Subject s = l.orElseGet(r::get);
        DeclaredAttribute d = s.attribute();
        if (d == null || !(d.type() == AttributeType.DATE || d.type() == AttributeType.NUMBER || d.type() == AttributeType.TEXT)) {
            return Optional.empty();
        }
        CelExpr valueExpr = l.isPresent() ? e.call().args().get(1) : e.call().args().get(0);
        String canonical = switch (d.type()) {
            case DATE -> date(valueExpr).toString();
            case NUMBER -> number(valueExpr, "attr." + d.name()).toPlainString();
            default -> {
                String v = text(valueExpr, "attr." + d.name() + " is " + d.type().word());
                try {
                    yield d.canonical(v);
                } catch (DeclaredAttribute.InvalidValue x) {
                    throw error(valueExpr, "attr." + d.name() + ": \"" + v + "\" " + x.getMessage());
                }
            }
        };
        return Optional.of(new Bound(d, l.isPresent() ? op : FLIPPED.get(op), canonical));
    }

    /** The operands of a chain of the same operator, flattened: a && (b && c) → a, b, c. */
    private static List<CelExpr> chain(CelExpr e, String function) {
        List<CelExpr> out = new ArrayList<>();
        for (CelExpr a : e.call().args()) {
            if (a.getKind() == CelExpr.ExprKind.Kind.CALL && a.call().function().equals(function)) {
                out.addAll(chain(a, function));
            } else {
                out.add(a);
            }
        }
        return out;
    }

    private String comparison(CelExpr at, String op, CelExpr left, CelExpr right) throws SegmentException {
        Optional<Subject> l = subject(left);
        Optional<Subject> r = subject(right);
        if (l.isPresent() && r.isPresent()) {
            throw error(at, "compare an attribute or field with a value, not with another attribute or field");
        }
        if (l.isEmpty() && r.isEmpty()) {
            throw error(at, "one side of a comparison must be an attribute (attr.NAME) or a customer field (customer.tier ...)");
        }
        Subject s = l.orElseGet(r::get);
        CelExpr valueExpr = l.isPresent() ? right : left;
        String sqlOp = l.isPresent() ? op : FLIPPED.get(op);
        return test(s, sqlOp, valueExpr);
    }

    private String in(CelExpr left, CelExpr list) throws SegmentException {
        return "(" + String.join(" or ", inTests(left, list)) + ")";
    }

    /** {@code X in [v1, v2]}: one equality test per value. */
    private List<String> inTests(CelExpr left, CelExpr list) throws SegmentException {
        Subject s = subject(left).orElseThrow(() -> error(left, "the left of 'in' must be an attribute or a customer field"));
        if (list.getKind() != CelExpr.ExprKind.Kind.LIST || list.list().elements().isEmpty()) {
            throw error(list, "the right of 'in' must be a list of values, e.g. [\"basic\", \"premium\"]");
        }
        List<String> parts = new ArrayList<>();
        for (CelExpr v : list.list().elements()) {
            parts.add(test(s, "=", v));
        }
        return parts;
    }

    /** An attribute sub-query as this compiler writes it, alone or in the parentheses of a conjunction of one. */
    private static final Pattern SUBQUERY = Pattern.compile("c\\.id in \\(select a\\.customer_id from customer_attributes a where"
            + " ([^()]*)\\)|\\(c\\.id in \\(select a\\.customer_id from customer_attributes a where ([^()]*)\\)\\)");

    /**
     * {@code !operand}. A customer without a matching attribute row is {@code not exists (...)} correlated on the
     * customer (an anti-join on the attribute table's primary key), not {@code not c.id in (...)} (which reads every
     * matching row of the attribute first); the negation of {@code ||}, {@code &&} and {@code in [...]} is carried
     * to their operands (De Morgan: the same customers, SQL's three-valued logic included), so that each is one.
     */
    private String negation(CelExpr e) throws SegmentException {
        if (e.getKind() == CelExpr.ExprKind.Kind.CALL) {
            String f = e.call().function();
            List<CelExpr> args = e.call().args();
            if (f.equals(Operator.LOGICAL_NOT.getFunction())) {
                return condition(args.get(0));
            }
            if (f.equals(Operator.LOGICAL_OR.getFunction())) {
                List<String> parts = new ArrayList<>();
                for (CelExpr a : chain(e, f)) {
                    parts.add(negation(a));
                }
                return "(" + String.join(" and ", parts) + ")";
            }
            if (f.equals(Operator.LOGICAL_AND.getFunction())) {
                int mark = params.size();
                Optional<String> one = antiJoin(conjunction(chain(e, f))); // bounds of one attribute: one sub-query
                if (one.isPresent()) {
                    return one.get();
                }
                params.subList(mark, params.size()).clear();
                List<String> parts = new ArrayList<>();
                for (CelExpr a : chain(e, f)) {
                    parts.add(negation(a));
                }
                return "(" + String.join(" or ", parts) + ")";
            }
            if (f.equals(Operator.IN.getFunction()) && args.size() == 2) {
                List<String> parts = new ArrayList<>();
                for (String t : inTests(args.get(0), args.get(1))) {
                    parts.add(antiJoin(t).orElse("not " + t));
                }
                return "(" + String.join(" and ", parts) + ")";
            }
        }
        String inner = condition(e);
        return antiJoin(inner).orElse("not " + inner);
    }

    /** The negation of an attribute sub-query, correlated on the customer; empty when {@code sql} is not one. */
    private static Optional<String> antiJoin(String sql) {
        Matcher m = SUBQUERY.matcher(sql);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of("not exists (select 1 from customer_attributes a where a.customer_id = c.id and "
                + (m.group(1) != null ? m.group(1) : m.group(2)) + ")");
    }

    /** An attribute or a customer field, with where it is. */
    private record Subject(CelExpr at, DeclaredAttribute attribute, String column, String field) {
    }

    private Optional<Subject> subject(CelExpr e) throws SegmentException {
        Optional<String> attr = AttributeRefs.name(e, true);
        if (attr.isPresent()) {
            return Optional.of(new Subject(e, declared(e, attr.get()), null, null));
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.SELECT && !e.select().testOnly()
                && e.select().operand().getKind() == CelExpr.ExprKind.Kind.IDENT
                && e.select().operand().ident().name().equals("customer")) {
            String field = e.select().field();
            String column = CUSTOMER_FIELDS.get(field);
            if (column == null) {
                throw error(e, "customer has no field '" + field + "' a segment can use" + DidYouMean.suffix(field,
                        CUSTOMER_FIELDS.keySet()) + " (fields: " + String.join(", ", new java.util.TreeSet<>(CUSTOMER_FIELDS.keySet()))
                        + "; attributes: attr.NAME)");
            }
            return Optional.of(new Subject(e, null, column, field));
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.IDENT && !Set.of("attr", "customer").contains(e.ident().name())) {
            throw error(e, "unknown name '" + e.ident().name() + "': segments read attr.NAME, customer.FIELD, today(),"
                    + " date(\"YYYY-MM-DD\") and duration(\"Nd\")");
        }
        return Optional.empty();
    }

    private DeclaredAttribute declared(CelExpr at, String name) throws SegmentException {
        return schema.get(name).orElseThrow(() -> error(at, "no attribute '" + name + "' is declared in crm.attributes"
                + schema.suggest(name) + " (declared: " + (schema.isEmpty() ? "none" : String.join(", ", schema.names()))
                + "); segments compare attributes by their declared type"));
    }

    private String test(Subject s, String op, CelExpr valueExpr) throws SegmentException {
        if (s.attribute() == null) {
            String v = text(valueExpr, "customer." + s.field() + " is text");
            params.add(v);
            return s.column() + " " + op + " ?";
        }
        DeclaredAttribute d = s.attribute();
        String name = "attr." + d.name();
        String canonical = switch (d.type()) {
            case DATE -> date(valueExpr).toString();
            case NUMBER -> number(valueExpr, name).toPlainString();
            case BOOLEAN -> {
                if (valueExpr.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                        && valueExpr.constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE) {
                    yield Boolean.toString(valueExpr.constant().booleanValue());
                }
                throw error(valueExpr, name + " is boolean: compare it with true or false");
            }
            case ENUM, TEXT -> {
                String v = text(valueExpr, name + " is " + d.type().word());
                try {
                    String c = d.canonical(v);
                    if (d.type() == AttributeType.ENUM && !op.equals("=") && !op.equals("<>")) {
                        throw error(valueExpr, name + " is an enum: it has no order (use == or in [...])");
                    }
                    yield c;
                } catch (DeclaredAttribute.InvalidValue x) {
                    throw error(valueExpr, name + ": \"" + v + "\" " + x.getMessage());
                }
            }
        };
        if ((d.type() == AttributeType.BOOLEAN) && !op.equals("=") && !op.equals("<>")) {
            throw error(valueExpr, name + " is boolean: use == or !=");
        }
        return attributeTest(d, op, canonical);
    }

    /** A customer with the attribute and a value that compares so ({@code <>}: a value other than). */
    private String attributeTest(DeclaredAttribute d, String op, String canonical) {
        params.add(d.name());
        if (d.type() == AttributeType.NUMBER) {
            params.add(new BigDecimal(canonical));
            return "c.id in (select a.customer_id from customer_attributes a where a.attr_name = ? and a.attr_number "
                    + op + " ?)";
        }
        params.add(canonical);
        return "c.id in (select a.customer_id from customer_attributes a where a.attr_name = ? and a.attr_value " + op + " ?)";
    }

    // ------------------------------------------------------------ values

    private String text(CelExpr e, String what) throws SegmentException {
        if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
            return e.constant().stringValue();
        }
        throw error(e, what + ": compare it with text in quotes");
    }

    private BigDecimal number(CelExpr e, String name) throws SegmentException {
        if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT) {
            CelConstant c = e.constant();
            switch (c.getKind()) {
                case INT64_VALUE -> {
                    return BigDecimal.valueOf(c.int64Value());
                }
                case UINT64_VALUE -> {
                    return new BigDecimal(c.uint64Value().bigIntegerValue());
                }
                case DOUBLE_VALUE -> {
                    return BigDecimal.valueOf(c.doubleValue());
                }
                default -> {
                }
            }
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.CALL && e.call().function().equals(Operator.NEGATE.getFunction())) {
            return number(e.call().args().get(0), name).negate();
        }
        throw error(e, name + " is a number: compare it with a number (1200, 99.5)");
    }

    /** today(), date("YYYY-MM-DD"), either ± duration("Nd"). */
    private LocalDate date(CelExpr e) throws SegmentException {
        if (e.getKind() == CelExpr.ExprKind.Kind.CALL) {
            String f = e.call().function();
            List<CelExpr> args = e.call().args();
            if (f.equals("today") && args.isEmpty() && e.call().target().isEmpty()) {
                return today;
            }
            if (f.equals("date") && args.size() == 1 && e.call().target().isEmpty()) {
                String s = text(args.get(0), "date(...) takes a date");
                try {
                    return LocalDate.parse(s);
                } catch (DateTimeParseException x) {
                    throw error(args.get(0), "\"" + s + "\" is not a date (YYYY-MM-DD, e.g. 2027-03-31)");
                }
            }
            if ((f.equals(Operator.ADD.getFunction()) || f.equals(Operator.SUBTRACT.getFunction())) && args.size() == 2) {
                LocalDate base = date(args.get(0));
                long days = days(args.get(1));
                return f.equals(Operator.ADD.getFunction()) ? base.plusDays(days) : base.minusDays(days);
            }
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
            throw error(e, "write a date as date(\"" + e.constant().stringValue() + "\") or today() + duration(\"30d\")");
        }
        throw error(e, "a date attribute compares with today(), date(\"YYYY-MM-DD\"), either plus or minus duration(\"Nd\")");
    }

    private long days(CelExpr e) throws SegmentException {
        if (e.getKind() == CelExpr.ExprKind.Kind.CALL && e.call().function().equals("duration")
                && e.call().args().size() == 1) {
            String s = text(e.call().args().get(0), "duration(...) takes a number of days");
            Matcher m = DAYS.matcher(s.strip());
            if (m.matches()) {
                return Long.parseLong(m.group(1));
            }
            throw error(e.call().args().get(0), "\"" + s + "\" is not a number of days such as \"30d\"");
        }
        throw error(e, "add or subtract a duration(\"Nd\") from a date");
    }

    private SegmentException error(CelExpr at, String message) {
        int offset = Math.max(0, Math.min(parsed.offset(at), source.length()));
        int line = 1;
        int col = 1;
        for (int i = 0; i < offset; i++) {
            if (source.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new SegmentException(line, col, message);
    }
}
