package dev.ivr.server.system;

import dev.ivr.server.crm.Interaction;
import dev.ivr.server.prompt.render.PromptRenderer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The IVR side against a real Asterisk 20 with PJSIP, through the sample dialplan, with
 * MaryTTS prompts and the sample customers; Asterisk runs as its own (unprivileged) user. What
 * is asserted is what Asterisk reports: its log (AGI traffic, files played, DTMF, applications),
 * its channel variables read over AMI, the voicemail spool, the phones' SIP messages.
 * Scenarios 1, 2 and 8 of issue 13 and the findings about prompt files, keys during rendering,
 * unknown flows, the channel language, the diag example, the [from-ivr] and voicemail samples,
 * Asterisk-Java's warnings and the AudioSocket port. The tests' calls run side by side (each its
 * own caller and customer), as calls do.
 */
@Execution(ExecutionMode.CONCURRENT)
@ExtendWith(AsteriskInstallation.Required.class)
@ResourceLock(SystemRig.ONE_AT_A_TIME)
@Tag("system")
class CallFlowSystemIT {
    static final Duration CALL = Duration.ofSeconds(90);
    static SystemRig rig;
    static PrivateAsterisk asterisk;
    static IvrNode node;
    static AgentPhone operator;
    static ServerSocket audioSocketPortTaken;

    @BeforeAll
    static void start() throws Exception {
        rig = new SystemRig(CallFlowSystemIT.class);
        asterisk = rig.asterisk();
        operator = rig.add(new AgentPhone(asterisk, rig.dir, "operator"))
                .behave(new AgentPhone.Answer(Duration.ofMillis(300), Duration.ofSeconds(2)));
        // another program holds the AudioSocket port: with no speech model configured the server starts anyway
        audioSocketPortTaken = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Path flows = rig.dir.resolve("flows");
        Files.createDirectories(flows);
        try (Stream<Path> shipped = Files.list(Path.of("..", "flows"))) {
            for (Path f : shipped.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json")).toList()) {
                Files.copy(f, flows.resolve(f.getFileName()));
            }
        }
        Files.writeString(flows.resolve("refused.yaml"), "start: hello\nlanguages: [en]\nnodes:\n  hello:\n    type: say\n"
                + "    text: Hello.\n    next: nowhere\n");
        asterisk.staticPhone("operator", operator.port).staticPhone("oncall", operator.port).start();
        asterisk.cli("agi set debug on");
        node = rig.add(IvrNode.start(rig.dir, "node-a", asterisk.amiPort, "", Map.of(
                "IVR_TTS_ENABLED", "true",
                "IVR_FLOWS_DIR", flows.toString(),
                "IVR_SPEECH_SPHINX_ENABLED", "false",
                "IVR_SPEECH_PORT", Integer.toString(audioSocketPortTaken.getLocalPort()))));
        asterisk.ivr(node.agiPort(), node.agiPort());
        node.awaitPrerendered();
    }

    @AfterAll
    static void stop() throws IOException {
        if (rig != null) {
            rig.close();
        }
        if (audioSocketPortTaken != null) {
            audioSocketPortTaken.close();
        }
    }



    // ------------------------------------------------------------------ scenario 1

    @Test
    void diagAnswersSetsItsVariablesAndHangsUpAndTheSampleReadsThemInTheHExtension() {
        long mark = asterisk.logMark();
        LocalCall call = LocalCall.place(asterisk, "9999", "3612345678", "Anna", LocalCall.Script.of());
        call.awaitEnd(CALL);
        String log = asterisk.logSince(mark);
        assertThat(call.commandTexts()).anyMatch(c -> c.startsWith("ANSWER")).anyMatch(c -> c.startsWith("HANGUP"));
        assertThat(log).contains("ivr diag: node node-a");
        // the README's and the sample's diag line runs (finding 9: it never ran after AGI())
        assertThat(log).contains("IVR says OK from node node-a");
    }

    // ------------------------------------------------------------------ scenario 2

