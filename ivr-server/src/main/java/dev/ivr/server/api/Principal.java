package dev.ivr.server.api;

import java.util.Set;

/** Who called the API: the token's name, its roles, and for agents their agent id. */
public record Principal(String name, Set<String> roles, String agentId) {
    public Principal {
        roles = Set.copyOf(roles);
    }

    public boolean hasAnyRole(Set<String> wanted) {
        if (roles.contains("admin")) {
            return true;
        }
        for (String r : wanted) {
            if (roles.contains(r)) {
                return true;
            }
        }
        return false;
    }
}
