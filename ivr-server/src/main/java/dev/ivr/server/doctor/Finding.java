package dev.ivr.server.doctor;

/**
 * One result of a doctor check: what was found and, when something is wrong, what to fix.
 *
 * @param fix what the admin should do, or null when nothing
 */
public record Finding(Level level, String check, String message, String fix) {
    public enum Level { OK, WARN, FAIL }

    static Finding ok(String check, String message) {
        return new Finding(Level.OK, check, message, null);
    }

    static Finding warn(String check, String message, String fix) {
        return new Finding(Level.WARN, check, message, fix);
    }

    static Finding fail(String check, String message, String fix) {
        return new Finding(Level.FAIL, check, message, fix);
    }
}
