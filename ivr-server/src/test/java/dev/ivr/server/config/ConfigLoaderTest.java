package dev.ivr.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    /** Issue 18 (7): every problem in one pass, each blamed on its real source, unknown keys with "did you mean". */
    @Test
    void everyProblemInOnePassEachBlamedOnItsSource() throws Exception {
        Path f = dir.resolve("ivr.yaml");
        Files.writeString(f, """
                node:
                  nmae: x
                agi:
                  port: abc
                  idle-timeout: forever
                http:
                  port: 99999
                cluster:
                  members: nope
                routing:
                  dial-mode: sideways
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of("IVR_AGI_DRAIN_TIME", "abc", "IVR_HTTP_PORTT", "1")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        f + ":2:3: node.nmae: unknown key; did you mean 'name'? (known keys here: name, data-dir, accept-weak-settings, background-nice, background-idle)",
                        "environment: IVR_HTTP_PORTT is not a configuration key; did you mean 'IVR_HTTP_PORT'? (see ivr-server config-reference)",
                        f + ":4:3: agi.port: 'abc' is not a whole number",
                        f + ":5:3: agi.idle-timeout: 'forever' is not a duration; write e.g. 500ms, 10s, 2m, 1h",
                        "environment IVR_AGI_DRAIN_TIME=abc: agi.drain-time: 'abc' is not a duration; write e.g. 500ms, 10s, 2m, 1h",
                        f + ":9:3: cluster.members: 'nope' is not a list (YAML: [a, b]; environment: a,b)",
                        f + ":7:3: http.port: must be a TCP port between 1 and 65535, or 0 for any free port (got 99999)",
                        f + ":11:3: routing.dial-mode: must be exec or dialplan (got sideways)"));
        // a value from the environment is blamed on the variable, not on the file
        Path ok = dir.resolve("ok.yaml");
        Files.writeString(ok, "agi:\n  bind: 127.0.0.1\n");
        assertThatThrownBy(() -> ConfigLoader.load(ok, Map.of("IVR_AGI_PORT", "abc")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("environment IVR_AGI_PORT=abc: agi.port: 'abc' is not a whole number"));
        assertThatThrownBy(() -> ConfigLoader.load(ok, Map.of("IVR_HTTP_PORT", "70000")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
                        .startsWith("environment IVR_HTTP_PORT=70000: http.port: must be a TCP port"));
    }

    @Test
    void backgroundNiceIsTenByDefaultAndANiceValue() throws IOException {
        assertThat(ConfigLoader.load(Map.of()).node().backgroundNice()).isZero();
        assertThat(ConfigLoader.load(Map.of("IVR_NODE_BACKGROUND_NICE", "10")).node().backgroundNice()).isEqualTo(10);
        Path ok = dir.resolve("ok.yaml");
        Files.writeString(ok, "agi:\n  bind: 127.0.0.1\n");
        assertThatThrownBy(() -> ConfigLoader.load(ok, Map.of("IVR_NODE_BACKGROUND_NICE", "20")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "environment IVR_NODE_BACKGROUND_NICE=20: node.background-nice: must be 0-19 (got 20)"));
    }

    @Test
    void backgroundIdleIsOffByDefaultAndSetFromTheEnvironment() throws IOException {
        assertThat(ConfigLoader.load(Map.of()).node().backgroundIdle()).isFalse();
        assertThat(ConfigLoader.load(Map.of("IVR_NODE_BACKGROUND_IDLE", "true")).node().backgroundIdle()).isTrue();
    }

    @Test
    void defaultsAloneAreValid() {
        IvrConfig c = ConfigLoader.load(Map.of());
        assertThat(c.agi().port()).isEqualTo(4573);
        assertThat(c.agi().bind()).isEqualTo("127.0.0.1");
        assertThat(c.agi().idleTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.cluster().members()).isEmpty();
        assertThat(c.database().url()).isEmpty();
    }

    @Test
    void callThreadsAreVirtualByDefaultPlatformWhenSetAndNothingElse() throws IOException {
        AgiConfig byDefault = ConfigLoader.load(Map.of()).agi();
        assertThat(byDefault.callThreads()).isEqualTo("virtual");
        assertThat(byDefault.platformCallThreads()).isFalse();
        assertThat(byDefault.callThreadStackKb()).isEqualTo(AgiConfig.DEFAULT_CALL_THREAD_STACK_KB);

        Path f = write("""
                agi:
                  call-threads: platform
                  call-thread-stack-kb: 256
                """);
        AgiConfig platform = ConfigLoader.load(f, Map.of()).agi();
        assertThat(platform.platformCallThreads()).isTrue();
        assertThat(platform.callThreadStackKb()).isEqualTo(256);
        assertThat(ConfigLoader.load(f, Map.of("IVR_AGI_CALL_THREADS", "virtual")).agi().platformCallThreads()).isFalse();

        Path bad = write("""
                agi:
                  call-threads: green
                  call-thread-stack-kb: 64
                """);
        assertThatThrownBy(() -> ConfigLoader.load(bad, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        bad + ":2:3: agi.call-threads: must be one of [virtual, platform] (got green)",
                        bad + ":3:3: agi.call-thread-stack-kb: must be between 128 and 16384 (got 64)"));
    }

    @Test
    void theShippedConfigFileIsValid() {
        IvrConfig c = ConfigLoader.load(Path.of("..", "config", "ivr.yaml"), Map.of());
        assertThat(c.agi().allow()).contains("127.0.0.1/32");
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFile() throws IOException {
        Path f = write("""
                agi:
                  port: 4600
                  allow: [10.0.0.0/8]
                  idle-timeout: 1500ms
                cluster:
                  members: [10.0.0.2:5701]
                """);
        IvrConfig c = ConfigLoader.load(f, Map.of("IVR_AGI_PORT", "4700", "IVR_CLUSTER_MEMBERS", "10.0.0.3,10.0.0.4:5702",
                "PATH", "/usr/bin"));
        assertThat(c.agi().port()).isEqualTo(4700);
        assertThat(c.agi().allow()).containsExactly("10.0.0.0/8");
        assertThat(c.agi().idleTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.cluster().members()).containsExactly("10.0.0.3", "10.0.0.4:5702");
        assertThat(c.http().port()).isEqualTo(8080); // untouched default
    }

    @Test
    void unknownKeyIsReportedWithLineAndColumn() throws IOException {
        Path f = write("""
                agi:
                  port: 4573
                  prot: 4574
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f + ":3:3: agi.prot: unknown key")
                .hasMessageContaining("known keys here: bind, port");
    }

    @Test
    void badValuesAreAllReportedAtOnceWithTheirPlace() throws IOException {
        Path f = write("""
                agi:
                  port: 70000
                  allow: [10.0.0.0/33, example.com]
                database:
                  url: jdbc:mysql://db/ivr
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        f + ":2:3: agi.port: must be a TCP port between 1 and 65535, or 0 for any free port (got 70000)",
                        f + ":3:11: agi.allow[0]: '10.0.0.0/33': the prefix length must be 0-32",
                        f + ":3:24: agi.allow[1]: 'example.com' is not an IPv4 or IPv6 address block (host names are not allowed)",
                        f + ":5:3: database.url: only H2 (jdbc:h2:...) and PostgreSQL (jdbc:postgresql://...) are supported (got jdbc:mysql:...)"));
    }

    @Test
    void aRefusedDatabaseUrlIsNamedByItsSchemeNeverItsCredentials() throws IOException {
        // the password from the environment, as the README has it, and one written into the URL
        Path f = write("""
                database:
                  url: jdbc:mysql://root:${DB_PASSWORD}@db/ivr?password=${DB_PASSWORD}
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of("DB_PASSWORD", "s3cret")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        f + ":2:3: database.url: only H2 (jdbc:h2:...) and PostgreSQL (jdbc:postgresql://...) are supported"
                                + " (got jdbc:mysql:...)"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
        // a URL given in the environment is shown with the variable, without its password
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of("DB_PASSWORD", "s3cret",
                "IVR_DATABASE_URL", "jdbc:postgresql://db/ivr?password=s3cret", "IVR_DATABASE_POOL_SIZE", "0")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "environment IVR_DATABASE_POOL_SIZE=0: database.pool-size: must be between 1 and 500 (got 0)"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of("DB_PASSWORD", "s3cret",
                "IVR_DATABASE_URL", "jdbc:mysql://db/ivr?password=s3cret")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "environment IVR_DATABASE_URL=jdbc:mysql://db/ivr?password=***: database.url: only H2 (jdbc:h2:...)"
                                + " and PostgreSQL (jdbc:postgresql://...) are supported (got jdbc:mysql:...)"));
    }

    @Test
    void aDatabaseUrlWithUserAndPasswordBeforeTheHostIsRefusedWithoutShowingThem() throws IOException {
        Path f = write("""
                database:
                  url: jdbc:postgresql://ivr:s3cret@db:5432/ivr
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        f + ":2:3: database.url: must not carry user:password@: give database.user and database.password"
                                + " (neither driver reads them there, and the URL is shown in messages)"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    }

    @Test
    void theDatabaseUrlsTestIsTheDriversLowerCaseOne() throws IOException {
        // the same inputs as before: H2 and PostgreSQL in lower case, the default when empty; JDBC:H2: finds no driver
        for (String url : java.util.List.of("jdbc:h2:mem:x", "jdbc:h2:tcp://db:9092/ivr", "jdbc:postgresql://db/ivr",
                "jdbc:postgresql:ivr", "\"\"")) {
            Path f = write("database:\n  url: " + url + "\n");
            assertThat(ConfigLoader.load(f, Map.of()).database().url()).isEqualTo(url.equals("\"\"") ? "" : url);
        }
        for (String url : java.util.List.of("JDBC:H2:mem:x", "jdbc:PostgreSQL://db/ivr", "h2:mem:x")) {
            Path f = write("database:\n  url: " + url + "\n");
            assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).hasMessageContaining("database.url: only H2");
        }
    }

    @Test
    void aPromptsUrlIsShownWithoutItsCredentials() throws IOException {
        Path f = write("""
                prompts:
                  http-url: http://asterisk:s3cret@ivr-1:8080/prompts?x=1
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .hasMessageContaining("prompts.http-url: must be an http(s) URL without query")
                .hasMessageContaining("(got http://***@ivr-1:8080/prompts?x=1)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    }

    @Test
    void wrongTypeNamesTheKey() throws IOException {
        Path f = write("""
                agi:
                  idle-timeout: soon
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f + ":2:3: agi.idle-timeout: 'soon' is not a duration");
    }

    @Test
    void brokenYamlIsReportedWithPosition() throws IOException {
        Path f = write("agi:\n  port: [4573\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(f + ":")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void environmentReferencesAreResolvedAndMissingOnesReported() throws IOException {
        Path f = write("""
                database:
                  url: jdbc:postgresql://db:5432/ivr
                  password: ${DB_PASSWORD}
                  user: ${DB_USER:-ivr}
                """);
        IvrConfig c = ConfigLoader.load(f, Map.of("DB_PASSWORD", "s3cret"));
        assertThat(c.database().password()).isEqualTo("s3cret");
        assertThat(c.database().user()).isEqualTo("ivr");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .hasMessageContaining("database.password: environment variable DB_PASSWORD is not set");
    }

    @Test
    void variablesTheFileRefersToAreNotTakenForConfigurationKeys() throws IOException {
        // as the README writes it: the secret comes from the environment (systemd's secrets.env)
        Path f = write("""
                database:
                  url: jdbc:postgresql://db:5432/ivr
                  password: ${IVR_DB_PASSWORD}
                ami:
                  secret: "${IVR_AMI_SECRET:-}"
                """);
        IvrConfig c = ConfigLoader.load(f, Map.of("IVR_DB_PASSWORD", "s3cret", "IVR_AMI_SECRET", "amis3cret"));
        assertThat(c.database().password()).isEqualTo("s3cret");
        assertThat(c.ami().secret()).isEqualTo("amis3cret");
        // a variable nothing refers to is still checked as a configuration key
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of("IVR_DB_PASSWORD", "s3cret", "IVR_DB_PASSWROD", "x")))
                .hasMessageContaining("IVR_DB_PASSWROD is not a configuration key");
    }

    @Test
    void unknownIvrEnvironmentVariableIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("IVR_AGI_PROT", "1")))
                .hasMessageContaining("IVR_AGI_PROT is not a configuration key");
        // launcher and test variables are not configuration
        ConfigLoader.load(Map.of("IVR_JAVA_OPTS", "-Xmx1g", "IVR_TEST_PG_URL", "x", "IVR_ETC", "/etc/ivr",
                "IVR_INSTALL_ROOT", "/tmp/root", "IVR_AOT_CACHE", "/var/lib/ivr/ivr.aot"));
    }

    @Test
    void tokensAreChecked() throws IOException {
        Path f = write("""
                http:
                  tokens:
                    - name: desk
                      roles: [agent, boss]
                      token: short
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).anySatisfy(p ->
                                assertThat(p).contains("http.tokens[0].roles: unknown role 'boss'"))
                        .anySatisfy(p -> assertThat(p).contains("http.tokens[0].token: is too short"))
                        .anySatisfy(p -> assertThat(p).contains("http.tokens[0].agent: a token with the agent role")));
    }

    @Test
    void aliasBombIsRefused() throws IOException {
        StringBuilder sb = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char p = (char) (c - 1);
            sb.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*").append(p)
                    .append(",*").append(p).append(",*").append(p).append(",*").append(p).append("]\n");
        }
        Path f = write(sb.toString());
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).isInstanceOf(ConfigException.class);
    }

    @Test
    void everyKeyHasAnEnvironmentVariable() {
        assertThat(ConfigLoader.leafKeys()).contains("agi.idle-timeout", "http.tokens", "node.data-dir");
        assertThat(ConfigLoader.envName("agi.idle-timeout")).isEqualTo("IVR_AGI_IDLE_TIMEOUT");
    }

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("ivr.yaml");
        Files.writeString(f, yaml);
        return f;
    }
}
