package dev.ivr.server.system;

import dev.ivr.server.crm.Interaction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Keys typed at a machine's pace (100 ms keys, 100 ms apart: a PBX or an IVR tester sending DTMF, a caller who knows
 * the number) into the account and PIN prompts of the sample customer-service flow, on a real Asterisk, with the
 * server made slow between commands: every line it sends reaches Asterisk {@value #SLOW_MILLIS} ms late
 * ({@link SlowAgiProxy}), as a starved server's do under load. Asterisk drops the keys that come while no AGI command
 * runs, so an input read a key per command (WAIT FOR DIGIT after WAIT FOR DIGIT) lost most of them; the digits input
 * is one GET DATA that plays the prompt and keeps listening between keys, and every key arrives.
 */
@ExtendWith(AsteriskInstallation.Required.class)
@ResourceLock(SystemRig.ONE_AT_A_TIME)
@Tag("system")
class FastKeysSystemIT {
    static final long SLOW_MILLIS = 400;
    static SystemRig rig;
    static PrivateAsterisk asterisk;
    static SlowAgiProxy proxy;
    static IvrNode node;

    @BeforeAll
    static void start() throws Exception {
        rig = new SystemRig(FastKeysSystemIT.class);
        asterisk = rig.asterisk();
        asterisk.start();
        asterisk.cli("agi set debug on");
        node = rig.add(IvrNode.start(rig.dir, "node-a", asterisk.amiPort, "", Map.of("IVR_TTS_ENABLED", "true")));
        proxy = rig.add(new SlowAgiProxy(node.agiPort(), Duration.ofMillis(SLOW_MILLIS)));
        asterisk.ivr(proxy.port(), proxy.port());
        node.awaitPrerendered();
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void anAccountAndAPinTypedAtAMachinesPaceArriveWholeFromASlowServer() {
        long mark = asterisk.logMark();
        List<String[]> customers = LoadSystemIT.CUSTOMERS.subList(0, 3);
        List<LocalCall> calls = new ArrayList<>();
        for (String[] c : customers) {
            calls.add(LocalCall.place(asterisk, "1000", c[0], "Fast " + c[3], LocalCall.Script.of()
                    .typeFastAtPrompt("1").typeFastAtPrompt(c[1] + "#").typeFastAtPrompt(c[2] + "#")
                    .hangUpAfter(Duration.ofSeconds(1))));
        }
        List<String> wrong = new ArrayList<>();
        for (int n = 0; n < calls.size(); n++) {
            LocalCall call = calls.get(n);
            String[] c = customers.get(n);
            call.awaitEnd(Duration.ofMinutes(3));
            await().atMost(Duration.ofSeconds(60)).until(() -> node.server.crmQueries().interaction(call.callId).isPresent());
            Interaction i = node.server.crmQueries().interaction(call.callId).orElseThrow();
            if (!"OK".equals(i.authOutcome()) || !c[3].equals(i.customerId())
                    || !"1".equals(i.inputs().get("menu_choice"))) {
                wrong.add(call.callId + ": auth " + i.authOutcome() + " customer " + i.customerId() + " inputs "
                        + i.inputs() + " path " + i.path() + "; AGI commands " + call.commandTexts());
            }
        }
        assertThat(wrong).as("calls whose keys did not all arrive").isEmpty();
        int commands = 0;
        for (LocalCall call : calls) {
            // the account and the PIN were each one GET DATA that played its prompt and heard all the keys
            assertThat(call.commandTexts()).filteredOn(t -> t.startsWith("GET DATA") && !LocalCall.firstQuoted(t).isEmpty())
                    .as("GET DATA with the account's and the PIN's prompts").hasSizeGreaterThanOrEqualTo(2);
            commands += call.commands().size();
        }
        assertThat(proxy.linesDelayed.get()).as("every command reached Asterisk through the slow proxy")
                .isGreaterThanOrEqualTo(commands);
        String log = asterisk.logSince(mark);
        // the caller's phone really typed at the fast pace (SendDTMF 100 ms apart), into the IVR's side
        assertThat(log).contains("SendDTMF(").contains("100,100");
        assertThat(log.lines().filter(l -> l.contains("] ERROR["))).as("Asterisk's errors").isEmpty();
        assertThat(node.problems()).filteredOn(l -> l.startsWith("ERROR")).as("the server's errors").isEmpty();
    }
}