    @Test
    void knownSipCallersAreGreetedChooseByKeysAndAreVerifiedAndEveryPromptIsPlayedInEitherFormat() throws Exception {
        long mark = asterisk.logMark();
        // G.711 (Asterisk picks the 8 kHz .wav) and G.722 (wideband: the .sln16), both at once
        SipCaller anna = new SipCaller(asterisk, rig.dir, "3612345678", "Anna Kovacs", "1000").codec(SipCaller.Codec.PCMU);
        SipCaller emma = new SipCaller(asterisk, rig.dir, "+442079460958", "Emma Smith", "1000").codec(SipCaller.Codec.G722);
        for (SipCaller[] c : new SipCaller[][]{{anna}, {emma}}) {
            String account = c[0] == anna ? "10001#" : "10003#";
            String pin = c[0] == anna ? "1234#" : "3456#";
            c[0].keysAtPrompt("1").keysAtPrompt(account).keysAtPrompt(pin).pause(Duration.ofSeconds(12)).thenHangUp().start();
        }
        assertThat(anna.await(CALL)).as("Anna's SIP call went as scripted").isTrue();
        assertThat(emma.await(CALL)).as("Emma's SIP call went as scripted").isTrue();

        for (String customer : List.of("C1001", "C1003")) {
            Interaction i = node.latestOf(customer);
            assertThat(i.inputs()).containsEntry("menu_choice", "1");
            assertThat(i.authOutcome()).isEqualTo("OK");
            assertThat(i.path()).contains("greet-known", "main-menu", "billing", "verify-caller/thank-you", "to-billing",
                    "leave-message");
            assertThat(i.outcome()).isEqualTo(Interaction.Outcome.VOICEMAIL); // no agent is logged in
        }
        String log = asterisk.logSince(mark);
        assertThat(log).contains("DTMF end '1' received on PJSIP/pstn-").contains("DTMF end '#' received on PJSIP/pstn-");
        assertEveryPromptPlayed(log, "PJSIP/pstn-");
    }

