package dev.ivr.server.routing;

import dev.ivr.routing.AgentState;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.DeskMessage;
import dev.ivr.server.callcontext.Transfer;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.crm.wrapup.JdbcTransferLog;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.server.testing.Closer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.ivr.server.routing.RoutingHarness.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A consult (attended) transfer from the agent desktop's API over the fake PBX and its AMI. Tess, on a support call,
 * consults the sales queue: the server moves her channel to the consult context's hold (AMI Redirect of its exact
 * name, reported by the answer subroutine), the caller's Dial returns and the caller holds; the call is offered anew
 * in sales (Sid's screen pop has the customer, path, inputs and the transfer note) and Sid is rung with AMI Originate
 * into the consult context, which bridges him with Tess. First call: Tess cancels, the caller's channel bridges back
 * to her (Bridge application). Second call: Tess completes, the caller's channel bridges with Sid's channel, Tess's
 * channel is marked done (AMI Setvar) and hangs up, her wrap-up starts; the interaction has Sid as last agent and the
 * transfer log a consult transfer.
 */
@Tag("integration")
class ConsultTransferIT {
    static final Duration T = Duration.ofSeconds(60);
    static final String PASSWORD = "correct horse battery";
    final Closer open = new Closer();

    @AfterEach
    void stop() {
        if (browser != null) {
            dev.ivr.server.desk.Chromium.evidence(browser, "last-consult");
            browser.quit();
        }
        open.close();
    }

    RoutingHarness h;
    FakeAmi ami;
    JdbcTransferLog transferLog;
    List<DeskMessage> pops;
    String base;
    String tess;
    String sid;
    org.openqa.selenium.WebDriver browser;

    /** The server's parts over the fake PBX and AMI, the desk's API, Tess (support) and Sid (sales) signed in. */
    private void setUp(Path dir, boolean tessStartsShift) throws Exception {
        TransferRig r = TransferRig.start(dir, tessStartsShift);
        open.add(r);
        h = r.h;
        ami = r.ami;
        transferLog = r.transferLog;
        pops = r.pops;
        base = r.base;
        tess = r.tess;
        sid = r.sid;
    }

    @Test
    void aConsultIsCancelledThenCompleted(@TempDir Path dir) throws Exception {
        setUp(dir, true);
        // ================= first call: the consult is cancelled, back to Tess
        FakeCall call = h.pbx.call("queue-test").callerId("+3612345678")
                .caller(Caller.script().dial(Caller.DialOutcome.ANSWER, new CompletableFuture<>()).thenSilence()).start();
        String callId = call.uniqueId();
        await().atMost(T).until(() -> h.service().agent("tess").orElseThrow().state() == AgentState.ON_CALL);
        String tessLeg = awaitTalking(h, "PJSIP/2001-");
        assertThat(post(base, "/api/agents/tess/consult/complete", tess, null).statusCode())
                .as("no consult yet").isEqualTo(404);
        assertThat(post(base, "/api/agents/tess/consult", tess, new JsonObject().put("to", "queue").put("target", "nowhere"))
                .statusCode()).isEqualTo(400);
        assertThat(post(base, "/api/agents/tess/consult", sid, new JsonObject().put("to", "queue").put("target", "sales"))
                .statusCode()).as("another agent's id").isEqualTo(403);
        assertThat(post(base, "/api/agents/sid/ready", sid, null).statusCode()).isEqualTo(200);

        HttpResponse<String> c = post(base, "/api/agents/tess/consult", tess,
                new JsonObject().put("to", "queue").put("target", "sales").put("note", "asks about an upgrade"));
        assertThat(c.statusCode()).as(c.body()).isEqualTo(200);
        assertThat(new JsonObject(c.body()).getString("phase")).isEqualTo("calling");
        assertThat(ami.actions("Redirect")).singleElement().satisfies(a -> {
            assertThat(a.get("Channel")).isEqualTo(tessLeg);
            assertThat(a.get("Context")).isEqualTo("ivr-consult");
            assertThat(a.get("Exten")).isEqualTo("hold");
        });
        await().atMost(T).until(() -> h.service().agent("sid").orElseThrow().state() == AgentState.ON_CALL);
        await().atMost(T).until(() -> phase(base, tess).equals("talking"));
        assertThat(h.service().agent("tess").orElseThrow().state()).as("tess stays on the call").isEqualTo(AgentState.ON_CALL);
        assertThat(h.pbx.consultBridges()).hasSize(1).containsValue(tessLeg);
        assertThat(ami.originated()).singleElement().satisfies(o -> {
            assertThat(o.action().get("Channel")).isEqualTo("PJSIP/2002");
            assertThat(o.action().get("Context")).isEqualTo("ivr-consult");
            assertThat(o.variables()).containsEntry("IVR_CONSULT_PEER", tessLeg);
        });
        CallContext first = pops.stream().filter(m -> m.kind() == DeskMessage.Kind.OFFERED && "tess".equals(m.agentId()))
                .findFirst().orElseThrow().context();
        CallContext toSid = pops.stream().filter(m -> m.kind() == DeskMessage.Kind.OFFERED && "sid".equals(m.agentId()))
                .findFirst().orElseThrow().context();
        assertThat(toSid.callId()).isEqualTo(callId);
        assertThat(toSid.ani()).isEqualTo(first.ani());
        assertThat(toSid.ivrPath()).isEqualTo(first.ivrPath());
        assertThat(toSid.inputs()).isEqualTo(first.inputs());
        assertThat(toSid.queue()).isEqualTo("sales");
        assertThat(toSid.fields()).containsAllEntriesOf(first.fields())
                .containsEntry(Transfer.FIELD_BY, "tess").containsEntry(Transfer.FIELD_NOTE, "asks about an upgrade")
                .containsEntry(Transfer.FIELD_FROM_QUEUE, "support");
        assertThat(post(base, "/api/agents/tess/transfer", tess, new JsonObject().put("to", "queue").put("target", "sales"))
                .statusCode()).as("no blind transfer during a consult").isEqualTo(409);

        HttpResponse<String> cancel = post(base, "/api/agents/tess/consult/cancel", tess, null);
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        await().atMost(T).until(() -> call.bridges().contains(tessLeg));
        await().atMost(T).until(() -> h.pbx.consultBridges().isEmpty());
        await().atMost(T).until(() -> h.service().agent("sid").orElseThrow().state() != AgentState.ON_CALL);
        assertThat(h.service().agent("tess").orElseThrow().state()).isEqualTo(AgentState.ON_CALL);
        assertThat(h.pbx.hangUpLegs(tessLeg::equals)).containsExactly(tessLeg); // tess ends the call
        call.await(T);
        assertThat(h.interaction(callId).agentId()).isEqualTo("tess");
        assertThat(transferLog.forCalls(List.of(callId))).doesNotContainKey(callId);
        await().atMost(T).until(() -> h.service().agent("tess").orElseThrow().state() == AgentState.WRAP_UP);

        // ================= second call: the consult is completed, the caller talks to Sid
        assertThat(post(base, "/api/agents/tess/wrap-up-done", tess, null).statusCode()).isEqualTo(200);
        await().atMost(T).until(() -> h.service().agent("sid").orElseThrow().state() == AgentState.READY);
        FakeCall call2 = h.pbx.call("queue-test").callerId("+3612345679")
                .caller(Caller.script().dial(Caller.DialOutcome.ANSWER, new CompletableFuture<>()).thenSilence()).start();
        String callId2 = call2.uniqueId();
        await().atMost(T).until(() -> h.service().agent("tess").orElseThrow().state() == AgentState.ON_CALL);
        String tessLeg2 = awaitTalking(h, "PJSIP/2001-");
        assertThat(post(base, "/api/agents/tess/consult", tess, new JsonObject().put("to", "queue").put("target", "sales")
                .put("note", "wants Premium")).statusCode()).isEqualTo(200);
        await().atMost(T).until(() -> phase(base, tess).equals("talking"));
        String sidLeg = h.pbx.consultBridges().keySet().iterator().next();
        HttpResponse<String> done = post(base, "/api/agents/tess/consult/complete", tess, null);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        await().atMost(T).until(() -> call2.bridges().contains(sidLeg));
        await().atMost(T).until(() -> h.pbx.heldLegs().isEmpty());
        assertThat(ami.actions("Setvar")).anySatisfy(a -> {
            assertThat(a.get("Channel")).isEqualTo(tessLeg2);
            assertThat(a.get("Variable")).isEqualTo("IVR_CONSULT_DONE");
        });
        await().atMost(T).until(() -> h.service().agent("tess").orElseThrow().state() == AgentState.WRAP_UP);
        assertThat(h.service().agent("sid").orElseThrow().state()).isEqualTo(AgentState.ON_CALL);
        assertThat(h.pbx.hangUpLegs(sidLeg::equals)).containsExactly(sidLeg); // sid ends the call
        call2.await(T);
        Interaction i = h.interaction(callId2);
        assertThat(i.agentId()).isEqualTo("sid");
        assertThat(i.waitTime()).isNotNull();
        assertThat(transferLog.forCalls(List.of(callId2)).get(callId2)).singleElement().satisfies(e -> {
            assertThat(e.fromAgent()).isEqualTo("tess");
            assertThat(e.kind()).isEqualTo("QUEUE");
            assertThat(e.target()).isEqualTo("sales");
            assertThat(e.note()).isEqualTo("wants Premium");
            assertThat(e.consult()).isTrue();
        });
        await().atMost(T).until(() -> h.service().agent("sid").orElseThrow().state() != AgentState.ON_CALL);
    }

    /**
     * The transfer card's consult in headless Chromium: Tess chooses sales, "Consult first"; the card says she
     * talks to the sales agent while the caller holds (screenshot docs/screenshots/agent-consult.png), then
     * "Complete transfer": the caller is bridged with Sid and Tess is in wrap-up.
     */
    @Test
    void theTransferCardConsultsThenCompletes(@TempDir Path dir) throws Exception {
        setUp(dir, false);
        browser = dev.ivr.server.desk.Chromium.start(dir.resolve("chromium-profile"));
        org.openqa.selenium.support.ui.WebDriverWait wait =
                new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(base + "/agent/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-id"))).sendKeys("tess");
        browser.findElement(By.id("login-password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("btn-login"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("agent-state"), "Not ready"));
        wait.until(ExpectedConditions.attributeContains(By.id("conn"), "class", "live"));
        browser.findElement(By.id("btn-ready")).click();
        await().atMost(T).until(() -> h.service().agent("tess").orElseThrow().state() == AgentState.READY);
        assertThat(post(base, "/api/agents/sid/ready", sid, null).statusCode()).isEqualTo(200);

        FakeCall call = h.pbx.call("queue-test").callerId("+3612345678")
                .caller(Caller.script().dial(Caller.DialOutcome.ANSWER, new CompletableFuture<>()).thenSilence()).start();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("transfer")));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("consult-submit")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("transfer-target"), "sales"));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("transfer-target"))).selectByValue("sales");
        browser.findElement(By.id("transfer-note")).sendKeys("Wants Premium; verified");
        browser.findElement(By.id("consult-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("consult-status"), "You are talking to Sid Sales"));
        assertThat(browser.findElement(By.id("transfer-form")).isDisplayed()).isFalse();
        dev.ivr.server.desk.Chromium.screenshot(browser, "agent-consult");
        String sidLeg = h.pbx.consultBridges().keySet().iterator().next();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("consult-complete"))).click();
        await().atMost(T).until(() -> call.bridges().contains(sidLeg));
        wait.until(ExpectedConditions.textToBe(By.id("agent-state"), "Wrap-up"));
        assertThat(h.service().agent("sid").orElseThrow().state()).isEqualTo(AgentState.ON_CALL);
        CallContext toSid = pops.stream().filter(m -> m.kind() == DeskMessage.Kind.OFFERED && "sid".equals(m.agentId()))
                .findFirst().orElseThrow().context();
        assertThat(toSid.fields()).containsEntry(Transfer.FIELD_NOTE, "Wants Premium; verified");
        h.pbx.hangUpLegs(sidLeg::equals);
        call.await(T);
        assertThat(transferLog.forCalls(List.of(call.uniqueId())).get(call.uniqueId()))
                .singleElement().satisfies(e -> assertThat(e.consult()).isTrue());
    }

    private static String awaitTalking(RoutingHarness h, String prefix) {
        await().atMost(T).until(() -> h.pbx.talkingLegs().stream().anyMatch(n -> n.startsWith(prefix)));
        return h.pbx.talkingLegs().stream().filter(n -> n.startsWith(prefix)).findFirst().orElseThrow();
    }

    private static String phase(String base, String token) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "/api/agents/tess/consult")).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? new JsonObject(r.body()).getString("phase") : "none";
    }

    static HttpResponse<String> post(String base, String path, String token, JsonObject body) throws Exception {
        return TransferIT.post(base, path, token, body);
    }
}
