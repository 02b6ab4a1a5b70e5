package dev.ivr.server.cli;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * The console of the command, only when a person is at it. From JDK 22 {@link System#console()} returns a console
 * even when standard input or output is redirected ({@code Console.isTerminal()} tells them apart); on JDK 21 it
 * returns null then. This class answers the same on both.
 */
final class Terminal {
    private static final Method IS_TERMINAL = isTerminalMethod();

    private Terminal() {
    }

    /** The console when standard input and output are a terminal; null otherwise. */
    @SuppressWarnings("SystemConsoleNull") // null is still the answer on JDK 21; isTerminal covers 22 and newer
    static Console console() {
        Console console = System.console();
        if (console == null || IS_TERMINAL == null) {
            return console;
        }
        try {
            return Boolean.TRUE.equals(IS_TERMINAL.invoke(console)) ? console : null;
        } catch (ReflectiveOperationException e) {
            return console;
        }
    }

    private static Method isTerminalMethod() {
        try {
            return Console.class.getMethod("isTerminal");
        } catch (NoSuchMethodException e) {
            return null; // JDK 21: a console exists only for a terminal
        }
    }
}
