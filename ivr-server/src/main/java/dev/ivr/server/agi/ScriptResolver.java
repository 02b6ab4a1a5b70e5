package dev.ivr.server.agi;

import java.util.Collection;
import java.util.Optional;

/** Maps the script name of {@code agi://host/NAME} to what serves it (a flow, a built-in script). */
public interface ScriptResolver {

    Optional<CallHandler> resolve(String script);

    /** The names that resolve, for the log line when a name does not. */
    Collection<String> names();
}
