package dev.ivr.server.desk;

import dev.ivr.routing.CallRequest;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.server.IvrServer;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.callcontext.TopicScreenPops;
import dev.ivr.server.crm.Interaction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wrap-up on the agent desktop in headless Chromium, against a whole server (its desk, CRM API
 * and database): a billing call ends, the queue requires a wrap-up code, so "Wrap-up done" is
 * refused until the agent saves one; the code and a note (with markup in it) are saved into the
 * call's interaction, and the next call of the same customer shows them, as text, in the
 * contact history; the REST API returns them too. Screenshot: target/screenshots/agent-wrap-up.png.
 */
@Tag("integration")
class WrapUpPagesIT {
    static final String PASSWORD = DeskPageFixture.PASSWORD;
    static final String NOTE = "Promised to pay on 5 May <script>alert('x')</script> & <b>call back</b>";
    DeskPageFixture desk;
    IvrServer server;

    @AfterEach
    void stop(TestInfo info) {
        if (desk != null) {
            desk.close(info);
        }
    }

    /** The billing queue requires a wrap-up code; the sample customers. */
    private void billingServer(Path dir) throws Exception {
        desk = DeskPageFixture.start(dir, """
                wrap-up: 10m
                wrap-up-codes: [resolved, payment-arranged, follow-up]
                wrap-up-code-required: true
                wrap-up-extension: 2m
                """, "").withSampleCustomers();
        server = desk.server;
    }

    static Interaction routed(String callId, Instant start, String agent) {
        return new Interaction(callId, "3612345678", "1000", "customer-service", "1", start, start.plusSeconds(200),
                List.of("welcome", "identify", "menu", "route-billing"), Map.of("menu", "2", "pin", "***"), "C1001", "OK",
                "billing", agent, Duration.ofSeconds(15), Duration.ofSeconds(180), Interaction.Outcome.ROUTED, null);
    }

