package dev.ivr.server.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
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
        boolean backgroundIdle,
        @Doc("A custom time slice for the same background writers and loops under Linux's EEVDF scheduler (kernel 6.12 or newer), e.g. 50ms: longer than the calls' threads' (the kernel's default, about 1-3 ms), so that a call's thread that wakes while a writer is in the middle of a batch takes the CPU at once (the kernel's PREEMPT_SHORT) instead of waiting out the writer's slice, while the writers keep their fair share of a busy CPU (no backlog at saturation). Measured at 2,000 calls: the wake-ups are preempted, but the p99 did not move (the calls then wait at the scheduler's next pick, which background-idle or background-nice change and the slice does not); see docs/benchmarks.md. Their nice value (background-nice) is kept. 0ms (the default): the kernel's default slice. 1ms-100ms; with background-idle, background-idle wins. Older kernels accept and ignore it; elsewhere (not Linux on x86_64 or aarch64, Java 21) it does nothing.")
        Duration backgroundSlice,
        @Doc("Whether the JIT's compiler threads (C1, C2) get the same slice as well (background-slice, which must be set): a call's thread woken while a compilation runs then takes the CPU at once; the compilers keep their share, the warm-up is not slowed. The JVM starts compiler threads as it needs them: a background loop looks for new ones every 10 s.")
        boolean backgroundSliceCompilers) implements Validated {

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
        if (backgroundSlice == null || backgroundSlice.isNegative() || backgroundSlice.compareTo(Duration.ofMillis(100)) > 0
                || (!backgroundSlice.isZero() && backgroundSlice.compareTo(Duration.ofNanos(100_000)) < 0)) {
            p.add("background-slice", "must be 0ms (off) or 1ms-100ms (got "
                    + (backgroundSlice == null ? "nothing" : DurationText.format(backgroundSlice)) + ")");
        } else if (backgroundSliceCompilers && backgroundSlice.isZero()) {
            p.add("background-slice-compilers", "needs background-slice (a slice of 1ms-100ms)");
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
