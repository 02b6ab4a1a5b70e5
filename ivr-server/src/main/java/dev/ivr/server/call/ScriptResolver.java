package dev.ivr.server.call;

import java.util.Collection;
import java.util.Optional;

/** Maps the script name of {@code agi://host/NAME} to what serves it (a flow, a built-in script). */
public interface ScriptResolver {

    Optional<CallHandler> resolve(String script);

    /** The names that resolve, for the log line when a name does not. */
    Collection<String> names();

    /**
     * Why {@code script} does not resolve when this resolver knows the name but refuses it (a flow
     * file with errors), for the log; empty when the name is simply unknown here.
     */
    default Optional<String> refusal(String script) {
        return Optional.empty();
    }
}
