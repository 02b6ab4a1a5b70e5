package dev.ivr.server.cli;

import dev.ivr.server.config.ConfigException;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.doctor.Doctor;
import dev.ivr.server.doctor.Finding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ivr-server doctor}: checks a running deployment from the admin's side and says what
 * to fix. Exit 1 when a check fails (warnings do not fail).
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check a running deployment (listener, allowlist, health, cluster, database, voices, speech models, flows, prompt delivery) and say what to fix.")
public final class DoctorCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--pbx", paramLabel = "ADDRESS", description = "A PBX address that must be allowed to connect (repeatable).")
    List<String> pbx = List.of();

    @Option(names = "--token", paramLabel = "TOKEN", description = "A token with role monitor, supervisor or admin, for"
            + " /health's details (default: <data-dir>/admin-token when readable).")
    String token;

    @Override
    public Integer call() {
        ToolLogging.quiet();
        IvrConfig cfg;
        try {
            cfg = config.load();
        } catch (ConfigException e) {
            System.out.println("FAIL  config      the configuration has problems:");
            e.problems().forEach(p -> System.out.println("      " + p));
            return 1;
        }
        System.out.println("ivr doctor: " + (config.resolve() == null ? "built-in defaults" : config.resolve()));
        List<Finding> findings = new Doctor(cfg, pbx, token).run();
        for (Finding f : findings) {
            System.out.printf("%-5s %-16s %s%n", f.level(), f.check(), f.message());
            if (f.fix() != null) {
                System.out.printf("      %-16s fix: %s%n", "", f.fix());
            }
        }
        long fails = findings.stream().filter(f -> f.level() == Finding.Level.FAIL).count();
        long warns = findings.stream().filter(f -> f.level() == Finding.Level.WARN).count();
        System.out.printf("%d ok, %d warning(s), %d failure(s)%n", findings.size() - fails - warns, warns, fails);
        return fails > 0 ? 1 : 0;
    }
}
