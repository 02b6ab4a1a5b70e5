package dev.ivr.server.config;

import java.util.List;
import java.util.Set;

public record TokenConfig(
        @Doc("Who uses the token (shown in logs; the token itself never is).")
        String name,
        @Doc("Roles granted: admin, supervisor, agent, monitor (monitor may read /metrics).")
        List<String> roles,
        @Doc("The token. Prefer ${ENV_VAR} over writing it in the file, or give sha256 instead.")
        String token,
        @Doc("SHA-256 (hex) of the token, instead of the token itself.")
        String sha256,
        @Doc("For the agent role: the agent id this token may act as.")
        String agent) implements Validated {

    public static final Set<String> ROLES = Set.of("admin", "supervisor", "agent", "monitor");

    public TokenConfig {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    @Override
    public void validate(Problems p) {
        p.notBlank("name", name);
        if (roles.isEmpty()) {
            p.add("roles", "must list at least one of " + ROLES);
        }
        for (String r : roles) {
            if (!ROLES.contains(r)) {
                p.add("roles", "unknown role '" + r + "'; roles are " + ROLES);
            }
        }
        boolean hasToken = token != null && !token.isBlank();
        boolean hasHash = sha256 != null && !sha256.isBlank();
        if (hasToken == hasHash) {
            p.add("token", "give exactly one of token or sha256");
        }
        if (hasToken && token.length() < 16) {
            p.add("token", "is too short: use at least 16 characters");
        }
        if (hasHash && !sha256.matches("[0-9a-fA-F]{64}")) {
            p.add("sha256", "must be 64 hex digits");
        }
        if (roles.contains("agent") && (agent == null || agent.isBlank())) {
            p.add("agent", "a token with the agent role must name its agent id");
        }
    }

    /** Without the token and its hash ({@link Redaction#secret}). */
    @Override
    public String toString() {
        return "TokenConfig[name=" + name + ", roles=" + roles + ", token=" + Redaction.secret(token) + ", sha256="
                + Redaction.secret(sha256) + ", agent=" + agent + "]";
    }
}
