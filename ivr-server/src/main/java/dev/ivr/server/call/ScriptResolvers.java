package dev.ivr.server.call;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Combinations of {@link ScriptResolver}s. */
public final class ScriptResolvers {
    private ScriptResolvers() {
    }

    /** Fixed scripts by name (the built-in ones). */
    public static ScriptResolver fixed(Map<String, CallHandler> handlers) {
        Map<String, CallHandler> copy = Map.copyOf(handlers);
        return new ScriptResolver() {
            @Override
            public Optional<CallHandler> resolve(String script) {
                return Optional.ofNullable(copy.get(script));
            }

            @Override
            public Collection<String> names() {
                return copy.keySet();
            }
        };
    }

    /** The first resolver that knows a name wins. */
    public static ScriptResolver firstOf(List<ScriptResolver> resolvers) {
        List<ScriptResolver> copy = List.copyOf(resolvers);
        return new ScriptResolver() {
            @Override
            public Optional<CallHandler> resolve(String script) {
                for (ScriptResolver r : copy) {
                    Optional<CallHandler> h = r.resolve(script);
                    if (h.isPresent()) {
                        return h;
                    }
                }
                return Optional.empty();
            }

            @Override
            public Collection<String> names() {
                Set<String> all = new LinkedHashSet<>();
                copy.forEach(r -> all.addAll(r.names()));
                return all;
            }

            @Override
            public Optional<String> refusal(String script) {
                return copy.stream().map(r -> r.refusal(script)).flatMap(Optional::stream).findFirst();
            }
        };
    }
}
