package dev.ivr.server.system;

import dev.ivr.routing.AgentProfile;
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
 * Scenario 11: 100 callers at once, simulated in Asterisk (Local channels), through the
 * customer-service flow with real prompts (MaryTTS, rendered while the calls come in: the
 * greetings with the callers' names are not cached yet), verified by account and PIN, and routed
 * to fifteen agents whose PJSIP phones answer. Every call completes as it should, and neither
 * Asterisk's log nor the server's has an error. (Finding 3: no key a caller types is lost while a
 * prompt renders: each call is verified with its own account.) Each caller's phone types the menu
 * choice into the greeting, then the account and the PIN into the prompts that ask for them, each
 * string from the moment its prompt starts ({@link LocalCall.Script#typeAtPrompt}): not at fixed
 * moments from the call's start, which prompts rendered on a loaded machine shift.
 */
@ExtendWith(AsteriskInstallation.Required.class)
@ResourceLock(SystemRig.ONE_AT_A_TIME)
@Tag("system")
class LoadSystemIT {
    static final int CALLS = 100;
    static final int AGENTS = 15;
    static final String QUEUES = """
            routing:
              queues:
                - {id: billing, name: Billing, skills: {billing: 1}, ring-time: 15s, wrap-up: 1s, default-handle-time: 5s}
                - {id: support, name: Support, skills: {technical: 1}, ring-time: 15s, wrap-up: 1s, default-handle-time: 5s}
                - {id: sales, name: Sales, skills: {sales: 1}, ring-time: 15s, wrap-up: 1s, default-handle-time: 5s}
            """;
    /** Sample customers with a number of their own: number, account, PIN, customer id. */
    static final List<String[]> CUSTOMERS = List.of(
            new String[]{"3612345678", "10001", "1234", "C1001"},
            new String[]{"3612345679", "10002", "2345", "C1002"},
            new String[]{"+442079460958", "10003", "3456", "C1003"},
            new String[]{"+49301234567", "10006", "6789", "C1005"},
            new String[]{"+12025550143", "10008", "8901", "C1007"},
            new String[]{"+36705550108", "10009", "9012", "C1008"},
            new String[]{"+390612345678", "10010", "0123", "C1009"},
            new String[]{"+441614960011", "10012", "2233", "C1011"},
            new String[]{"+36305550112", "10013", "3344", "C1012"});
    static SystemRig rig;
    static PrivateAsterisk asterisk;
    static IvrNode node;

    @BeforeAll
    static void start() {
        rig = new SystemRig(LoadSystemIT.class);
        asterisk = rig.asterisk();
        List<AgentPhone> phones = new ArrayList<>();
        String[] endpoints = new String[AGENTS];
        for (int a = 0; a < AGENTS; a++) {
            endpoints[a] = Integer.toString(2001 + a);
            phones.add(rig.add(new AgentPhone(asterisk, rig.dir, endpoints[a])));
        }
        asterisk.agents(endpoints).start();
        for (AgentPhone p : phones) {
            p.behave(new AgentPhone.Answer(Duration.ofMillis(300), Duration.ofSeconds(1)));
            assertThat(p.register()).isTrue();
        }
        node = rig.add(IvrNode.start(rig.dir, "node-a", asterisk.amiPort, QUEUES, Map.of("IVR_TTS_ENABLED", "true")));
        asterisk.ivr(node.agiPort(), node.agiPort());
        node.awaitPrerendered();
        await().atMost(Duration.ofSeconds(60)).until(() -> asterisk.logText().contains("Manager 'ivr' logged on"));
        for (int a = 0; a < AGENTS; a++) {
            String id = "agent-" + endpoints[a];
            node.server.routing().service().login(new AgentProfile(id, "Agent " + endpoints[a], "PJSIP/" + endpoints[a],
                    Map.of("billing", 5), IvrNode.SAMPLE_LANGUAGES));
            node.server.routing().service().ready(id);
        }
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void oneHundredCallersAtOnceAreVerifiedAndRoutedWithoutAnErrorInEitherLog() {
        long mark = asterisk.logMark();
        List<LocalCall> calls = new ArrayList<>();
        for (int n = 0; n < CALLS; n++) {
            String[] c = CUSTOMERS.get(n % CUSTOMERS.size());
            calls.add(LocalCall.place(asterisk, "1000", c[0], "Caller " + n,
                    LocalCall.Script.of().typeAtPrompt("1").typeAtPrompt(c[1] + "#").typeAtPrompt(c[2] + "#")
                            .thenSilence()));
            PrivateAsterisk.sleep(50);
        }
        for (LocalCall call : calls) {
            call.awaitEnd(Duration.ofMinutes(6));
        }
        List<String> wrong = new ArrayList<>();
        for (int n = 0; n < CALLS; n++) {
            LocalCall call = calls.get(n);
            String[] c = CUSTOMERS.get(n % CUSTOMERS.size());
            await().atMost(Duration.ofSeconds(60)).until(() -> node.server.crmQueries().interaction(call.callId).isPresent());
            Interaction i = node.server.crmQueries().interaction(call.callId).orElseThrow();
            if (i.outcome() != Interaction.Outcome.ROUTED || !"OK".equals(i.authOutcome())
                    || !c[3].equals(i.customerId()) || !"1".equals(i.inputs().get("menu_choice"))) {
                wrong.add(call.callId + ": " + i.outcome() + " auth " + i.authOutcome() + " customer " + i.customerId()
                        + " inputs " + i.inputs() + " path " + i.path());
            }
        }
        assertThat(wrong).as("calls that did not go as the caller meant").isEmpty();
        assertThat(asterisk.logSince(mark).lines().filter(l -> l.contains("] ERROR["))).as("Asterisk's errors").isEmpty();
        assertThat(node.problems()).filteredOn(l -> l.startsWith("ERROR")).as("the server's errors").isEmpty();
        System.out.println("load: the server's warnings: " + node.problems().size());
        node.problems().stream().limit(20).forEach(l -> System.out.println("  " + l));
    }
}
