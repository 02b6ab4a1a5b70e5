package dev.ivr.server.desk;

import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.server.IvrServer;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.desk.users.UserSpec;
import dev.ivr.server.testing.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The supervision card of the dashboard and the recording buttons of the desktop, in headless Chromium against a
 * whole server with a fake AMI: the agent starts recording her call in an on-demand queue (AMI MixMonitor on the
 * call's channel; a second start refused on the page; stop: StopMixMonitor); the supervisor, in another tab, clicks
 * Listen (AMI Originate of his phone into ChanSpy with listen options), is refused a bad skill level on the page,
 * changes the agent's skills, and forces her not ready with a reason, which the page shows once her call has ended.
 * Screenshot: target/screenshots/supervisor-supervision.png (docs/screenshots).
 */
@Tag("integration")
class SupervisionPagesIT {
    static final String PASSWORD = "correct horse battery";
    static final Duration T = Duration.ofSeconds(60);
    FakeAmi ami;
    IvrServer server;
    WebDriver browser;

    @AfterEach
    void stop(TestInfo info) throws Exception {
        if (browser != null) {
            Chromium.evidence(browser, "last-" + info.getTestMethod().map(m -> m.getName()).orElse("test"));
            browser.quit();
        }
        if (server != null) {
            server.stop();
        }
        if (ami != null) {
            ami.close();
        }
    }

    @Test
    void theAgentRecordsOnDemandAndTheSupervisorListensChangesSkillsAndForcesNotReady(@TempDir Path dir) throws Exception {
        ami = new FakeAmi("ivr", "manager-secret-for-tests");
        Path yaml = dir.resolve("ivr.yaml");
        Files.writeString(yaml, """
                routing:
                  queues:
                    - id: billing
                      name: Billing
                      skills: {billing: 1}
                      wrap-up: 1s
                    - id: sales
                      name: Sales
                      skills: {sales: 1}
                      wrap-up: 1s
                recording:
                  enabled: true
                  default-policy: never
                  policies: [billing=on-demand]
                crm:
                  pin-hash: {memory: 1024, iterations: 1, parallelism: 1}
                """);
        IvrConfig config = TestConfigs.server(Files.createDirectories(dir.resolve("data")), yaml, Map.of(
                "IVR_AMI_ENABLED", "true", "IVR_AMI_PORT", Integer.toString(ami.port()),
                "IVR_AMI_SECRET", "manager-secret-for-tests", "IVR_FLOWS_WATCH", "false"));
        server = IvrServer.start(config);
        assertThat(server.database().awaitReady(T)).isTrue();
        server.desk().users().create(new UserSpec("alice", "Alice <b>Martin</b>", Set.of("agent"), "PJSIP/1001",
                Map.of("billing", 7), Set.of("en"), true, PASSWORD));
        server.desk().users().create(new UserSpec("sam", "Sam Super", Set.of("supervisor"), "PJSIP/1900", Map.of(),
                Set.of("en"), true, PASSWORD));
        String base = "http://127.0.0.1:" + server.httpPort();
        browser = Chromium.start(dir.resolve("chromium-profile"));
        WebDriverWait wait = new WebDriverWait(browser, T);

        // ---- the agent: logged in, ready, then on a call in billing (recording on demand)
        signIn(wait, base + "/agent/", "alice");
        String agentTab = browser.getWindowHandle();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("btn-login"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("agent-state"), "Not ready"));
        wait.until(ExpectedConditions.attributeContains(By.id("conn"), "class", "live"));
        assertThat(browser.findElement(By.id("record")).isDisplayed()).as("no call, no recording buttons").isFalse();
        browser.findElement(By.id("btn-ready")).click();
        wait.until(ExpectedConditions.textToBe(By.id("agent-state"), "Ready"));
        RoutingService routing = server.routing().service();
        String callId = "1750000000.42";
        routing.enqueue(CallRequest.builder(callId, "billing").build());
        WaitResult w = routing.awaitAgent(callId, T);
        assertThat(w).isInstanceOf(WaitResult.Offered.class);
        Reservation r = ((WaitResult.Offered) w).reservation();
        assertThat(routing.answered(r)).isTrue();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("record-start"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("record-status"), "Recording this call."));
        assertThat(Chromium.accessibilityProblems(browser)).as("desktop with the recording card").isEmpty();
        await().atMost(T).until(() -> ami.actions("MixMonitor").size() == 1);
        assertThat(ami.actions("MixMonitor").get(0).get("Channel")).isEqualTo(callId);
        browser.findElement(By.id("record-start")).click();
        wait.until(ExpectedConditions.textToBe(By.id("record-error"), "the call is already being recorded"));
        browser.findElement(By.id("record-stop")).click();
        wait.until(ExpectedConditions.textToBe(By.id("record-status"), "Recording stopped."));
        await().atMost(T).until(() -> ami.actions("StopMixMonitor").size() == 1);
        assertThat(ami.actions("StopMixMonitor").get(0).get("Channel")).isEqualTo(callId);

        // ---- the supervisor, in another tab (its own session): listen to alice's call
        browser.switchTo().newWindow(WindowType.TAB);
        signIn(wait, base + "/supervisor/", "sam");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#sv-agent option[value=alice]"),
                "Alice <b>Martin</b> (alice)"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sv-state"), "call " + callId));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sv-listen"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("sv-status"),
                "Your phone (PJSIP/1900) rings: answer it to listen to Alice <b>Martin</b>'s call."));
        await().atMost(T).until(() -> ami.actions("Originate").stream()
                .anyMatch(a -> "PJSIP/1001-,qE".equals(a.get("Data"))));
        assertThat(ami.actions("Originate")).singleElement().satisfies(a -> {
            assertThat(a.get("Channel")).isEqualTo("PJSIP/1900");
            assertThat(a.get("Application")).isEqualTo("ChanSpy");
        });
        assertThat(browser.findElements(By.cssSelector("#supervision b"))).as("names are text").isEmpty();
        ((JavascriptExecutor) browser).executeScript("document.getElementById('supervision').scrollIntoView()");
        Chromium.screenshot(browser, "supervisor-supervision");
        assertThat(Chromium.accessibilityProblems(browser)).as("dashboard with the supervision card").isEmpty();

        // ---- skills: a refused level is said on the page; a good change is used by routing
        browser.findElement(By.id("sv-skills")).clear();
        browser.findElement(By.id("sv-skills")).sendKeys("billing=7, sales=11");
        browser.findElement(By.id("sv-skills-save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sv-error"), "sales"));
        assertThat(routing.agent("alice").orElseThrow().skills()).isEqualTo(Map.of("billing", 7));
        browser.findElement(By.id("sv-skills")).clear();
        browser.findElement(By.id("sv-skills")).sendKeys("billing=7, sales=3");
        browser.findElement(By.id("sv-skills-save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sv-status"), "billing=7, sales=3"));
        assertThat(browser.findElement(By.id("sv-error")).getText()).isEmpty();
        assertThat(routing.agent("alice").orElseThrow().skills()).isEqualTo(Map.of("billing", 7, "sales", 3));

        // ---- forced not ready during the call: after it, shown on the card and in the agents table
        String reason = config.desk().notReadyReasons().get(0);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#sv-reason option"),
                reason.replaceAll("[-_]", " ")));
        browser.findElement(By.id("sv-not-ready")).click();
        wait.until(ExpectedConditions.textToBe(By.id("sv-status"), "Alice <b>Martin</b> will be not ready after this call."));
        assertThat(routing.callEnded(r)).isTrue();
        await().atMost(T).until(() -> routing.agent("alice").orElseThrow().state() == AgentState.NOT_READY);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sv-state"), "Not ready"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#agents-table tr[data-agent=alice]"),
                "Not ready"));
        assertThat(browser.findElement(By.id("sv-listen")).isEnabled()).as("no call to listen to").isFalse();

        // ---- the agent's desktop hides the recording buttons once the call is over; ready again, her new sales
        // skill brings her a sales call, a queue not recorded on demand: the refusal is said on the page
        browser.switchTo().window(agentTab);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("record")));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("btn-ready"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("agent-state"), "Ready"));
        String salesCall = "1750000000.43";
        routing.enqueue(CallRequest.builder(salesCall, "sales").build());
        WaitResult sales = routing.awaitAgent(salesCall, T);
        assertThat(sales).isInstanceOf(WaitResult.Offered.class);
        assertThat(routing.answered(((WaitResult.Offered) sales).reservation())).isTrue();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("record-start"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("record-error"),
                "recording on demand is not allowed in this call's queue"));
        assertThat(browser.findElement(By.id("record-status")).getText()).isEmpty();
        assertThat(ami.actions("MixMonitor")).hasSize(1);
    }

    private void signIn(WebDriverWait wait, String page, String user) {
        browser.get(page);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-id"))).sendKeys(user);
        browser.findElement(By.id("login-password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login-submit")).click();
    }
}
