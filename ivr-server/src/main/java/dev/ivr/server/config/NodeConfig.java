package dev.ivr.server.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

public record NodeConfig(
        @Doc("Name of this server in logs, metrics, the diagnostic script and the cluster. Empty: the host name.")
        String name,
        @Doc("Directory for the H2 database, generated tokens, the prompt cache and other state; created if missing (mode 0700).")
        Path dataDir,
        @Doc("Weak settings this server may run with anyway, by key: crm.pin-hash (Argon2id below OWASP's minimum), crm.lockout (more than 10 wrong PINs per window), agi.allow, speech.allow, prompts.http-allow (a block of /8 or wider, /16 for IPv6, on a listener not bound to loopback), integrations.endpoints (an endpoint of http nodes over plain http to another host). The server refuses to start with a weak setting not listed here, and warns at every start about those listed.")
        List<String> acceptWeakSettings,
        @Doc("How many steps below the calls' priority (Linux nice values, 0-19) the background writers and loops run: the journal's and the contact history's writers, the live KPIs, the journal tail, the webhook poller, the callback sweep, the recordings' upkeep. On a busy CPU the calls' threads then run first and the writers catch up after (their work is off the calls' path). 0 (the default): the same priority as the calls. Linux with Java 22 or newer; elsewhere it does nothing.")
        int backgroundNice,
        @Doc("Whether the same background writers and loops run under Linux's SCHED_IDLE policy instead: the kernel then preempts them the moment a call's thread wakes (with the default policy, or a nice value, a writer in the middle of a batch keeps the CPU until its time slice is checked, up to a scheduler tick: 4 ms at 250 Hz, a call's reply waits that long) and gives them only CPU time nothing else wants. On a CPU saturated for long they fall behind (the journal's and the contact history's outboxes keep their events on disk; the live KPIs and the event stream lag) and catch up when it is free. Off (the default): background-nice applies. Linux with Java 22 or newer; elsewhere background-nice applies.")
        boolean backgroundIdle) implements Validated {

    public NodeConfig {
        acceptWeakSettings = acceptWeakSettings == null ? List.of() : List.copyOf(acceptWeakSettings);
    }

    @Override
    public void validate(Problems p) {
        if (name != null && !name.isEmpty() && !name.matches("[A-Za-z0-9._-]{1,64}")) {
            p.add("name", "use 1-64 letters, digits, '.', '_' or '-' (got '" + name + "')");
        }
        if (dataDir == null) {
            p.add("data-dir", "must be set");
        }
        if (backgroundNice < 0 || backgroundNice > 19) {
            p.add("background-nice", "must be 0-19 (got " + backgroundNice + ")");
        }
        for (int i = 0; i < acceptWeakSettings.size(); i++) {
            if (!WeakSettings.KEYS.contains(acceptWeakSettings.get(i))) {
                p.add("accept-weak-settings[" + i + "]", "'" + acceptWeakSettings.get(i) + "' is not one of "
                        + String.join(", ", WeakSettings.KEYS));
            }
        }
    }

    /** The configured name, or the host name when none is set. */
    public String effectiveName() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
        } catch (Exception e) {
            return "ivr";
        }
    }
}
