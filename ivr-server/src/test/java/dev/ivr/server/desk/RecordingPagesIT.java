package dev.ivr.server.desk;

import dev.ivr.server.IvrServer;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.recording.Recording;
import dev.ivr.server.recording.store.JdbcRecordings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Recordings card in headless Chromium against a whole server: an agent finds a call's recording on the desktop
 * but is refused playback (403, said on the page, logged); a supervisor plays it on the dashboard (the audio arrives,
 * logged). Screenshot: target/screenshots/recording-playback.png (docs/screenshots).
 */
@Tag("integration")
class RecordingPagesIT {
    DeskPageFixture desk;

    @AfterEach
    void stop(TestInfo info) {
        if (desk != null) {
            desk.close(info);
        }
    }

    @Test
    void anAgentIsRefusedPlaybackASupervisorPlaysItAndBothAreLogged(@TempDir Path dir) throws Exception {
        desk = DeskPageFixture.start(dir, "", "");
        IvrServer server = desk.server;
        IvrConfig config = desk.config;
        // a stored recording of a call, as the sealing leaves it (recording.directory under the data directory)
        String callId = "1750000000.7";
        String file = "2025-06-15/" + callId + "-0123abcd.wav";
        Path wav = config.dataDir().resolve("recordings").resolve(file);
        Files.createDirectories(wav.getParent());
        Files.write(wav, silence());
        JdbcRecordings store = new JdbcRecordings(server.database().dataSource());
        store.insert(new Recording("0123abcd0123abcd", callId, "billing", "alice", "always", file,
                Recording.State.STORED, false, (long) silence().length, Instant.parse("2025-06-15T09:00:00Z"),
                Instant.parse("2025-06-15T09:03:00Z"), null));
        desk.agent("alice", "Alice Martin", "PJSIP/1001");
        desk.supervisor("sam", "Sam Super");
        WebDriver browser = desk.browser();
        WebDriverWait wait = desk.waitFor();
        // ---- the agent: sees that the call was recorded, may not hear it
        desk.signIn("/agent/", "alice");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recordings-call"))).sendKeys(callId);
        browser.findElement(By.id("recordings-find")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#recordings-list .rec-play"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recordings-error"),
                "your role may not hear recordings"));
        assertThat(browser.findElement(By.id("recordings-player")).isDisplayed()).isFalse();
        browser.findElement(By.id("sign-out")).click();

        // ---- the supervisor: plays it on the dashboard
        desk.signIn("/supervisor/", "sam");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recordings-call"))).sendKeys(callId);
        browser.findElement(By.id("recordings-find")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#recordings-list .rec-play"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recordings-player")));
        wait.until(ExpectedConditions.attributeContains(By.id("recordings-player"), "src", "blob:"));
        assertThat(browser.findElement(By.id("recordings-error")).getText()).isEmpty();
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "document.getElementById('recordings').scrollIntoView()");
        Chromium.screenshot(browser, "recording-playback");

        List<JdbcRecordings.Access> log = store.accessLog("0123abcd0123abcd");
        assertThat(log).extracting(JdbcRecordings.Access::user, JdbcRecordings.Access::allowed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("sam", true),
                        org.assertj.core.groups.Tuple.tuple("alice", false));
    }

    /** One second of silence, 8 kHz 16-bit mono WAV, as MixMonitor writes. */
    static byte[] silence() {
        int data = 16_000;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(8000).putInt(16_000).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data);
        return b.array();
    }
}