    /** A payment-reminder call of Anna that an answering machine took (attempt 2), as the dialer and the flow leave it. */
    private void campaignCallToAMachine(String callId, Instant start) throws Exception {
        server.crmStore().record(new Interaction(callId, "3612345678", "s", "payment-reminder", "1", start, start.plusSeconds(20),
                List.of("reminder"), Map.of(), "C1001", null, null, null, null, null, Interaction.Outcome.SELF_SERVED, null));
        ((dev.ivr.server.crm.store.JdbcCrmStore) server.crmStore()).awaitRecorded(java.time.Duration.ofSeconds(30)); // past the writer's linger
        try (var c = server.database().dataSource().getConnection(); var ps = c.prepareStatement("insert into campaign_attempts"
                + " (campaign, customer_id, attempt_no, phone, node, started_at, ended_at, result, call_id, amd, amd_cause)"
                + " values ('payment-reminder', 'C1001', 2, '+3612345678', 'node-a', ?, ?, 'answered', ?, 'MACHINE',"
                + " 'INITIALSILENCE-2500-1500')")) {
            ps.setObject(1, start.atOffset(java.time.ZoneOffset.UTC));
            ps.setObject(2, start.plusSeconds(20).atOffset(java.time.ZoneOffset.UTC));
            ps.setString(3, callId);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    static CallContext context(String callId) {
        return new CallContext(callId, "+36 1 234 5678", "customer-service", "C1001", "Anna Kovács", "gold",
                Map.of(), "OK", "billing", Map.of(), List.of("welcome", "identify", "menu", "route-billing"),
                Map.of("menu", "2"), Duration.ofSeconds(40), Duration.ofSeconds(5), "billing", "alice", Instant.now(), false);
    }

    /** Queues a call, waits for alice to be reserved, publishes its screen pop; returns the reservation. */
    static Reservation offer(IvrServer server, String callId) throws InterruptedException {
        RoutingService routing = server.routing().service();
        routing.enqueue(CallRequest.builder(callId, "billing").build());
        WaitResult w = routing.awaitAgent(callId, Duration.ofSeconds(30));
        assertThat(w).isInstanceOf(WaitResult.Offered.class);
        Reservation r = ((WaitResult.Offered) w).reservation();
        assertThat(r.agentId()).isEqualTo("alice");
        new CallContexts(server.hazelcast(), Duration.ofMinutes(10)).put(context(callId));
        new TopicScreenPops(server.hazelcast()).offered("alice", context(callId));
        return r;
    }

    @Test
    void aRequiredCodeIsAskedForAndTheNoteLandsInTheHistoryAsText(@TempDir Path dir) throws Exception {
        billingServer(dir);
        server.crmStore().record(routed("1740819600.1", Instant.parse("2025-03-01T09:00:00Z"), "bob"));
        campaignCallToAMachine("1740906000.4", Instant.parse("2025-03-02T09:00:00Z"));
        desk.agent("alice", "Alice Martin", "PJSIP/1001", "en", "hu");
        String base = desk.base();
        desk.signIn("/agent/", "alice");
        desk.agentReady();
        WebDriver browser = desk.browser();
        WebDriverWait wait = desk.waitFor();

        // ---- a call: offered, answered, ended: alice is in wrap-up and the card asks for the outcome
        String first = "1750000000.1";
        Reservation r = offer(server, first);
        wait.until(ExpectedConditions.textToBe(By.id("pop-customer"), "Anna Kovács"));
        RoutingService routing = server.routing().service();
        assertThat(routing.answered(r)).isTrue();
        new TopicScreenPops(server.hazelcast()).connected("alice", first);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("wrap-up")));
        // on the call: the transfer card offers the queues (the transfer itself: TransferIT over the fake PBX)
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("transfer")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("transfer-target"), "billing"));
        Chromium.screenshot(browser, "agent-transfer");
        assertThat(routing.callEnded(r)).isTrue();
        new TopicScreenPops(server.hazelcast()).ended("alice", first, "hangup");
        server.crmStore().record(routed(first, Instant.now().minusSeconds(200), "alice"));
        wait.until(ExpectedConditions.textToBe(By.id("agent-state"), "Wrap-up"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("transfer")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("wrap-up-timer"), "Ready in"));
        assertThat(browser.findElement(By.id("wrap-up-required")).isDisplayed()).isTrue();
        assertThat(new Select(browser.findElement(By.id("wrap-up-code"))).getOptions()).extracting(WebElement::getText)
                .containsExactly("Choose an outcome…", "Resolved", "Payment arranged", "Follow up");

        // ---- "Wrap-up done" without a code: refused by the server, said on the page
        browser.findElement(By.id("btn-wrap-up-done")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-error"), "choose a wrap-up code"));
        assertThat(routing.agent("alice").orElseThrow().state().name()).isEqualTo("WRAP_UP");
        // ---- saving without a code: the page asks for one before anything is sent
        browser.findElement(By.id("wrap-up-save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("wrap-up-error"), "requires one"));

        // ---- more time, then the outcome and a note with markup in it
        String before = routing.agent("alice").orElseThrow().wrapUpUntil().toString();
        browser.findElement(By.id("wrap-up-extend")).click();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                !routing.agent("alice").orElseThrow().wrapUpUntil().toString().equals(before));
        new Select(browser.findElement(By.id("wrap-up-code"))).selectByValue("payment-arranged");
        browser.findElement(By.id("wrap-up-note")).sendKeys(NOTE);
        browser.findElement(By.id("wrap-up-save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("wrap-up-status"), "Saved: Payment arranged"));
        Path wrapUp = Chromium.screenshot(browser, "agent-wrap-up");
        assertThat(Chromium.accessibilityProblems(browser)).as("desktop in wrap-up").isEmpty();
        browser.findElement(By.id("btn-wrap-up-done")).click();
        wait.until(ExpectedConditions.textToBe(By.id("agent-state"), "Ready"));

        // ---- the API has it with the interaction
        HttpClient http = HttpClient.newHttpClient();
        String token = (String) ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return sessionStorage.getItem('ivr.token')");
        HttpResponse<String> got = http.send(HttpRequest.newBuilder(URI.create(base + "/api/interactions/" + first))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(got.statusCode()).isEqualTo(200);
        JsonArray wrapUps = new JsonObject(got.body()).getJsonArray("wrapUps");
        assertThat(wrapUps).hasSize(1);
        assertThat(wrapUps.getJsonObject(0).getString("code")).isEqualTo("payment-arranged");
        assertThat(wrapUps.getJsonObject(0).getString("note")).isEqualTo(NOTE);
        assertThat(wrapUps.getJsonObject(0).getString("agentId")).isEqualTo("alice");

        // ---- the customer calls again: the history shows the last call's outcome and note, as text
        offer(server, "1750000000.2");
        wait.until(ExpectedConditions.textToBe(By.id("pop-call-id"), "Call 1750000000.2"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#history-table tbody tr:not(.empty-row)"), 3));
        String history = browser.findElement(By.id("history-table")).getText();
        assertThat(history).contains("Payment arranged", "Promised to pay on 5 May <script>alert('x')</script> & <b>call back</b>");
        // the campaign's call of the day before: its campaign, attempt and what answered it (AMD), on that row only
        assertThat(browser.findElements(By.cssSelector("#history-table .campaign-call"))).singleElement()
                .extracting(WebElement::getText).isEqualTo("Campaign payment-reminder, attempt 2: answering machine (INITIALSILENCE-2500-1500)");
        assertThat(browser.findElements(By.cssSelector("#history-table script, #history-table b"))).isEmpty();
        Path historyShot = Chromium.screenshot(browser, "agent-history-with-wrap-up");
        assertThat(List.of(wrapUp, historyShot)).allSatisfy(p -> assertThat(p).isNotEmptyFile());
    }

    @Test
    void theApiLetsAnAgentWrapUpOnlyTheirOwnCallsAndChecksWhatTheyGive(@TempDir Path dir) throws Exception {
        billingServer(dir);
        desk.agent("alice", "Alice Martin", "PJSIP/1001");
        desk.agent("bob", "Bob Keller", "PJSIP/1002");
        desk.supervisor("sam", "Sam Supervisor");
        DeskClient api = new DeskClient(server.httpPort());
        String alice = api.login("alice", PASSWORD);
        String bob = api.login("bob", PASSWORD);
        String sam = api.login("sam", PASSWORD);
        assertThat(api.post("/api/agents/alice/login", alice, new JsonObject()).status()).isEqualTo(200);
        assertThat(api.post("/api/agents/alice/ready", alice, null).status()).isEqualTo(200);
        Reservation r = offer(server, "1750000000.9");
        RoutingService routing = server.routing().service();
        assertThat(routing.answered(r)).isTrue();
        String path = "/api/agents/alice/calls/1750000000.9/wrap-up";

        assertThat(api.send("PUT", path, bob, new JsonObject().put("code", "resolved")).status()).as("another agent").isEqualTo(403);
        assertThat(api.send("PUT", path, sam, new JsonObject().put("code", "resolved")).status()).as("supervisor").isEqualTo(403);
        assertThat(api.send("PUT", "/api/agents/alice/calls/other-call/wrap-up", alice, new JsonObject().put("code", "resolved"))
                .status()).as("a call never offered to alice").isEqualTo(404);
        assertThat(api.send("PUT", path, alice, new JsonObject().put("code", "sold")).body()).contains("must be one of");
        assertThat(api.send("PUT", path, alice, new JsonObject().put("note", "no code")).status()).as("code required").isEqualTo(400);
        assertThat(api.send("PUT", path, alice, new JsonObject().put("code", "resolved").put("note", "x".repeat(2001))).status())
                .isEqualTo(400);
        assertThat(api.send("PUT", path, alice, new JsonObject().put("code", 7)).status()).isEqualTo(400);
        assertThat(api.post("/api/agents/alice/wrap-up/extend", alice, new JsonObject().put("seconds", 30)).status())
                .as("on the call: no wrap-up yet").isEqualTo(409);
        // saving during the call is allowed (notes while talking)
        assertThat(api.send("PUT", path, alice, new JsonObject().put("code", "follow-up").put("note", "line 1\r\nline 2\u0007"))
                .status()).isEqualTo(200);
        assertThat(routing.callEnded(r)).isTrue();
        assertThat(api.post("/api/agents/alice/wrap-up/extend", alice, new JsonObject().put("seconds", 0)).status()).isEqualTo(400);
        assertThat(api.post("/api/agents/alice/wrap-up/extend", alice, new JsonObject().put("seconds", 130)).status())
                .as("beyond the queue's 2m extension").isEqualTo(409);
        assertThat(api.post("/api/agents/alice/wrap-up/extend", alice, new JsonObject().put("seconds", 60)).status()).isEqualTo(200);
        assertThat(api.post("/api/agents/alice/wrap-up/extend", alice, new JsonObject().put("seconds", 60)).status()).isEqualTo(200);
        assertThat(api.post("/api/agents/alice/wrap-up/extend", alice, new JsonObject().put("seconds", 5)).status())
                .as("2m used up").isEqualTo(409);
        DeskClient.Reply saved = api.get(path, sam);
        assertThat(saved.status()).isEqualTo(200);
        assertThat(new JsonObject(saved.body()).getString("note")).isEqualTo("line 1\nline 2");
        assertThat(api.get(path, bob).status()).isEqualTo(403);
        assertThat(api.post("/api/agents/alice/wrap-up-done", alice, null).status()).isEqualTo(200);
        JsonObject policies = new JsonObject(api.get("/api/wrap-up/policies", bob).body());
        assertThat(policies.getJsonArray("queues").getJsonObject(0).getJsonArray("codes"))
                .containsExactly("resolved", "payment-arranged", "follow-up");
        assertThat(api.get("/api/wrap-up/policies", null).status()).isEqualTo(401);
    }
}
