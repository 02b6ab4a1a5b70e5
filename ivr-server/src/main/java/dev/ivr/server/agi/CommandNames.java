package dev.ivr.server.agi;

import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.ExecCommand;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** The AGI command word(s) of a command, e.g. "STREAM FILE", "EXEC Dial": a metric label. */
final class CommandNames {
    private static final Map<Class<?>, String> BY_CLASS = new ConcurrentHashMap<>();
    private static final Pattern APP = Pattern.compile("[A-Za-z0-9_]{1,32}");
    /** Labels of the applications seen, at most {@link #MAX_APPS} (the flows name a few; beyond that, computed each time). */
    private static final Map<String, String> EXEC_NAMES = new ConcurrentHashMap<>();
    private static final int MAX_APPS = 256;

    private CommandNames() {
    }

    static String of(AgiCommand command) {
        if (command instanceof ExecCommand exec) {
            String app = exec.getApplication() == null ? "" : exec.getApplication();
            String known = EXEC_NAMES.get(app);
            if (known != null) {
                return known;
            }
            String name = "EXEC " + (APP.matcher(app).matches() ? app : "other");
            if (EXEC_NAMES.size() < MAX_APPS) {
                EXEC_NAMES.put(app, name);
            }
            return name;
        }
        return BY_CLASS.computeIfAbsent(command.getClass(), c -> {
            String simple = c.getSimpleName().replaceFirst("Command$", "");
            return simple.replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
        });
    }
}
