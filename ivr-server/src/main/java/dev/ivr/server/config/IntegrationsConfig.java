package dev.ivr.server.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Other systems that flows ask through {@code http} nodes (docs/flow-designers.md, "http"). */
public record IntegrationsConfig(
        @Doc("The endpoints flows may name; nothing else can be reached from a flow.")
        List<EndpointConfig> endpoints) implements Validated {

    public IntegrationsConfig {
        endpoints = endpoints == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(endpoints));
    }

    /** The names http nodes may give. */
    public Set<String> names() {
        Set<String> out = new java.util.LinkedHashSet<>();
        endpoints.stream().filter(e -> e != null && e.name() != null).forEach(e -> out.add(e.name()));
        return out;
    }

    @Override
    public void validate(Problems p) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < endpoints.size(); i++) {
            EndpointConfig e = endpoints.get(i);
            if (e == null) {
                p.add("endpoints[" + i + "]", "is empty");
                continue;
            }
            if (e.name() != null && !names.add(e.name())) {
                p.add("endpoints[" + i + "].name", "'" + e.name() + "' is configured twice");
            }
            e.validate(p, "endpoints[" + i + "].");
        }
    }
}
