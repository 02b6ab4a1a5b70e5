package dev.ivr.server.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivr.server.IvrServer;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.kpi.ScriptedDay;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The reports page and the dashboard's KPI section in headless Chromium, on a whole server whose journal holds
 * a scripted hour. The screenshot goes to target/screenshots/reports-queues.png (and docs/screenshots/reports.png
 * when run with -Divr.writeDocs=true).
 */
@Tag("integration")
class ReportsPageIT {
    static final String PASSWORD = "correct horse battery";
    IvrServer server;
    WebDriver browser;

    @AfterEach
    void stop(org.junit.jupiter.api.TestInfo info) {
        if (browser != null) {
            Chromium.evidence(browser, "last-" + info.getTestMethod().map(m -> m.getName()).orElse("test"));
            browser.quit();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aSupervisorReadsAHalfHourlyQueueReportAndTheLiveKpis(@TempDir Path dir) throws Exception {
        server = IvrServer.start(TestConfigs.server(dir.resolve("data"), Map.of("IVR_FLOWS_WATCH", "false")));
        DeskClient api = new DeskClient(server.httpPort());
        String admin = Files.readString(dir.resolve("data/admin-token")).trim();
        api.createUser(admin, new JsonObject().put("id", "sam").put("name", "Sam Super").put("password", PASSWORD)
                .put("roles", new JsonArray().add("supervisor")));
        for (JournalEvent e : ScriptedDay.events()) {
            server.journal().emit(e);
        }
        for (JournalEvent e : flowCalls()) {
            server.journal().emit(e);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> server.database().isReady());
        dev.ivr.server.journal.kpi.ScriptedCampaigns.write(server.database().dataSource());
        for (JournalEvent e : dev.ivr.server.journal.kpi.ScriptedCampaigns.agentEvents()) {
            server.journal().emit(e);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> server.journal().pending() == 0);
        String base = "http://127.0.0.1:" + server.httpPort();

        browser = Chromium.start(dir.resolve("chromium-profile"));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(base + "/reports/?kind=queues&from=2026-03-02T09:00&to=2026-03-02T10:00&interval=30m&tz=UTC");
        assertThat(Chromium.accessibilityProblems(browser)).as("sign-in page").isEmpty();
        signIn(wait);
        By rows = By.cssSelector("#report-table tbody tr");
        wait.until(ExpectedConditions.numberOfElementsToBe(rows, 6));
        WebElement first = browser.findElements(rows).get(0);
        assertThat(first.getText()).endsWith("billing 3 1 1 2 1 0 0 50 50 15 19.3 40 300 1 0 0 0"); // no survey; no identified customer: FCR 0 of 0
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("compare")));
        assertThat(browser.findElement(By.id("compare")).getText()).containsIgnoringCase("Service level").contains("50.0 %")
                .containsIgnoringCase("previous period");
        assertThat(Chromium.accessibilityProblems(browser)).as("reports page").isEmpty();
        Path shot = Chromium.screenshot(browser, "reports-queues");
        if (Boolean.getBoolean("ivr.writeDocs")) {
            Files.copy(shot, Path.of("..", "docs", "screenshots", "reports.png"), StandardCopyOption.REPLACE_EXISTING);
        }

        // a service-level bar per half hour, for the center: 09:00 c1 in time, c4 after 35 s, c2 a short abandon, c3
        // a long one: 1 / (2 + 2 - 1); 09:30 c5 in time
        assertThat(browser.findElements(By.cssSelector("svg.service-level-chart rect.chart-bar")))
                .extracting(b -> b.getAttribute("data-value")).containsExactly("33.3", "100.0");

        // containment per half hour: 2 of 5 calls self-served in the first, 1 of 2 in the second
        new Select(browser.findElement(By.id("f-kind"))).selectByValue("flows");
        browser.findElement(By.id("run")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.containment-chart rect.chart-bar"), 2));
        assertThat(browser.findElements(By.cssSelector("svg.containment-chart rect.chart-bar")))
                .extracting(b -> b.getAttribute("data-value")).containsExactly("40.0", "50.0");
        assertThat(browser.findElements(By.cssSelector("svg.containment-chart .value-label")))
                .extracting(WebElement::getText).containsExactly("40.0%", "50.0%");
        assertThat(browser.findElement(By.cssSelector("svg.containment-chart")).getText()).contains("2/5", "1/2");
        assertThat(Chromium.accessibilityProblems(browser)).as("containment chart").isEmpty();

        // the funnel of the same hour, as bars per node, and a bad filter is said on the page
        new Select(browser.findElement(By.id("f-kind"))).selectByValue("funnel");
        browser.findElement(By.id("run")).click();
        wait.until(d -> d.findElement(By.cssSelector("#report-table thead")).getText().toLowerCase().contains("hung up"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.funnel-chart[data-flow='main'] g.funnel-step"), 4));
        assertThat(browser.findElements(By.cssSelector("svg.funnel-chart g.funnel-step")))
                .extracting(g -> g.getAttribute("data-node") + " " + g.findElement(By.cssSelector("rect.reached")).getAttribute("data-value")
                        + " " + g.findElement(By.cssSelector("rect.hung-up")).getAttribute("data-value"))
                .containsExactly("welcome 7 2", "menu 5 1", "balance 3 0", "agent 1 0");
        assertThat(browser.findElement(By.cssSelector("svg.funnel-chart g.funnel-step[data-node='welcome'] .value-label")).getText())
                .isEqualTo("7 reached · 2 hung up");
        assertThat(Chromium.accessibilityProblems(browser)).as("funnel chart").isEmpty();

        // the campaigns, per hour, with the previous period and the contact rate per hour
        new Select(browser.findElement(By.id("f-kind"))).selectByValue("campaigns");
        new Select(browser.findElement(By.id("f-interval"))).selectByValue("60m");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "document.getElementById('f-to').value = '2026-03-02T11:00'");
        browser.findElement(By.id("run")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.contact-rate-chart rect.chart-bar"), 2));
        assertThat(browser.findElements(By.cssSelector("svg.contact-rate-chart rect.chart-bar")))
                .extracting(b -> b.getAttribute("data-value")).containsExactly("36.4", "66.7");
        assertThat(browser.findElements(By.cssSelector("#report-table tbody tr")).get(1).getText())
                .endsWith("renewal 9 4 1 1 1 2 1 0 1 3 33.3 1 25 2 180 210 1");
        assertThat(browser.findElement(By.id("compare")).getText()).containsIgnoringCase("contact rate").contains("42.9 %")
                .containsIgnoringCase("opt-outs");
        assertThat(Chromium.accessibilityProblems(browser)).as("campaign report").isEmpty();

        new Select(browser.findElement(By.id("f-kind"))).selectByValue("funnel");
        browser.findElement(By.id("f-filter")).sendKeys("not a name");
        browser.findElement(By.id("run")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("report-error"), "letters, digits"));

        // the dashboard shows the live KPIs (the scripted hour is long past: an empty window)
        browser.get(base + "/supervisor/");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#live-kpis .kpi"), 8));
        assertThat(browser.findElement(By.id("live-hint")).getText()).contains("all servers");
        assertThat(Chromium.accessibilityProblems(browser)).as("dashboard").isEmpty();
    }

    /**
     * Seven calls through flow "main": five entering at 09:05 (two self-served at balance, one hanging up in the
     * menu, one at the welcome, one routed to an agent), two at 09:35 (one self-served, one hanging up at the welcome).
     */
    static java.util.List<JournalEvent> flowCalls() {
        java.util.List<JournalEvent> e = new java.util.ArrayList<>();
        java.time.Instant t = java.time.Instant.parse("2026-03-02T09:05:00Z");
        flowCall(e, t, "k1", java.util.List.of("welcome", "menu", "balance"), "SELF_SERVED");
        flowCall(e, t, "k2", java.util.List.of("welcome", "menu", "balance"), "SELF_SERVED");
        flowCall(e, t, "k3", java.util.List.of("welcome", "menu"), "ABANDONED_IN_IVR");
        flowCall(e, t, "k4", java.util.List.of("welcome"), "ABANDONED_IN_IVR");
        flowCall(e, t, "k5", java.util.List.of("welcome", "menu", "agent"), "ROUTED");
        java.time.Instant later = java.time.Instant.parse("2026-03-02T09:35:00Z");
        flowCall(e, later, "k6", java.util.List.of("welcome", "menu", "balance"), "SELF_SERVED");
        flowCall(e, later, "k7", java.util.List.of("welcome"), "ABANDONED_IN_IVR");
        return e;
    }

    private static void flowCall(java.util.List<JournalEvent> e, java.time.Instant t, String id,
                                 java.util.List<String> nodes, String outcome) {
        JournalEvent.Type type = JournalEvent.Type.CALL_ENTERED;
        e.add(JournalEvent.of(t, type, id, "main", null, null, null, null, null, null, "n1"));
        for (String n : nodes) {
            t = t.plusSeconds(5);
            e.add(JournalEvent.of(t, JournalEvent.Type.CALL_NODE, id, "main", n, null, null, null, null, null, "n1"));
        }
        e.add(JournalEvent.of(t.plusSeconds(5), JournalEvent.Type.CALL_ENDED, id, "main", nodes.get(nodes.size() - 1),
                null, null, 30_000L, outcome, null, "n1"));
    }

    private void signIn(WebDriverWait wait) {
        WebElement id = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-id")));
        id.sendKeys("sam");
        browser.findElement(By.id("login-password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("login-view")));
    }
}
