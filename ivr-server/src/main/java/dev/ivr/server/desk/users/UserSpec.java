package dev.ivr.server.desk.users;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an admin gives to create a user, or to change one (then null means "unchanged").
 *
 * @param password in clear, only on its way to the hash; never stored or logged
 */
public record UserSpec(String id, String name, Set<String> roles, String endpoint, Map<String, Integer> skills,
                       Set<String> languages, Boolean enabled, String password) {

    public static final Set<String> ROLES = Set.of("admin", "supervisor", "agent", "monitor");
    public static final int MIN_PASSWORD = 8;
    public static final int MAX_PASSWORD = 200;
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    static final Pattern SKILL = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})*");
    /** An Asterisk dial string: TECH/resource (PJSIP/1001, SIP/agent7, Local/100@agents). */
    static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9]+/[A-Za-z0-9._@:+#*-]{1,150}");

    /** Every problem of a new user, as "field: message" lines; empty when it can be created. */
    public List<String> problemsForCreate() {
        List<String> p = new ArrayList<>();
        if (id == null || !ID.matcher(id).matches()) {
            p.add("id: 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
        if (password == null) {
            p.add("password: required");
        }
        if (roles == null || roles.isEmpty()) {
            p.add("roles: at least one of " + String.join(", ", sorted(ROLES)));
        }
        checkCommon(p, roles == null ? Set.of() : roles, endpoint);
        return p;
    }

    /** Every problem of this as changes to {@code current}; empty when they can be applied. */
    public List<String> problemsForUpdate(User current) {
        List<String> p = new ArrayList<>();
        if (roles != null && roles.isEmpty()) {
            p.add("roles: at least one of " + String.join(", ", sorted(ROLES)));
        }
        Set<String> effectiveRoles = roles != null ? roles : current.roles();
        String effectiveEndpoint = endpoint != null ? (endpoint.isBlank() ? null : endpoint) : current.endpoint();
        checkCommon(p, effectiveRoles, effectiveEndpoint);
        return p;
    }

    private void checkCommon(List<String> p, Set<String> effectiveRoles, String effectiveEndpoint) {
        if (name != null && (name.isBlank() || name.length() > 200)) {
            p.add("name: 1-200 characters");
        }
        if (password != null && (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD)) {
            p.add("password: " + MIN_PASSWORD + "-" + MAX_PASSWORD + " characters");
        }
        for (String r : effectiveRoles) {
            if (!ROLES.contains(r)) {
                p.add("roles: unknown role '" + r + "'; roles are " + String.join(", ", sorted(ROLES)));
            }
        }
        if (effectiveEndpoint != null && !effectiveEndpoint.isBlank() && !ENDPOINT.matcher(effectiveEndpoint).matches()) {
            p.add("endpoint: an Asterisk dial string such as PJSIP/1001");
        }
        if (effectiveRoles.contains("agent") && (effectiveEndpoint == null || effectiveEndpoint.isBlank())) {
            p.add("endpoint: required for the agent role (where to dial the agent, e.g. PJSIP/1001)");
        }
        if (skills != null) {
            skills.forEach((k, v) -> {
                if (k == null || !SKILL.matcher(k).matches()) {
                    p.add("skills: '" + k + "' is not a skill name (lower-case letters, digits, '-', '_')");
                } else if (v == null || v < 1 || v > 10) {
                    p.add("skills." + k + ": level 1-10 (got " + v + ")");
                }
            });
        }
        if (languages != null) {
            for (String l : languages) {
                if (l == null || !LANGUAGE.matcher(l).matches()) {
                    p.add("languages: '" + l + "' is not a language tag such as en or pt-BR");
                }
            }
        }
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
