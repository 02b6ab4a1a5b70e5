package dev.ivr.server.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivr.server.IvrServer;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.store.SimulatedDay;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's KPIs and the reports page over a simulated day ({@link SimulatedDay}: about 2,000 inbound calls and
 * two campaigns), written through the server's own journal writer, the day's time being "now" between 15:30 and 16:30 (in a time
 * zone chosen so, which the browser and the reports use). Screenshots to target/screenshots/day-*.png, and to
 * docs/screenshots with -Divr.writeDocs=true (docs/reporting.md says how).
 */
@Tag("integration")
class SimulatedDayScreenshotsIT {
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
    void aSimulatedDayOnTheDashboardAndTheReportsPage(@TempDir Path dir) throws Exception {
        // "now" is 15:30-16:30 of the simulated day: its midnight a whole number of hours ago, in the zone where it is midnight
        Instant now = Instant.now();
        Instant midnight = now.minus(Duration.ofMinutes(15 * 60 + 30)).truncatedTo(ChronoUnit.HOURS);
        int offset = Math.floorMod(24 - midnight.atZone(java.time.ZoneOffset.UTC).getHour(), 24);
        if (offset > 12) {
            offset -= 24;
        }
        String zone = offset == 0 ? "Etc/UTC" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset);
        SimulatedDay day = new SimulatedDay(20, midnight, now); // now: 15:30 to 16:30 of the day

        server = IvrServer.start(TestConfigs.server(dir.resolve("data"), Map.of("IVR_FLOWS_WATCH", "false",
                "IVR_REPORTS_LIVE_REFRESH", "1s")));
        DeskClient api = new DeskClient(server.httpPort());
        String admin = Files.readString(dir.resolve("data/admin-token")).trim();
        api.createUser(admin, new JsonObject().put("id", "sam").put("name", "Sam Super").put("password", PASSWORD)
                .put("roles", new JsonArray().add("supervisor")));
        await().atMost(Duration.ofSeconds(60)).until(() -> server.database().isReady());
        day.writeCampaigns(server.database().dataSource());
        for (JournalEvent e : day.events()) {
            server.journal().emit(e);
        }
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).until(() -> server.journal().pending() == 0);
        String base = "http://127.0.0.1:" + server.httpPort();

        browser = Chromium.start(dir.resolve("chromium-profile"));
        ((ChromeDriver) browser).executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", zone));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        String date = midnight.atZone(java.time.ZoneId.of(zone)).toLocalDate().toString();
        // encoded: in a query string a '+' (Etc/GMT+2, west of Greenwich) reads as a space
        String period = "from=" + date + "T08:00&to=" + date + "T20:00&tz="
                + java.net.URLEncoder.encode(zone, java.nio.charset.StandardCharsets.UTF_8);

        // the queues per hour, with the service-level chart
        browser.get(base + "/reports/?kind=queues&interval=60m&" + period);
        signIn(wait);
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.service-level-chart rect.chart-bar"), 12));
        assertThat(browser.findElement(By.id("compare")).getText()).containsIgnoringCase("service level");
        shot("day-reports-queues", "reports-day-queues.png");

        // containment per hour (08:00 to now: 8 or 9 hours with calls) and the funnel of the customer-service flow
        browser.get(base + "/reports/?kind=flows&interval=60m&" + period);
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.containment-chart rect.chart-bar"), 8 + (int) Duration.between(midnight, now).toHours() - 15));
        assertThat(browser.findElements(By.cssSelector("svg.containment-chart rect.chart-bar")).subList(0, 7))
                .allSatisfy(b -> assertThat(Double.parseDouble(b.getAttribute("data-value"))).isBetween(10.0, 50.0));
        shot("day-reports-containment", "reports-day-containment.png");
        browser.get(base + "/reports/?kind=funnel&interval=all&filter=customer-service&" + period);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("svg.funnel-chart g.funnel-step[data-node='main-menu']")));
        scrollTo("chart-card");
        shot("day-reports-funnel", "reports-day-funnel.png");

        // the campaigns per hour, with the previous period (yesterday: nothing)
        browser.get(base + "/reports/?kind=campaigns&interval=60m&" + period);
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("svg.contact-rate-chart rect.chart-bar"), 12));
        assertThat(browser.findElement(By.id("report-table")).getText()).contains("contract-renewal", "payment-reminder");
        shot("day-reports-campaigns", "reports-day-campaigns.png");

        // the dashboard's KPIs of the last hour
        String sam = api.login("sam", PASSWORD);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/reports/live", sam).json()
                .getJsonObject("center").getLong("offered") > 0);
        browser.get(base + "/supervisor/");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#live-kpis .kpi"), 8));
        scrollTo("live-section");
        shot("day-dashboard-kpis", "supervisor-day-kpis.png");
    }

    private void scrollTo(String id) {
        ((JavascriptExecutor) browser).executeScript("document.getElementById(arguments[0]).scrollIntoView()", id);
    }

    private void shot(String name, String doc) throws Exception {
        Path p = Chromium.screenshot(browser, name);
        if (Boolean.getBoolean("ivr.writeDocs")) {
            Files.copy(p, Path.of("..", "docs", "screenshots", doc), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void signIn(WebDriverWait wait) {
        WebElement id = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-id")));
        id.sendKeys("sam");
        browser.findElement(By.id("login-password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("login-view")));
    }
}
