package dev.ivr.server.config;

public record PinHashConfig(
        @Doc("Memory per hash in KiB (OWASP's minimum for Argon2id: 19456, i.e. 19 MiB).")
        int memory,
        @Doc("Passes over the memory.")
        int iterations,
        @Doc("Lanes computed in parallel within one hash.")
        int parallelism) implements Validated {

    @Override
    public void validate(Problems p) {
        if (parallelism < 1 || parallelism > 64) {
            p.add("parallelism", "must be between 1 and 64 (got " + parallelism + ")");
        }
        if (memory < 8 * Math.max(1, parallelism) || memory > 4 * 1024 * 1024) {
            p.add("memory", "must be between 8 x parallelism and 4194304 KiB (got " + memory + ")");
        }
        if (iterations < 1 || iterations > 100) {
            p.add("iterations", "must be between 1 and 100 (got " + iterations + ")");
        }
    }
}
