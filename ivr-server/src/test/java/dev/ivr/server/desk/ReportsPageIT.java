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

        // the funnel of the same hour, and a bad filter is said on the page
        new Select(browser.findElement(By.id("f-kind"))).selectByValue("funnel");
        browser.findElement(By.id("run")).click();
        wait.until(d -> d.findElement(By.cssSelector("#report-table thead")).getText().toLowerCase().contains("hung up"));
        browser.findElement(By.id("f-filter")).sendKeys("not a name");
        browser.findElement(By.id("run")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("report-error"), "letters, digits"));

        // the dashboard shows the live KPIs (the scripted hour is long past: an empty window)
        browser.get(base + "/supervisor/");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#live-kpis .kpi"), 8));
        assertThat(browser.findElement(By.id("live-hint")).getText()).contains("all servers");
        assertThat(Chromium.accessibilityProblems(browser)).as("dashboard").isEmpty();
    }

    private void signIn(WebDriverWait wait) {
        WebElement id = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-id")));
        id.sendKeys("sam");
        browser.findElement(By.id("login-password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("login-view")));
    }
}