    /**
     * Every prompt the IVR sent was opened and played by Asterisk: no warning about a file it could
     * not open, and for each STREAM FILE of a rendered prompt Asterisk reports playing samples.
     */
    static void assertEveryPromptPlayed(String log, String channelPrefix) {
        assertThat(log.lines().filter(l -> l.contains("Unable to open") || l.contains("does not exist in any format")
                || l.contains("Permission denied"))).isEmpty();
        Pattern line = Pattern.compile("<([^>]+)>AGI (Rx <<|Tx >>) (.*)$");
        Pattern stream = Pattern.compile("STREAM FILE \"?([^\" ]+)\"? ");
        Pattern reply = Pattern.compile("200 result=(-?\\d+) endpos=(\\d+)");
        Map<String, String> pending = new java.util.HashMap<>(); // channel -> the prompt it plays
        Map<String, Integer> played = new java.util.HashMap<>();
        List<String> interrupted = new ArrayList<>();
        for (String l : log.lines().toList()) {
            Matcher m = line.matcher(l);
            if (!m.find()) {
                continue;
            }
            String channel = m.group(1);
            String text = m.group(3);
            if (!channel.startsWith(channelPrefix)) {
                continue; // other tests' calls, which may hang up in the middle of a prompt
            }
            if (m.group(2).startsWith("Rx")) {
                Matcher f = stream.matcher(text + " ");
                if (f.find()) {
                    pending.put(channel, f.group(1));
                } else if (text.startsWith("NOOP") && pending.containsKey(channel)) {
                    interrupted.add(pending.remove(channel)); // cut short on purpose: the waiting sound
                }
                continue;
            }
            Matcher r = reply.matcher(text);
            if (r.find() && pending.containsKey(channel)) {
                played.merge(pending.remove(channel), Integer.parseInt(r.group(2)), Math::max);
            }
        }
        String cache = node.server.voice().renderer().cache().dir().toString();
        List<String> rendered = played.keySet().stream().filter(f -> f.startsWith(cache)).toList();
        assertThat(rendered).as("rendered prompts Asterisk played").isNotEmpty();
        for (String f : rendered) {
            assertThat(played.get(f)).as("samples Asterisk played of " + f).isPositive();
            for (String ext : List.of("wav", "sln16")) {
                Path file = Path.of(f + "." + ext);
                assertThat(file).exists();
                try {
                    assertThat(Files.getPosixFilePermissions(file)).as("Asterisk's user can read " + file)
                            .contains(PosixFilePermission.OTHERS_READ);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    @Test
    void threeWrongPinsLockTheAccountAndTheCallerReachesTheOperator() {
        LocalCall.Script wrong = LocalCall.Script.of().bargeIn("1").bargeIn("10002#").bargeIn("0000#")
                .bargeIn("10002#").bargeIn("1111#").bargeIn("10002#").bargeIn("2222#").thenSilence();
        LocalCall first = LocalCall.place(asterisk, "1000", "3612345679", "Bence Toth", wrong);
        first.awaitEnd(CALL);
        Interaction failed = node.interaction(first.callId);
        assertThat(failed.authOutcome()).isIn("FAILED", "LOCKED");
        assertThat(failed.path()).contains("verify-caller/ask", "operator");
        assertThat(failed.outcome()).isEqualTo(Interaction.Outcome.TRANSFERRED);
        // the right PIN now: the account is locked
        LocalCall second = LocalCall.place(asterisk, "1000", "3612345679", "Bence Toth",
                LocalCall.Script.of().bargeIn("1").bargeIn("10002#").bargeIn("2345#").thenSilence());
        second.awaitEnd(CALL);
        Interaction locked = node.interaction(second.callId);
        assertThat(locked.authOutcome()).isEqualTo("LOCKED");
        assertThat(locked.path()).contains("account-locked", "operator");
        // Asterisk dialled the operator for both (the transfer node through [from-ivr])
        assertThat(operator.invites()).hasSizeGreaterThanOrEqualTo(2);
    }

    // ---------------------------------------------------------------- finding 3

    @Test
    void aKeyPressedWhileTheGreetingIsRenderedIsNotLost() throws IOException {
        // the renderer is busy (as after a restart with many callers): the greeting waits for it
        PromptRenderer renderer = node.server.voice().renderer();
        String voice = node.server.tts().voiceFor("en").orElseThrow();
        // as after a restart: Eszter's greeting is not rendered (the prompt cache is shared between runs)
        String greetingKey = dev.ivr.server.prompt.render.PromptKey.forText(voice, "Hello Eszter, welcome back to Example Corp.");
        for (var f : renderer.cache().formats()) {
            Files.deleteIfExists(renderer.cache().file(greetingKey, f));
        }
        String run = java.util.UUID.randomUUID().toString();
        List<CompletableFuture<String>> busy = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            busy.add(renderer.text("Busy renderer number " + i + " of run " + run + ". " + "This sentence only keeps the prompt renderer "
                    + "busy for a while, so that the next greeting has to wait for its turn. ".repeat(4), voice,
                    PromptRenderer.Priority.CALL));
        }
        LocalCall call = LocalCall.place(asterisk, "1000", "+36705550108", "Eszter Varga",
                LocalCall.Script.of().bargeIn("10009#").bargeIn("9012#").hangUp());
        call.awaitCommand("ANSWER", CALL);
        PrivateAsterisk.sleep(400);
        assertThat(busy).anyMatch(f -> !f.isDone()); // still rendering: no command of the IVR's is running
        call.key('1'); // "billing", typed during the greeting as callers who know the menu do
        call.awaitEnd(CALL);
        Interaction i = node.interaction(call.callId);
        assertThat(i.inputs()).containsEntry("menu_choice", "1");
        assertThat(i.authOutcome()).isEqualTo("OK");
        assertThat(i.customerId()).isEqualTo("C1008");
    }

    // ---------------------------------------------------------------- finding 4

    @Test
    void aFlowTheServerDoesNotServeReturnsToTheDialplanWhoseFallbackRuns() {
        long mark = asterisk.logMark();
        for (String flow : List.of("no-such-flow", "refused")) {
            LocalCall call = LocalCall.place(asterisk, "system-test-lines", "flow-" + flow, "3612345678", "Anna",
                    LocalCall.Script.of().thenSilence());
            call.awaitCommand("SET VARIABLE \"IVR_STATUS\" \"NOT_FOUND\"", CALL);
            await().atMost(CALL).until(() -> asterisk.logSince(mark).contains("IVR unavailable (IVR_STATUS=NOT_FOUND, IVR_NODE=node-a"));
            await().atMost(CALL).until(() -> asterisk.logSince(mark).contains("Local/100@from-ivr,30"));
            call.hangUpNow();
            call.awaitEnd(CALL);
        }
        assertThat(node.lines()).anyMatch(l -> l.contains("no flow or script named 'no-such-flow'"))
                .anyMatch(l -> l.contains("'refused'") && l.contains("refused.yaml:"));
    }

    // ---------------------------------------------------------------- finding 8

    @Test
    void choosingSpanishSetsTheChannelsLanguage() {
        long mark = asterisk.logMark();
        LocalCall call = LocalCall.place(asterisk, "1000", "+3619999999", "Unknown Caller",
                LocalCall.Script.of().bargeIn("2").thenSilence());
        await().atMost(CALL).until(() -> call.commandTexts().stream().filter(c -> c.startsWith("STREAM FILE")).count() >= 2);
        await().atMost(CALL).untilAsserted(() -> assertThat(call.variable("CHANNEL(language)")).isEqualTo("es"));
        call.hangUpNow();
        call.awaitEnd(CALL);
        assertThat(asterisk.logSince(mark)).contains("(language 'es')");
    }

    // -------------------------------------------------------- scenario 8, finding 10

    @Test
    void transferAndVoicemailNodesRunTheRealApplications() throws Exception {
        long mark = asterisk.logMark();
        // after hours: 9 for the on-call engineer (extension 199 of [from-ivr])
        LocalCall urgent = LocalCall.place(asterisk, "system-test-lines", "flow-after-hours", "3612345678", "Anna",
                LocalCall.Script.of().bargeIn("9").thenSilence());
        urgent.awaitEnd(CALL);
        assertThat(node.interaction(urgent.callId).outcome()).isEqualTo(Interaction.Outcome.TRANSFERRED);
        assertThat(asterisk.logSince(mark)).contains("Executing [199@from-ivr:1] Dial(");
        assertThat(operator.invites()).anyMatch(i -> i.firstLine().startsWith("INVITE sip:oncall@"));
        // 1: a message in the support mailbox (voicemail.conf sample)
        LocalCall message = LocalCall.place(asterisk, "system-test-lines", "flow-after-hours", "3612345678", "Anna",
                LocalCall.Script.of().bargeIn("1").leaveMessage(Duration.ofMillis(300)));
        message.awaitEnd(CALL);
        assertThat(node.interaction(message.callId).outcome()).isEqualTo(Interaction.Outcome.VOICEMAIL);
        Path inbox = asterisk.spool.resolve("voicemail/support/2000/INBOX");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.isDirectory(inbox) && messages(inbox).anyMatch(
                m -> m.contains("callerid=\"Anna\" <3612345678>")));
        assertThat(asterisk.problemsSince(mark)).filteredOn(l -> l.contains("app_voicemail")).isEmpty();
        // finding 11: a voicemail costs no Asterisk-Java warnings in the server's log
        PrivateAsterisk.sleep(1000);
        // (the log is the JVM's: "AsyncEventPump has exited" is another test's killed node's AMI connection ending,
        // up to a minute after its kill, whichever class the system tier runs first)
        assertThat(node.problems()).filteredOn(l -> !l.contains("AsyncEventPump has exited"))
                .noneMatch(l -> l.contains("org.asteriskjava"));
    }

    static Stream<String> messages(Path inbox) throws IOException {
        try (Stream<Path> files = Files.list(inbox)) {
            List<String> texts = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".txt")).toList()) {
                texts.add(Files.readString(f));
            }
            return texts.stream();
        }
    }

    // --------------------------------------------------------------- finding 11

    @Test
    void theServerStartedThoughTheAudioSocketPortWasTakenAsNoSpeechModelIsConfigured() {
        assertThat(node.server.agiPort()).isPositive();
        assertThat(node.lines()).anyMatch(l -> l.contains("AudioSocket") && l.contains(
                Integer.toString(audioSocketPortTaken.getLocalPort())));
    }

    @Test
    void asteriskRunsAsItsOwnUserWhenTheTestsRunAsRoot() {
        if (asterisk.runsAs() != null) {
            String status = Tools.run(List.of("ps", "-o", "user=", "-p", Long.toString(asterisk.pid())), 10).strip();
            assertThat(status).isEqualTo(asterisk.runsAs());
        }
    }
}
