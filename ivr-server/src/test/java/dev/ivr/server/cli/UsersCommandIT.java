package dev.ivr.server.cli;

import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.desk.users.PasswordHasher;
import dev.ivr.server.desk.users.User;
import dev.ivr.server.desk.users.UserStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ivr-server users ...} against an H2 database in a temporary data directory. */
@Tag("integration")
class UsersCommandIT {
    final InputStream stdin = System.in;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @AfterEach
    void restore() {
        System.setIn(stdin);
    }

    int run(Path config, String input, String... args) {
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return new CommandLine(new IvrCli()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(all);
    }

    /** Issue 18 (1): the README's sample agent had support=5, which no queue asks for: calls for support went to voicemail. */
    @Test
    void addingAnAgentSaysWhichQueuesTheyCanTakeAndFlagsSkillsNobodyAsksFor(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("ivr.yaml");
        Files.writeString(config, "node:\n  data-dir: " + dir.resolve("data") + "\nflows:\n  dir: "
                + Path.of("../flows").toAbsolutePath().normalize() + "\n  calendars: "
                + Path.of("../config/calendars.yaml").toAbsolutePath().normalize() + "\nprompts:\n  dir: "
                + Path.of("../prompts").toAbsolutePath().normalize() + "\n");

        assertThat(run(config, "alice password\n", "users", "add", "alice", "--role", "agent", "--endpoint", "PJSIP/1001",
                "--skill", "billing=7", "--skill", "support=5", "--password-stdin")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("alice can take calls of queue(s) billing; not ")
                .contains("support (needs technical 2)");
        assertThat(err.toString()).contains("no queue or route node asks for skill 'support'", "technical");

        assertThat(run(config, "bob password\n", "users", "add", "bob", "--role", "agent", "--endpoint", "PJSIP/1002",
                "--skill", "billing=7", "--skill", "technical=5", "--skill", "sales=3", "--password-stdin"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("bob can take calls of queue(s) billing, sales, support").doesNotContain("; not");
        assertThat(err.toString()).doesNotContain("warning");
    }

    @Test
    void addListChangePasswordAndRemoveUsers(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("ivr.yaml");
        Files.writeString(config, "node:\n  data-dir: " + dir.resolve("data") + "\n");

        assertThat(run(config, "first password 1\n", "users", "add", "alice", "--name", "Alice Martin", "--role", "agent",
                "--endpoint", "PJSIP/1001", "--skill", "billing=7", "--skill", "support=5", "--language", "en",
                "--password-stdin")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("created user alice (agent)");
        assertThat(run(config, "admin password\n", "users", "add", "root", "--role", "admin", "--password-stdin")).isZero();

        // refused with every problem; nothing created
        assertThat(run(config, "short\n", "users", "add", "bob", "--role", "agent", "--skill", "billing=11", "--password-stdin"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("password: 8-200 characters", "endpoint: required for the agent role",
                "skills.billing: level 1-10");
        assertThat(run(config, "another password\n", "users", "add", "alice", "--role", "agent", "--endpoint", "SIP/x",
                "--password-stdin")).isEqualTo(1);
        assertThat(err.toString()).contains("a user 'alice' already exists");
        // no terminal and no --password-stdin: a clear message, not a prompt nobody answers
        assertThat(run(config, "", "users", "add", "carol", "--role", "supervisor")).isEqualTo(2);
        assertThat(err.toString()).contains("--password-stdin");

        assertThat(run(config, "", "users", "list")).isZero();
        assertThat(out.toString()).contains("alice", "Alice Martin", "PJSIP/1001", "{billing=7, support=5}", "root", "2 user(s)")
                .doesNotContain("argon2", "first password");

        assertThat(run(config, "second password 2\n", "users", "passwd", "alice", "--password-stdin")).isZero();
        assertThat(run(config, "whatever1\n", "users", "passwd", "nobody", "--password-stdin")).isEqualTo(1);
        assertThat(err.toString()).contains("no user 'nobody'");

        IvrConfig cfg = ConfigLoader.load(config, Map.of());
        try (Database db = Database.open(cfg.database(), cfg.dataDir())) {
            assertThat(db.awaitReady(Duration.ofSeconds(30))).isTrue();
            UserStore store = new UserStore(db.dataSource(), new PasswordHasher(), Clock.systemUTC());
            assertThat(store.authenticate("alice", "first password 1")).isEmpty();
            User alice = store.authenticate("alice", "second password 2").orElseThrow();
            assertThat(alice.skills()).containsExactlyInAnyOrderEntriesOf(Map.of("billing", 7, "support", 5));
            assertThat(alice.languages()).containsExactly("en");
        }

        assertThat(run(config, "", "users", "remove", "alice")).isZero();
        assertThat(run(config, "", "users", "remove", "alice")).isEqualTo(1);
        assertThat(run(config, "", "users", "list")).isZero();
        assertThat(out.toString()).contains("1 user(s)").doesNotContain("alice");
    }
}
