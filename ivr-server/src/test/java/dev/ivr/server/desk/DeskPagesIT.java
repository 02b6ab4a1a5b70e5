package dev.ivr.server.desk;

import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.routing.hazelcast.HazelcastRouting;
import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpApi;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.callcontext.TopicScreenPops;
import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.crm.wrapup.JdbcTransferLog;
import dev.ivr.server.crm.wrapup.JdbcWrapUps;
import dev.ivr.server.db.Database;
import dev.ivr.server.desk.exits.IvrExits;
import dev.ivr.server.desk.users.UserSpec;
import dev.ivr.server.health.HealthRegistry;
import dev.ivr.server.metrics.Metrics;
import dev.ivr.server.testing.Closer;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent desktop and the supervisor dashboard in headless Chromium, against the desk's real
 * HTTP API, WebSocket, cluster member, routing and user database (the CRM's HTTP API is a test
 * double until the CRM store is merged). The test plays the call side: it queues a call, waits
 * for the router to reserve the agent and publishes the screen pop as the route node does.
 * Screenshots go to target/screenshots/.
 */
@Tag("integration")
class DeskPagesIT {
    static final String PASSWORD = "correct horse battery";
    final Closer open = new Closer();
    WebDriver browser;

    @AfterEach
    void stop(org.junit.jupiter.api.TestInfo info) {
        if (browser != null) {
            Chromium.evidence(browser, "last-" + info.getTestMethod().map(m -> m.getName()).orElse("test"));
            browser.quit();
        }
        open.close();
    }

    @Test
    void theDesktopPopsTheCallersContextAndTheDashboardFollowsTheQueueLive(@TempDir Path dir) throws Exception {
        // ---- the desk side of a server, as IvrServer composes it, plus the CRM double
        IvrConfig cfg = TestConfigs.server(dir.resolve("data"), Map.of("IVR_DESK_DASHBOARD_INTERVAL", "200ms"));
        ClusterMember cluster = ClusterMember.start(cfg.cluster(), "pages", cfg.dataDir());
        open.add(cluster);
        Database db = Database.open(cfg.database(), cfg.dataDir());
        open.add(db);
        assertThat(db.awaitReady(Duration.ofSeconds(60))).isTrue();
        RoutingService routing = HazelcastRouting.start(cluster.hazelcast(), List.of(
                QueueDefinition.builder("billing").name("Billing").requireSkill("billing", 5)
                        .serviceLevel(0.8, Duration.ofSeconds(20)).build(),
                QueueDefinition.builder("support").name("Technical support").requireSkill("support", 3).build()));
        open.add(routing);
        IvrExits exits = new IvrExits(cluster.hazelcast(), cfg.desk().ivrExitsWindow(), Clock.systemUTC());
        Vertx vertx = Vertx.vertx();
        open.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        Metrics metrics = new Metrics("ivr-1");
        open.add(metrics);
        Desk desk = Desk.start(vertx, cluster.hazelcast(), db.httpDataSource(), routing, exits, cfg.desk(),
                cfg.routing(), new JdbcWrapUps(db.httpDataSource()), new JdbcTransferLog(db.httpDataSource()),
                dev.ivr.server.call.AgentLegControl.NONE, dev.ivr.server.call.Supervision.NONE, cfg.http().idleTimeout(), "ivr-1", metrics.registry());
        open.add(desk);
        List<HttpRoutes> routes = new ArrayList<>(desk.routes());
        routes.add(new CrmRoutesDouble(
                Map.of("C-1001", new JsonObject().put("id", "C-1001").put("name", "Jane Roe").put("tier", "gold")),
                Map.of("C-1001", new JsonArray()
                        .add(CrmRoutesDouble.interaction("1699000000.1", "2025-06-02T09:14:00Z", "ROUTED", "billing", "bob", 35, 312))
                        .add(CrmRoutesDouble.interaction("1698000000.2", "2025-05-20T16:02:00Z", "ABANDONED_IN_QUEUE", "billing", null, 95, 0))
                        .add(CrmRoutesDouble.interaction("1697000000.3", "2025-05-02T11:40:00Z", "SELF_SERVED", null, null, 0, 0)))));
        HttpApi http = HttpApi.start(vertx, cfg.http(), Auth.of(List.of()).withSessions(desk.sessions()),
                new HealthRegistry(), metrics, routes);
        open.add(http);
        String base = "http://127.0.0.1:" + http.port();

        desk.users().create(new UserSpec("alice", "Alice Martin", Set.of("agent"), "PJSIP/1001",
                Map.of("billing", 7, "support", 5), Set.of("en", "fr"), true, PASSWORD));
        desk.users().create(new UserSpec("sam", "Sam Supervisor", Set.of("supervisor"), null, Map.of(), Set.of(), true, PASSWORD));
        // colleagues and some IVR history, so the dashboard shows a working day
        routing.login(new AgentProfile("bob", "Bob Keller", "PJSIP/1002", Map.of("support", 6), Set.of("en")));
        routing.notReady("bob", "lunch");
        routing.login(new AgentProfile("carol", "Carol Diaz", "PJSIP/1003", Map.of("support", 4), Set.of("en", "es")));
        routing.ready("carol");
        for (int i = 0; i < 40; i++) {
            exits.call("customer-service");
        }
        for (int i = 0; i < 5; i++) {
            exits.exit("customer-service", "main-menu");
        }
        exits.exit("customer-service", "language-menu");
        exits.exit("customer-service", "language-menu");
        exits.exit("verify-caller", "ask-pin");

        browser = Chromium.start(dir.resolve("chromium-profile"));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

        // ---- the supervisor signs in: nobody waits
        browser.get(base + "/supervisor/");
        assertThat(Chromium.accessibilityProblems(browser)).as("sign-in page").isEmpty();
        signIn(wait, "sam");
        wait.until(ExpectedConditions.attributeContains(By.id("conn"), "class", "live"));
        By billingWaiting = By.cssSelector("#queues-table tr[data-queue='billing'] td.waiting");
        wait.until(ExpectedConditions.textToBe(billingWaiting, "0"));
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#exits-table tr[data-exit='customer-service/main-menu'] td.num"), "5"));
        assertThat(browser.findElement(By.id("kpi-ready")).getText()).isEqualTo("1");
        assertThat(Chromium.accessibilityProblems(browser)).as("dashboard").isEmpty();
        String supervisorWindow = browser.getWindowHandle();

        // ---- a call queues for billing: the dashboard shows it without a reload
        String callId = "1700000100.1";
        routing.enqueue(CallRequest.builder(callId, "billing").build());
        wait.until(ExpectedConditions.textToBe(billingWaiting, "1"));
        wait.until(ExpectedConditions.textToBe(By.id("kpi-waiting"), "1"));
        Path queued = Chromium.screenshot(browser, "supervisor-call-waiting");

        // ---- the agent signs in, starts the shift and gets ready: the router reserves her for the call
        browser.switchTo().newWindow(WindowType.WINDOW);
        browser.get(base + "/agent/");
        signIn(wait, "alice");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("btn-login"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("agent-state"), "Not ready"));
        wait.until(ExpectedConditions.attributeContains(By.id("conn"), "class", "live"));
        browser.findElement(By.id("btn-ready")).click();
        WaitResult offered = routing.awaitAgent(callId, Duration.ofSeconds(30));
        assertThat(offered).isInstanceOf(WaitResult.Offered.class);
        Reservation r = ((WaitResult.Offered) offered).reservation();
        assertThat(r.agentId()).isEqualTo("alice");
        wait.until(ExpectedConditions.textToBe(By.id("agent-state"), "Ringing"));
        // a ringing agent is not "on a call" (issue 18, defect 14)
        String agentWindow = browser.getWindowHandle();
        browser.switchTo().window(supervisorWindow);
        wait.until(ExpectedConditions.textToBe(By.id("kpi-ringing"), "1"));
        assertThat(browser.findElement(By.id("kpi-busy")).getText()).isEqualTo("0");
        browser.switchTo().window(agentWindow);

