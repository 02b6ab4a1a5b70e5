package dev.ivr.server.agi;

import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.ExecCommand;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The AGI command word(s) of a command, e.g. "STREAM FILE", "EXEC Dial": a metric label. */
final class CommandNames {
    private static final Map<Class<?>, String> BY_CLASS = new ConcurrentHashMap<>();

    private CommandNames() {
    }

    static String of(AgiCommand command) {
        if (command instanceof ExecCommand exec) {
            String app = exec.getApplication() == null ? "" : exec.getApplication();
            return "EXEC " + (app.matches("[A-Za-z0-9_]{1,32}") ? app : "other");
        }
        return BY_CLASS.computeIfAbsent(command.getClass(), c -> {
            String simple = c.getSimpleName().replaceFirst("Command$", "");
            return simple.replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
        });
    }
}
