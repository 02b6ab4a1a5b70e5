package dev.ivr.server.cli;

import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.desk.users.PasswordHasher;
import dev.ivr.server.desk.users.User;
import dev.ivr.server.desk.users.UserException;
import dev.ivr.server.desk.users.UserSpec;
import dev.ivr.server.desk.users.UserStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ivr-server users add|list|passwd|remove}: the people who sign in to the agent desktop
 * and the supervisor dashboard, in the server's database. The same as the admin REST API
 * ({@code /api/users}), for the first admin of a fresh install and for scripts. Passwords are
 * read from the terminal without echo, or from standard input with {@code --password-stdin};
 * never from the command line (it would show in process lists and shell history).
 */
@Command(name = "users", mixinStandardHelpOptions = true,
        description = {"Manage the users of the agent desktop and supervisor dashboard (in the database).",
                "An H2 file database has one user at a time: stop the server first, or use the REST API (/api/users)."},
        subcommands = {UsersCommand.Add.class, UsersCommand.ListUsers.class, UsersCommand.Passwd.class,
                UsersCommand.Remove.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "1:refused (bad input, unknown or existing user) or the database is unreachable",
                "2:bad usage or configuration"})
public final class UsersCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Create a user.")
    static final class Add extends ConfigCommand {

        @Parameters(index = "0", paramLabel = "ID", description = "User id (an agent's id is also their agent id).")
        String id;
        @Option(names = "--name", description = "Display name (default: the id).")
        String name;
        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "admin, supervisor, agent or monitor; repeat for several.")
        List<String> roles;
        @Option(names = "--endpoint", paramLabel = "TECH/RESOURCE", description = "Agents: where to dial them, e.g. PJSIP/1001.")
        String endpoint;
        @Option(names = "--skill", paramLabel = "NAME=LEVEL", description = "Agents: a skill and its level 1-10; repeat for several.")
        Map<String, Integer> skills = new LinkedHashMap<>();
        @Option(names = "--language", paramLabel = "TAG", description = "Agents: a language spoken (en, fr ...); repeat for several.")
        List<String> languages = List.of();
        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean passwordStdin;

        @Override
        public Integer call() {
            return withStore(config, spec, (store, out) -> {
                String password = readPassword(passwordStdin, spec);
                User u = store.create(new UserSpec(id, name, Set.copyOf(roles), endpoint, skills,
                        new LinkedHashSet<>(languages), true, password));
                out.println("created user " + u.id() + " (" + String.join(", ", u.roles().stream().sorted().toList()) + ")");
                if (u.roles().contains("agent")) {
                    skillReport(u);
                }
                return 0;
            });
        }

        /** Which queues the new agent can take (the configuration's queues and the flows' route nodes), and skills nothing asks for. */
        private void skillReport(User u) {
            IvrConfig cfg = config.load();
            var loaded = dev.ivr.server.flow.load.FlowLoader.load(new dev.ivr.server.flow.load.FlowLoader.Sources(
                    cfg.flows().dir(), cfg.prompts().dir(), cfg.flows().calendars(), dev.ivr.server.speech.SpeechModels.SIMULATED));
            for (String line : SkillCheck.of(cfg, loaded.flows().values()).report(u.id(), u.skills())) {
                (line.startsWith("warning") ? spec.commandLine().getErr() : spec.commandLine().getOut()).println(
                        line.startsWith("warning") ? "ivr-server: " + line : line);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users.")
    static final class ListUsers extends ConfigCommand {

        @Override
        public Integer call() {
            return withStore(config, spec, (store, out) -> {
                List<User> users = store.list();
                out.printf("%-20s %-24s %-26s %-14s %s%n", "ID", "NAME", "ROLES", "ENDPOINT", "SKILLS");
                for (User u : users) {
                    out.printf("%-20s %-24s %-26s %-14s %s%s%n", u.id(), u.name(), String.join(",", u.roles().stream().sorted().toList()),
                            u.endpoint() == null ? "-" : u.endpoint(), u.skills().isEmpty() ? "-" : new java.util.TreeMap<>(u.skills()),
                            u.enabled() ? "" : "  (disabled)");
                }
                out.println(users.size() + " user(s)");
                return 0;
            });
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Set a user's password.")
    static final class Passwd extends ConfigCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;
        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean passwordStdin;

        @Override
        public Integer call() {
            return withStore(config, spec, (store, out) -> {
                if (store.find(id).isEmpty()) {
                    throw new UserException(UserException.Kind.NOT_FOUND, "no user '" + id + "'");
                }
                String password = readPassword(passwordStdin, spec);
                store.update(id, new UserSpec(id, null, null, null, null, null, null, password));
                out.println("password of " + id + " changed (sessions already open stay open until they expire)");
                return 0;
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Delete a user.")
    static final class Remove extends ConfigCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return withStore(config, spec, (store, out) -> {
                if (!store.delete(id)) {
                    throw new UserException(UserException.Kind.NOT_FOUND, "no user '" + id + "'");
                }
                out.println("deleted user " + id);
                return 0;
            });
        }
    }

    @FunctionalInterface
    interface StoreAction {
        int run(UserStore store, PrintWriter out);
    }

    /** Loads the configuration, opens the database, runs the action; maps failures to messages and exit codes. */
    static int withStore(ConfigOption option, CommandLine.Model.CommandSpec spec, StoreAction action) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IvrConfig cfg = option.loadOrReport(err);
        if (cfg == null) {
            return 2;
        }
        // the command prints its own messages; the database layer's retry warnings would only repeat them
        for (String name : new String[]{org.slf4j.Logger.ROOT_LOGGER_NAME, "com.zaxxer.hikari", "org.flywaydb"}) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(ch.qos.logback.classic.Level.OFF);
            }
        }
        var inUse = Preflight.h2InUse(cfg);
        if (inUse.isPresent()) {
            err.println("ivr-server: " + inUse.get() + " (POST /api/users)");
            return 1;
        }
        Database db = Database.open(cfg.database(), cfg.dataDir());
        try (db) {
            Duration wait = cfg.database().connectTimeout().multipliedBy(5);
            if (!db.awaitReady(wait.compareTo(Duration.ofSeconds(10)) > 0 ? wait : Duration.ofSeconds(10))) {
                String why = db.health().detail();
                err.println("ivr-server: cannot reach the database: " + why);
                if (why != null && (why.contains("already in use") || why.contains("is locked"))) {
                    err.println("ivr-server: an H2 file database has one user at a time: stop the server first,"
                            + " or use the REST API (POST /api/users) while it runs");
                }
                return 1;
            }
            return action.run(new UserStore(db.dataSource(), new PasswordHasher(), Clock.systemUTC()), out);
        } catch (UserException e) {
            err.println("ivr-server: " + e.getMessage());
            return 1;
        } catch (PasswordInputException e) {
            err.println("ivr-server: " + e.getMessage());
            return 2;
        }
    }

    static final class PasswordInputException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PasswordInputException(String message) {
            super(message);
        }
    }

    /** From stdin (first line) or the terminal (asked twice, no echo). */
    static String readPassword(boolean fromStdin, CommandLine.Model.CommandSpec spec) {
        if (fromStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new PasswordInputException("no password on standard input");
                }
                return line;
            } catch (IOException e) {
                throw new PasswordInputException("cannot read standard input: " + e.getMessage());
            }
        }
        Console console = Terminal.console();
        if (console == null) {
            throw new PasswordInputException("no terminal to ask for the password: give it with --password-stdin");
        }
        char[] first = console.readPassword("Password: ");
        char[] second = console.readPassword("Again: ");
        try {
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw new PasswordInputException("the passwords differ");
            }
            return new String(first);
        } finally {
            if (first != null) {
                Arrays.fill(first, ' ');
            }
            if (second != null) {
                Arrays.fill(second, ' ');
            }
        }
    }
}
