package dev.ivr.server.desk;

import dev.ivr.routing.Reservation;
import dev.ivr.server.IvrServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Schedule a reminder" on the agent desktop in headless Chromium, against a whole server: a call
 * of Anna (C1001) is offered to alice, she picks a campaign and tomorrow 10:00 (her local time)
 * and the campaign's contact for Anna is stored for that moment. Over the API: another agent, a
 * supervisor, a call never offered to alice, an unknown campaign and a time in the past are refused.
 * Screenshot: target/screenshots/agent-reminder.png.
 */
@Tag("integration")
class ReminderPagesIT {
    static final String PASSWORD = DeskPageFixture.PASSWORD;
    DeskPageFixture desk;
    IvrServer server;

    @AfterEach
    void stop(TestInfo info) {
        if (desk != null) {
            desk.close(info);
        }
    }

    /** The server with the payment-reminder campaign and the sample customers. */
    private void start(Path dir) throws Exception {
        desk = DeskPageFixture.start(dir, "", """
                outbound:
                  campaigns:
                    - {name: payment-reminder, flow: customer-service, reason: payment-late}
                """).withSampleCustomers();
        server = desk.server;
    }

    private Instant storedAt(String customer) throws Exception {
        try (var c = server.database().dataSource().getConnection(); var ps = c.prepareStatement(
                "select state, next_at from campaign_contacts where campaign = 'payment-reminder' and customer_id = ?")) {
            ps.setString(1, customer);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                assertThat(rs.getString(1)).isEqualTo("pending");
                return rs.getObject(2, OffsetDateTime.class).toInstant();
            }
        }
    }

    @Test
    void anAgentSchedulesAReminderForTheCustomerOnScreen(@TempDir Path dir) throws Exception {
        start(dir);
        desk.agent("alice", "Alice Martin", "PJSIP/1001");
        desk.signIn("/agent/", "alice");
        desk.agentReady();
        WebDriver browser = desk.browser();
        WebDriverWait wait = desk.waitFor();

        Reservation r = WrapUpPagesIT.offer(server, "1760000000.1");
        wait.until(ExpectedConditions.textToBe(By.id("pop-customer"), "Anna Kovács"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("reminder")));
        assertThat(browser.findElement(By.id("reminder-customer")).getText()).isEqualTo("for Anna Kovács");
        assertThat(new Select(browser.findElement(By.id("reminder-campaign"))).getOptions()).extracting(WebElement::getText)
                .containsExactly("payment-reminder");

        // nothing chosen: the page asks before sending
        browser.findElement(By.id("reminder-save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("reminder-error"), "Choose the day and time"));

        // tomorrow at 10:00 in the browser's time zone
        JavascriptExecutor js = (JavascriptExecutor) browser;
        String local = (String) js.executeScript("const d = new Date(Date.now() + 86400000);"
                + "const p = n => String(n).padStart(2, '0');"
                + "return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T10:00';");
        js.executeScript("document.getElementById('reminder-at').value = arguments[0];", local);
        Instant expected = Instant.parse((String) js.executeScript("return new Date(arguments[0]).toISOString();", local));
        browser.findElement(By.id("reminder-save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("reminder-status"), "Scheduled: payment-reminder"));
        assertThat(storedAt("C1001")).isEqualTo(expected);
        Chromium.screenshot(browser, "agent-reminder");
        assertThat(Chromium.accessibilityProblems(browser)).as("desktop with the reminder card").isEmpty();
        assertThat(server.routing().service().answered(r)).isTrue();
    }

    @Test
    void theServerLetsAnAgentBookOnlyForTheCustomerOfTheirOwnCall(@TempDir Path dir) throws Exception {
        start(dir);
        desk.agent("alice", "Alice Martin", "PJSIP/1001");
        desk.agent("bob", "Bob Keller", "PJSIP/1002");
        desk.supervisor("sam", "Sam Supervisor");
        DeskClient api = new DeskClient(server.httpPort());
        String alice = api.login("alice", PASSWORD);
        String bob = api.login("bob", PASSWORD);
        String sam = api.login("sam", PASSWORD);
        assertThat(api.post("/api/agents/alice/login", alice, new JsonObject()).status()).isEqualTo(200);
        assertThat(api.post("/api/agents/alice/ready", alice, null).status()).isEqualTo(200);
        Reservation r = WrapUpPagesIT.offer(server, "1760000000.2");
        assertThat(server.routing().service().answered(r)).isTrue();
        String at = Instant.now().plus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        JsonObject good = new JsonObject().put("campaign", "payment-reminder").put("at", at);
        String path = "/api/agents/alice/calls/1760000000.2/reminder";

        assertThat(api.get("/api/desk/reminder-campaigns", alice).json().getJsonArray("campaigns").getJsonObject(0)
                .getString("name")).isEqualTo("payment-reminder");
        assertThat(api.post(path, bob, good).status()).as("another agent's id").isEqualTo(403);
        assertThat(api.post("/api/agents/bob/calls/1760000000.2/reminder", bob, good).status())
                .as("a call never offered to bob").isEqualTo(404);
        assertThat(api.post(path, sam, good).status()).as("a supervisor (the API is /api/reminders)").isEqualTo(403);
        assertThat(api.post(path, null, good).status()).isEqualTo(401);
        assertThat(api.post("/api/agents/alice/calls/other-call/reminder", alice, good).status()).isEqualTo(404);
        assertThat(api.post(path, alice, good.copy().put("campaign", "renewal")).status()).isEqualTo(400);
        assertThat(api.post(path, alice, good.copy().put("at", "tomorrow")).status()).isEqualTo(400);
        assertThat(api.post(path, alice, good.copy().put("at", "2020-01-01T10:00:00Z")).status()).isEqualTo(400);
        assertThat(api.post(path, alice, good.copy().put("customer", "C1003")).status())
                .as("the customer is the call's, whatever the request says").isEqualTo(200);
        assertThat(storedAt("C1003")).isNull();
        assertThat(storedAt("C1001")).isEqualTo(Instant.parse(at));

        // after the call: alice held it, she may still book (wrap-up)
        assertThat(server.routing().service().callEnded(r)).isTrue();
        String later = Instant.now().plus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        assertThat(api.post(path, alice, good.copy().put("at", later)).status()).isEqualTo(200);
        assertThat(storedAt("C1001")).isEqualTo(Instant.parse(later));
    }
}