        // ---- the call side builds the context and publishes the screen pop
        CallContext context = new CallContext(callId, "+36 1 234 5678", "customer-service", "C-1001", "Jane Roe", "gold",
                Map.of("segment", "retail", "open_ticket", "T-5521"), "OK", "billing",
                Map.of("reason", "Invoice dispute", "account", "12345678"),
                List.of("check-hours", "identify-caller", "greet-known", "main-menu", "verify-caller/ask-account",
                        "verify-caller/ask-pin", "route-billing"),
                Map.of("account", "12345678", "pin", "****"), Duration.ofSeconds(74), Duration.ofSeconds(12), "billing",
                "alice", Instant.now(), false);
        new CallContexts(cluster.hazelcast(), Duration.ofMinutes(10)).put(context);
        new TopicScreenPops(cluster.hazelcast()).offered("alice", context);
        wait.until(ExpectedConditions.textToBe(By.id("pop-customer"), "Jane Roe"));
        assertThat(browser.findElement(By.id("pop-verified")).getText()).isEqualTo("Verified");
        assertThat(browser.findElement(By.id("pop-tier")).getText()).isEqualTo("Gold");
        assertThat(browser.findElement(By.id("pop-intent")).getText()).isEqualTo("Billing");
        assertThat(browser.findElement(By.id("pop-banner")).getText()).contains("Incoming call");
        assertThat(browser.findElements(By.cssSelector("#pop-path li"))).hasSize(7);
        assertThat(browser.findElement(By.id("pop-details")).getText()).contains("Invoice dispute", "****");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#history-table tbody tr:not(.empty-row)"), 3));
        assertThat(browser.findElement(By.id("history-table")).getText()).contains("Talked to an agent", "Hung up in queue", "bob");
        Path pop = Chromium.screenshot(browser, "agent-screen-pop");
        assertThat(Chromium.accessibilityProblems(browser)).as("desktop with a screen pop").isEmpty();

        // ---- answered: the desktop says so, the dashboard shows her on the call and nobody waiting
        assertThat(routing.answered(r)).isTrue();
        new TopicScreenPops(cluster.hazelcast()).connected("alice", callId);
        wait.until(ExpectedConditions.textToBe(By.id("agent-state"), "On call"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pop-banner"), "On call"));
        Path onCall = Chromium.screenshot(browser, "agent-on-call");
        browser.switchTo().window(supervisorWindow);
        wait.until(ExpectedConditions.textToBe(billingWaiting, "0"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#agents-table tr[data-agent='alice']"), "On call"));
        wait.until(ExpectedConditions.textToBe(By.id("kpi-busy"), "1"));
        assertThat(browser.findElement(By.id("kpi-ringing")).getText()).isEqualTo("0");
        Path dashboard = Chromium.screenshot(browser, "supervisor-dashboard");

        assertThat(List.of(queued, pop, onCall, dashboard)).allSatisfy(p -> assertThat(p).isNotEmptyFile());
    }

    private void signIn(WebDriverWait wait, String user) {
        WebElement id = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-id")));
        id.sendKeys(user);
        browser.findElement(By.id("login-password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("login-view")));
    }
}
