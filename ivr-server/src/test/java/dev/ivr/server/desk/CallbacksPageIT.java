package dev.ivr.server.desk;

import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.server.IvrServer;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster's callbacks on the supervisor dashboard, in headless Chromium against the whole server (a fake AMI
 * so that callbacks can be placed): a callback scheduled through the API is listed, and cancelled from the page.
 */
@Tag("integration")
class CallbacksPageIT {
    static final String PASSWORD = "correct horse battery";
    WebDriver browser;
    IvrServer server;
    FakeAmi ami;

    @AfterEach
    void stop(org.junit.jupiter.api.TestInfo info) throws Exception {
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
    void aScheduledCallbackIsListedAndCancelledOnTheDashboard(@TempDir Path dir) throws Exception {
        ami = new FakeAmi("ivr", "manager-secret-for-tests");
        server = IvrServer.start(TestConfigs.server(Files.createDirectories(dir.resolve("data")), Map.of(
                "IVR_AMI_ENABLED", "true", "IVR_AMI_PORT", Integer.toString(ami.port()),
                "IVR_AMI_SECRET", "manager-secret-for-tests", "IVR_FLOWS_WATCH", "false")));
        DeskClient desk = new DeskClient(server.httpPort());
        String admin = Files.readString(dir.resolve("data/admin-token")).trim();
        desk.createUser(admin, new JsonObject().put("id", "sam").put("password", PASSWORD)
                .put("roles", new JsonArray().add("supervisor")));
        String queue = server.routing().service().queues().get(0).definition().id();
        DeskClient.Reply made = desk.post("/api/callbacks", admin, new JsonObject().put("number", "+3612345678")
                .put("queue", queue).put("at", Instant.now().plus(Duration.ofHours(3)).toString()));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String id = made.json().getString("id");
        assertThat(desk.post("/api/callbacks", admin, new JsonObject().put("number", "x").put("queue", queue)).status())
                .isEqualTo(400);

        browser = Chromium.start(dir.resolve("chromium-profile"));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get("http://127.0.0.1:" + server.httpPort() + "/supervisor/");
        WebElement login = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-id")));
        login.sendKeys("sam");
        browser.findElement(By.id("login-password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        By row = By.cssSelector("#callbacks-table tr[data-id='" + id + "']");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#callbacks-table tr[data-id='" + id + "'] td.cb-state"),
                "scheduled"));
        assertThat(browser.findElement(row).getText()).contains("+3612345678").contains(queue);
        assertThat(Chromium.accessibilityProblems(browser)).as("dashboard with callbacks").isEmpty();

        browser.findElement(By.cssSelector("#callbacks-table tr[data-id='" + id + "'] button")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#callbacks-table tr[data-id='" + id + "'] td.cb-state"),
                "cancelled"));
        assertThat(desk.get("/api/callbacks", admin).json().getJsonArray("callbacks").getJsonObject(0).getString("state"))
                .isEqualTo("CANCELLED");
        assertThat(browser.findElements(By.cssSelector("#callbacks-table tr[data-id='" + id + "'] button"))).isEmpty();
    }
}
