package dev.ivr.server.desk;

import dev.ivr.server.IvrServer;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.crm.csv.CustomerImport;
import dev.ivr.server.desk.users.UserSpec;
import dev.ivr.server.testing.SampleCustomers;
import dev.ivr.server.testing.TestConfigs;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the desktop page ITs set up alike: a whole server (routing with a billing queue, the CRM
 * with cheap PIN hashing, and what else the test configures), the sample customers, users with
 * {@link #PASSWORD}, headless Chromium (started at first use), signing in; closed with the
 * browser's evidence, then the browser and the server.
 */
final class DeskPageFixture {
    static final String PASSWORD = "correct horse battery";

    final Path dir;
    final IvrConfig config;
    final IvrServer server;
    private WebDriver browser;
    private WebDriverWait wait;

    private DeskPageFixture(Path dir, IvrConfig config, IvrServer server) {
        this.dir = dir;
        this.config = config;
        this.server = server;
    }

    /**
     * Starts a server in {@code dir} with the billing queue ({@code queueMore}: more of its keys, each line indented
     * as a queue's key) and {@code more} top-level configuration; the database is ready when this returns.
     */
    static DeskPageFixture start(Path dir, String queueMore, String more) throws Exception {
        Path yaml = dir.resolve("ivr.yaml");
        Files.writeString(yaml, """
                routing:
                  queues:
                    - id: billing
                      name: Billing
                      skills: {billing: 1}
                %scrm:
                  pin-hash: {memory: 1024, iterations: 1, parallelism: 1}
                %s""".formatted(queueMore.isEmpty() ? "" : queueMore.stripTrailing().indent(6), more));
        IvrConfig config = TestConfigs.server(dir.resolve("data"), yaml);
        IvrServer server = IvrServer.start(config);
        assertThat(server.database().awaitReady(Duration.ofSeconds(60))).isTrue();
        return new DeskPageFixture(dir, config, server);
    }

    /** The customers of config/sample-customers.csv (Anna Kovács is C1001). */
    DeskPageFixture withSampleCustomers() throws Exception {
        CustomerImport.Report r = SampleCustomers.importInto(server);
        assertThat(r.rejected()).isEmpty();
        return this;
    }

    /** An agent with the billing skill (7) speaking {@code languages} (none given: English). */
    void agent(String id, String name, String phone, String... languages) {
        server.desk().users().create(new UserSpec(id, name, Set.of("agent"), phone, Map.of("billing", 7),
                languages.length == 0 ? Set.of("en") : new HashSet<>(Arrays.asList(languages)), true, PASSWORD));
    }

    void supervisor(String id, String name) {
        server.desk().users().create(new UserSpec(id, name, Set.of("supervisor"), null, Map.of(), Set.of("en"), true, PASSWORD));
    }

    /** http://127.0.0.1:PORT of the server. */
    String base() {
        return "http://127.0.0.1:" + server.httpPort();
    }

    WebDriver browser() {
        if (browser == null) {
            browser = Chromium.start(dir.resolve("chromium-profile"));
            wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        }
        return browser;
    }

    WebDriverWait waitFor() {
        browser();
        return wait;
    }

    /** Opens {@code page} (e.g. /agent/) and signs in as {@code user}. */
    void signIn(String page, String user) {
        browser().get(base() + page);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-id"))).sendKeys(user);
        browser.findElement(By.id("login-password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login-submit")).click();
    }

    /** On the desktop signed in: logs the agent in to routing, connected, then Ready. */
    void agentReady() {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("btn-login"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("agent-state"), "Not ready"));
        wait.until(ExpectedConditions.attributeContains(By.id("conn"), "class", "live"));
        browser.findElement(By.id("btn-ready")).click();
    }

    /** The browser's evidence (screenshot, console) named after the test, then the browser and the server stop. */
    void close(TestInfo info) {
        try {
            if (browser != null) {
                Chromium.evidence(browser, "last-" + info.getTestMethod().map(m -> m.getName()).orElse("test"));
                browser.quit();
            }
        } finally {
            server.stop();
        }
    }
}
