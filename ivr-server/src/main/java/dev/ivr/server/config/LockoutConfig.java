package dev.ivr.server.config;

import java.time.Duration;

public record LockoutConfig(
        @Doc("Wrong PINs for one account within the window that lock it.")
        int maxFailures,
        @Doc("The window in which failures are counted; it starts at the first failure.")
        Duration window,
        @Doc("How long a locked account stays locked.")
        Duration duration) implements Validated {

    @Override
    public void validate(Problems p) {
        if (maxFailures < 1 || maxFailures > 100) {
            p.add("max-failures", "must be between 1 and 100 (got " + maxFailures + ")");
        }
        p.positive("window", window);
        p.positive("duration", duration);
    }
}
