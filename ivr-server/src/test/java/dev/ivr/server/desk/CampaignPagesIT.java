package dev.ivr.server.desk;

import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.server.outbound.PreviewServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Outbound in headless Chromium against the whole server (a fake AMI, the fake PBX for the dialplan's report): the
 * supervisor starts a preview campaign from the dashboard's campaigns section; the agent's desktop shows the first
 * customer before anything is dialled, the agent skips it and calls the next one; the dashboard shows the progress
 * bar and the rates, and pauses, resumes and stops the campaign. Screenshots: target/screenshots/agent-preview.png
 * and supervisor-campaigns.png (docs/screenshots).
 */
@Tag("integration")
class CampaignPagesIT {
    static final Duration T = Duration.ofSeconds(60);
    WebDriver agentBrowser;
    WebDriver supervisorBrowser;
    PreviewServer s;

    @AfterEach
    void stop(org.junit.jupiter.api.TestInfo info) throws Exception {
        String name = info.getTestMethod().map(m -> m.getName()).orElse("test");
        for (WebDriver b : new WebDriver[]{agentBrowser, supervisorBrowser}) {
            if (b != null) {
                Chromium.evidence(b, "last-" + name + (b == agentBrowser ? "-agent" : "-supervisor"));
                b.quit();
            }
        }
        if (s != null) {
            s.close();
        }
    }

    static void signIn(WebDriverWait wait, WebDriver b, String id) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-id"))).sendKeys(id);
        b.findElement(By.id("login-password")).sendKeys(PreviewServer.PASSWORD);
        b.findElement(By.id("login-submit")).click();
    }

    static By cell(String css) {
        return By.cssSelector("#campaigns-table tr[data-campaign='renewal'] " + css);
    }

    @Test
    void theSupervisorRunsAPreviewCampaignFromTheDashboardAndTheAgentSkipsThenCallsFromTheDesktop(@TempDir Path dir)
            throws Exception {
        s = new PreviewServer(dir, ", preview-timeout: 60s");
        s.desk.createUser(s.admin, new JsonObject().put("id", "sam").put("name", "Sam Super").put("password", PreviewServer.PASSWORD)
                .put("roles", new JsonArray().add("supervisor")));
        String base = "http://127.0.0.1:" + s.server.httpPort();

        agentBrowser = Chromium.start(dir.resolve("chromium-agent"));
        WebDriverWait agent = new WebDriverWait(agentBrowser, T);
        agentBrowser.get(base + "/agent/");
        signIn(agent, agentBrowser, "tina");
        agent.until(ExpectedConditions.attributeContains(By.id("conn"), "class", "live"));
        agent.until(ExpectedConditions.visibilityOfElementLocated(By.id("btn-login"))).click();
        agent.until(ExpectedConditions.textToBe(By.id("agent-state"), "Not ready"));
        agentBrowser.findElement(By.id("btn-ready")).click();
        agent.until(ExpectedConditions.textToBe(By.id("agent-state"), "Ready"));

        supervisorBrowser = Chromium.start(dir.resolve("chromium-supervisor"));
        WebDriverWait sup = new WebDriverWait(supervisorBrowser, T);
        supervisorBrowser.get(base + "/supervisor/");
        signIn(sup, supervisorBrowser, "sam");
        sup.until(ExpectedConditions.textToBe(cell("td.cp-status"), "not started"));
        supervisorBrowser.findElement(cell("button[data-action='start']")).click();
        sup.until(ExpectedConditions.textToBe(cell("td.cp-status"), "running"));

        // the agent sees the first customer; nothing is dialled
        agent.until(ExpectedConditions.visibilityOfElementLocated(By.id("preview")));
        agent.until(ExpectedConditions.textToBe(By.id("preview-customer"), "Anna Kovács"));
        assertThat(agentBrowser.findElement(By.id("preview-number")).getText()).isEqualTo("+3612345678");
        assertThat(agentBrowser.findElement(By.id("preview-reason")).getText()).isEqualTo("Contract renewal");
        assertThat(agentBrowser.findElement(By.id("preview-campaign")).getText()).isEqualTo("renewal");
        assertThat(agentBrowser.findElement(By.id("pop-banner")).getText()).startsWith("Preview");
        agent.until(ExpectedConditions.textToBePresentInElementLocated(By.id("preview-timer"), "s left to choose"));
        assertThat(agentBrowser.findElement(By.id("agent-state")).getText()).isEqualTo("Ringing");
        assertThat(Chromium.accessibilityProblems(agentBrowser)).as("desktop with a preview").isEmpty();
        Chromium.screenshot(agentBrowser, "agent-preview");
        assertThat(s.ami.originated()).isEmpty();

        agentBrowser.findElement(By.id("preview-skip")).click();
        agent.until(ExpectedConditions.textToBe(By.id("preview-customer"), "Bence Tóth"));
        assertThat(s.ami.originated()).isEmpty();
        agentBrowser.findElement(By.id("preview-accept")).click();
        await().atMost(T).until(() -> s.ami.originated().size() == 1);
        FakeAmi.Originated o = s.ami.originated().get(0);
        assertThat(o.action()).containsEntry("Channel", "PJSIP/3002").containsEntry("Exten", "preview");
        assertThat(o.variables()).containsEntry("IVR_PREVIEW_DIAL", "PJSIP/+3612345679@trunk");
        agent.until(ExpectedConditions.textToBe(By.id("agent-state"), "On call"));
        agent.until(ExpectedConditions.invisibilityOfElementLocated(By.id("preview")));
        new FakePbx("127.0.0.1", s.server.agiPort()).call("campaign-preview-result")
                .variable("IVR_CONTEXT", o.variables().get("IVR_CONTEXT")).variable("DIALSTATUS", "ANSWER").run(T);
        s.ami.hangup(o.channel(), o.uniqueId());
        agent.until(ExpectedConditions.textToBe(By.id("agent-state"), "Wrap-up"));

        // the dashboard: progress, rates, and the controls
        sup.until(ExpectedConditions.textToBe(cell("td.cp-contact-rate"), "50%"));
        assertThat(supervisorBrowser.findElement(cell("td.cp-progress")).getText()).contains("1 / 2");
        assertThat(supervisorBrowser.findElement(cell("td.cp-remaining")).getText()).isEqualTo("1");
        assertThat(supervisorBrowser.findElement(cell("progress")).getAttribute("value")).isEqualTo("1");
        assertThat(Chromium.accessibilityProblems(supervisorBrowser)).as("dashboard with campaigns").isEmpty();
        ((org.openqa.selenium.JavascriptExecutor) supervisorBrowser).executeScript(
                "document.getElementById('campaigns').scrollIntoView({block: 'center'})");
        Chromium.screenshot(supervisorBrowser, "supervisor-campaigns");
        supervisorBrowser.findElement(cell("button[data-action='pause']")).click();
        sup.until(ExpectedConditions.textToBe(cell("td.cp-status"), "paused"));
        assertThat(s.desk.get("/api/campaigns/renewal", PreviewServer.SUPERVISOR).json().getString("status")).isEqualTo("paused");
        supervisorBrowser.findElement(cell("button[data-action='resume']")).click();
        sup.until(ExpectedConditions.textToBe(cell("td.cp-status"), "running"));
        supervisorBrowser.findElement(cell("button[data-action='stop']")).click();
        sup.until(ExpectedConditions.textToBe(cell("td.cp-status"), "stopped"));
        assertThat(s.desk.get("/api/campaigns/renewal", PreviewServer.SUPERVISOR).json().getString("status")).isEqualTo("stopped");
        assertThat(s.attempts()).hasSize(2);
        assertThat(s.ami.originated()).hasSize(1);
    }
}
