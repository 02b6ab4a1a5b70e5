package dev.ivr.server.crm.attributes;

import dev.ivr.server.config.AttributeConfig;
import dev.ivr.server.text.DidYouMean;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The declared customer attributes ({@code crm.attributes}). Attributes stay free-form: one
 * that is not declared is stored as text; a declared one is checked against its type wherever a
 * value comes in (CSV import, the API), compared by its type in segments, and named in
 * expressions only as declared (validate --strict).
 */
public final class AttributeSchema {
    public static final AttributeSchema NONE = new AttributeSchema(Map.of());

    private final Map<String, DeclaredAttribute> declared;

    private AttributeSchema(Map<String, DeclaredAttribute> declared) {
        this.declared = declared;
    }

    /** From the configuration (already validated: names unique, types known). */
    public static AttributeSchema of(List<AttributeConfig> config) {
        Map<String, DeclaredAttribute> m = new LinkedHashMap<>();
        for (AttributeConfig a : config) {
            m.put(a.name(), new DeclaredAttribute(a.name(), AttributeType.of(a.type()), a.values(), a.description()));
        }
        return new AttributeSchema(Map.copyOf(m));
    }

    public static AttributeSchema of(DeclaredAttribute... attributes) {
        Map<String, DeclaredAttribute> m = new LinkedHashMap<>();
        for (DeclaredAttribute a : attributes) {
            m.put(a.name(), a);
        }
        return new AttributeSchema(Map.copyOf(m));
    }

    public boolean isEmpty() {
        return declared.isEmpty();
    }

    public Optional<DeclaredAttribute> get(String name) {
        return Optional.ofNullable(declared.get(name));
    }

    public Set<String> names() {
        return new java.util.TreeSet<>(declared.keySet());
    }

    public Collection<DeclaredAttribute> all() {
        return declared.values().stream().sorted(java.util.Comparator.comparing(DeclaredAttribute::name)).toList();
    }

    /** " (did you mean 'x'?)" for an undeclared name, or "". */
    public String suggest(String name) {
        return DidYouMean.suffix(name, declared.keySet());
    }

    /**
     * A value for an attribute in its canonical form: declared ones checked by type, others
     * as text (at most {@value DeclaredAttribute#MAX_TEXT} characters).
     *
     * @throws DeclaredAttribute.InvalidValue when it does not fit
     */
    public String canonical(String name, String raw) throws DeclaredAttribute.InvalidValue {
        DeclaredAttribute d = declared.get(name);
        if (d != null) {
            return d.canonical(raw);
        }
        if (raw != null && raw.length() > DeclaredAttribute.MAX_TEXT) {
            throw new DeclaredAttribute.InvalidValue("is longer than " + DeclaredAttribute.MAX_TEXT + " characters");
        }
        return raw;
    }

    /** The number column's value of an attribute (declared number), else null. */
    public java.math.BigDecimal number(String name, String canonical) {
        DeclaredAttribute d = declared.get(name);
        return d == null ? null : d.number(canonical);
    }
}
