package dev.ivr.server.pbx;

import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.server.config.AmiConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The recording actions over a real AMI connection to the fake PBX's manager interface: what is sent
 * (MixMonitor Channel/File; MixMonitorMute Direction both, State 1/0; StopMixMonitor) and Asterisk 20's
 * refusals becoming errors.
 */
@Tag("integration")
class AmiCallRecorderIT {
    FakeAmi ami;
    AmiConnection connection;

    @AfterEach
    void close() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (ami != null) {
            ami.close();
        }
    }

    @Test
    void startMuteUnmuteStopAndAsterisksRefusals() throws Exception {
        ami = new FakeAmi("ivr", "secret");
        connection = AmiConnection.start(new AmiConfig(true, "127.0.0.1", ami.port(), "ivr", "secret"));
        await().atMost(Duration.ofSeconds(30)).until(connection::available);
        AmiCallRecorder recorder = new AmiCallRecorder(connection);

        assertThatThrownBy(() -> recorder.mute("PJSIP/trunk-00000001", true)).as("nothing records it yet")
                .hasMessageContaining("Cannot set mute flag");
        assertThatThrownBy(() -> recorder.stop("PJSIP/trunk-00000001")).hasMessageContaining("Could not stop monitoring channel");
        recorder.start("PJSIP/trunk-00000001", "/var/spool/ivr/2025-01-06/1700.1-abc.wav");
        assertThat(ami.recordingAudible("PJSIP/trunk-00000001")).isTrue();
        recorder.mute("PJSIP/trunk-00000001", true);
        assertThat(ami.recordingAudible("PJSIP/trunk-00000001")).isFalse();
        recorder.mute("PJSIP/trunk-00000001", false);
        recorder.stop("PJSIP/trunk-00000001");
        assertThat(ami.mixMonitorHistory("PJSIP/trunk-00000001")).containsExactly(
                "start /var/spool/ivr/2025-01-06/1700.1-abc.wav", "mute both", "unmute both", "stop");
        assertThat(ami.actions("MixMonitor")).singleElement().satisfies(a -> {
            assertThat(a.get("Channel")).isEqualTo("PJSIP/trunk-00000001");
            assertThat(a.get("File")).isEqualTo("/var/spool/ivr/2025-01-06/1700.1-abc.wav");
        });
        assertThat(ami.actions("MixMonitorMute")).extracting(a -> a.get("State")).containsExactly("1", "1", "0");
        assertThat(ami.actions("MixMonitorMute")).allSatisfy(a -> assertThat(a.get("Direction")).isEqualTo("both"));

        assertThatThrownBy(() -> recorder.start("PJSIP/x,y", "/tmp/a.wav")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recorder.start("PJSIP/x", "relative/a.wav")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recorder.start("PJSIP/x", "/tmp/a,b.wav")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnknownChannelIsRefusedWhenThePbxKnowsItsCalls() throws Exception {
        ami = new FakeAmi("ivr", "secret").channelsOf(new dev.ivr.fakepbx.FakePbx("127.0.0.1", 1));
        connection = AmiConnection.start(new AmiConfig(true, "127.0.0.1", ami.port(), "ivr", "secret"));
        await().atMost(Duration.ofSeconds(30)).until(connection::available);
        AmiCallRecorder recorder = new AmiCallRecorder(connection);
        assertThatThrownBy(() -> recorder.start("1700.99", "/tmp/r.wav")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No such channel");
    }
}
