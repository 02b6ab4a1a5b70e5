package dev.ivr.server.flow;

import dev.ivr.server.flow.yaml.Problem;
import java.time.Instant;
import java.util.List;

/**
 * What the server knows of one flow file, for the log and {@code GET /api/flows}.
 *
 * @param version     the version being served (null: none: the file has never been valid)
 * @param state       {@code ok}: serving the file as it is on disk; {@code error}: the file on
 *                    disk was refused (see problems), an older version may still be served
 * @param loadedAt    when the served version was loaded
 * @param fileVersion the version of the file on disk (differs from version after a refused edit)
 * @param problems    the problems of the file on disk (errors and warnings)
 */
public record FlowStatus(String name, String version, String state, Instant loadedAt, String fileVersion,
                         List<Problem> problems) {
    public FlowStatus {
        problems = List.copyOf(problems);
    }

    /** The first error, as file:line:column: message, or null. */
    public String lastError() {
        return problems.stream().filter(Problem::isError).findFirst().map(Problem::toString).orElse(null);
    }
}
