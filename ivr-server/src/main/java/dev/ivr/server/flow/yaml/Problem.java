package dev.ivr.server.flow.yaml;

import java.nio.file.Path;
import java.util.Comparator;

/**
 * One thing wrong with a flow (or a prompt catalog, or a calendar), where it is: printed as
 * {@code file:line:column: message} (warnings as {@code file:line:column: warning: message},
 * notes as {@code file:line:column: note: message}), the form editors and CI annotate. Errors
 * refuse a flow; warnings (lint) fail only {@code validate --strict}; notes never fail: they say
 * how the flow will behave on this installation (e.g. a menu that takes keys only because no
 * speech model is configured).
 */
public record Problem(Path file, int line, int column, Severity severity, String message) {
    public enum Severity { ERROR, WARNING, NOTE }

    public static final Comparator<Problem> ORDER = Comparator.comparing((Problem p) -> p.file().toString())
            .thenComparingInt(Problem::line).thenComparingInt(Problem::column).thenComparing(Problem::message);

    public static Problem error(Path file, Pos pos, String message) {
        return new Problem(file, pos.line(), pos.column(), Severity.ERROR, message);
    }

    public static Problem warning(Path file, Pos pos, String message) {
        return new Problem(file, pos.line(), pos.column(), Severity.WARNING, message);
    }

    public static Problem note(Path file, Pos pos, String message) {
        return new Problem(file, pos.line(), pos.column(), Severity.NOTE, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line:column} */
    public String location() {
        return file + ":" + line + ":" + column;
    }

    @Override
    public String toString() {
        return location() + ": " + switch (severity) {
            case ERROR -> "";
            case WARNING -> "warning: ";
            case NOTE -> "note: ";
        } + message;
    }

    /** A position in a file: line and column, both counted from 1. */
    public record Pos(int line, int column) {
        public static final Pos START = new Pos(1, 1);
    }
}
