package dev.ivr.server.system;

import dev.ivr.server.config.AmiConfig;
import dev.ivr.server.pbx.AmiConnection;
import dev.ivr.server.pbx.AmiOriginator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a server taking over a callback asks the real Asterisk 20 (as the sample's {@code ivr} manager user): AMI
 * {@code Status} with {@code Variables: IVR_CALL_ID} lists each channel with a {@code Variable: IVR_CALL_ID=...}
 * line, so a channel an Originate created with that variable is found, and no other.
 */
@ExtendWith(AsteriskInstallation.Required.class)
@ResourceLock(SystemRig.ONE_AT_A_TIME)
@Tag("system")
class AmiChannelStatusSystemIT {
    static SystemRig rig;
    static PrivateAsterisk asterisk;

    @BeforeAll
    static void start() {
        rig = new SystemRig(AmiChannelStatusSystemIT.class);
        asterisk = rig.asterisk();
        asterisk.start(); // no IVR server: no call goes there
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aChannelCarryingTheCallbacksIdIsFoundAndNoOther() throws Exception {
        Ami.Message originated = asterisk.ami().action(Ami.of("Action", "Originate", "Channel", "Local/s@caller-sim/n",
                "Application", "Wait", "Data", "60", "Variable", "IVR_CALL_ID=cb-status-test", "Async", "true"));
        assertThat(originated.get("Response")).isEqualTo("Success");
        List<Ami.Message> raw = asterisk.ami().list(Ami.of("Action", "Status", "Variables", "IVR_CALL_ID"));
        await().atMost(Duration.ofSeconds(10)).until(() -> asterisk.ami().list(Ami.of("Action", "Status",
                "Variables", "IVR_CALL_ID")).stream().anyMatch(m -> "IVR_CALL_ID=cb-status-test".equals(m.get("Variable"))));

        try (AmiConnection ami = AmiConnection.start(new AmiConfig(true, "127.0.0.1", asterisk.amiPort,
                PrivateAsterisk.IVR_AMI_USER, PrivateAsterisk.IVR_AMI_SECRET))) {
            await().atMost(Duration.ofSeconds(30)).until(ami::available);
            AmiOriginator originator = new AmiOriginator(ami, Clock.systemUTC());
            assertThat(originator.hasChannel("IVR_CALL_ID", "cb-status-test")).as("Status listed " + raw)
                    .isEqualTo(Optional.of(true));
            assertThat(originator.hasChannel("IVR_CALL_ID", "cb-another")).isEqualTo(Optional.of(false));
        }
    }
}
