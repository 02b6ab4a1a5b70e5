package dev.ivr.fakepbx;

import dev.ivr.testsupport.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fake PBX against a scripted AGI "server" in the test: checks that each reply is what
 * Asterisk 20 sends (docs/asterisk-behaviour.md).
 */
@Tag("integration")
class FakePbxIT {
    private ServerSocket server;
    private FakePbx pbx;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0);
        pbx = new FakePbx("127.0.0.1", server.getLocalPort());
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    /** Accepts one call, reads its environment, sends each command and collects the reply lines. */
    private CompletableFuture<Session> serve(String... commands) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream();
                Session session = new Session();
                String line;
                while (!(line = in.readLine()).isEmpty()) {
                    session.environment.add(line);
                }
                for (String c : commands) {
                    out.write((c + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    String reply = in.readLine();
                    session.replies.add(reply);
                    if (reply != null && reply.startsWith("520-")) {
                        while (!(line = in.readLine()).startsWith("520 ")) {
                            session.usage.add(line);
                        }
                    }
                }
                // what else arrives unprompted (HANGUP lines) before the peer closes or goes quiet
                s.setSoTimeout(300);
                try {
                    while ((line = in.readLine()) != null) {
                        session.unprompted.add(line);
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // quiet
                }
                return session;
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    static final class Session {
        final List<String> environment = new ArrayList<>();
        final List<String> replies = new ArrayList<>();
        final List<String> usage = new ArrayList<>();
        final List<String> unprompted = new ArrayList<>();
    }

    private Session run(Caller caller, String... commands) throws Exception {
        CompletableFuture<Session> s = serve(commands);
        CallResult r = pbx.call("flow").args("a", "b c").caller(caller).run(Duration.ofSeconds(10));
        assertThat(r).isNotNull();
        return s.get(10, TimeUnit.SECONDS);
    }

    @Test
    void environmentIsAsterisk20s() throws Exception {
        Session s = run(Caller.script(), "NOOP");
        assertThat(s.environment.get(0)).isEqualTo("agi_network: yes");
        assertThat(s.environment.get(1)).isEqualTo("agi_network_script: flow");
        assertThat(s.environment).extracting(l -> l.substring(0, l.indexOf(':'))).containsExactly(
                "agi_network", "agi_network_script", "agi_request", "agi_channel", "agi_language", "agi_type",
                "agi_uniqueid", "agi_version", "agi_callerid", "agi_calleridname", "agi_callingpres",
                "agi_callingani2", "agi_callington", "agi_callingtns", "agi_dnid", "agi_rdnis", "agi_context",
                "agi_extension", "agi_priority", "agi_enhanced", "agi_accountcode", "agi_threadid", "agi_arg_1",
                "agi_arg_2");
        assertThat(s.environment).contains("agi_accountcode: ", "agi_arg_2: b c", "agi_version: 20.20.1");
    }

    @Test
    void keysAndTimeouts() throws Exception {
        Session s = run(Caller.script().bargeIn("1").press("234#").silence().press("9"),
                "STREAM FILE \"menu\" \"123\"",
                "GET DATA \"enter\" 5000 10",
                "GET DATA \"enter\" 5000 10",
                "WAIT FOR DIGIT 2000",
                "WAIT FOR DIGIT 3000",
                "SAY DIGITS \"42\" \"\"");
        assertThat(s.replies).containsExactly(
                "200 result=49 endpos=4000", // '1' ends the prompt
                "200 result=234",            // '#' ends input and is not included
                "200 result= (timeout)",
                "200 result=0",              // right after a silent GET DATA: the same silence (ivr's digits input)
                "200 result=57",
                "200 result=0 endpos=16000");
    }

    @Test
    void bargeInOnlyWhereThePromptAllowsIt() throws Exception {
        Session s = run(Caller.script().bargeIn("5"),
                "STREAM FILE \"notice\" \"\"",
                "STREAM FILE \"menu\" \"5\"");
        assertThat(s.replies).containsExactly("200 result=0 endpos=16000", "200 result=53 endpos=4000");
    }

    @Test
    void getDataHearsAScriptedCallerTypeOnAfterAPauseShorterThanItsTimeout() throws Exception {
        Session s = run(Caller.script().press("12").pause(Duration.ofMillis(100)).press("34").press("9")
                        .pause(Duration.ofMillis(100)).press("8").pause(Duration.ofMillis(400)).press("7"),
                "GET DATA \"pin\" 3000 10", "GET DATA \"\" 300 10", "WAIT FOR DIGIT 3000");
        assertThat(s.replies).containsExactly(
                "200 result=1234 (timeout)", // a press then nothing more: the next press is the next input's
                "200 result=98 (timeout)",   // then a pause of 400 ms, longer than this input's 300 ms
                "200 result=55");
    }

    @Test
    void partialDigitsThenTimeout() throws Exception {
        Session s = run(Caller.script().press("12"), "GET DATA \"pin\" 3000 4");
        assertThat(s.replies).containsExactly("200 result=12 (timeout)");
    }

    @Test
    void callerHangsUpDuringACommand() throws Exception {
        Session s = run(Caller.script().hangUp(),
                "STREAM FILE \"hello\" \"\"",
                "SET VARIABLE \"X\" \"1\"",
                "STREAM FILE \"again\" \"\"",
                "EXEC \"Playback\" \"x\"");
        assertThat(s.replies.get(0)).startsWith("200 result=-1 endpos=");
        assertThat(s.replies.subList(1, 4)).containsExactly("200 result=1",
                "511 Command Not Permitted on a dead channel or intercept routine", "200 result=-1");
        // HANGUP arrives unprompted after ~40 ms: here between the commands or after them
        assertThat(String.join("|", s.replies) + "|" + String.join("|", s.unprompted)).contains("HANGUP");
    }

    @Test
    void serverHangsUp() throws Exception {
        Session s = run(Caller.script(), "HANGUP", "STREAM FILE \"x\" \"\"");
        assertThat(s.replies.get(0)).isEqualTo("200 result=1");
        assertThat(s.replies.get(1)).isEqualTo("HANGUP");
    }

    @Test
    void protocolErrors() throws Exception {
        Session s = run(Caller.script(), "FROBNICATE", "STREAM FILE", "GET VARIABLE \"NOPE\"", "EXEC \"NoSuchApp\" \"\"");
        assertThat(s.replies).containsExactly("510 Invalid or unknown command",
                "520-Invalid command syntax.  Proper usage follows:", "200 result=0", "200 result=-2");
        assertThat(s.usage).isNotEmpty();
    }

    @Test
    void variablesAndDial() throws Exception {
        Session s = run(Caller.script().dial(Caller.DialOutcome.NOANSWER),
                "SET VARIABLE \"GREETING\" \"hello world\"",
                "GET VARIABLE \"GREETING\"",
                "GET FULL VARIABLE \"${GREETING}!\"",
                "EXEC \"Dial\" \"PJSIP/1001,20\"",
                "GET VARIABLE \"DIALSTATUS\"");
        assertThat(s.replies).containsExactly("200 result=1", "200 result=1 (hello world)", "200 result=1 (hello world!)",
                "200 result=0", "200 result=1 (NOANSWER)");
    }

    @Test
    void dialledChannelsInheritUnderscoreVariablesAndAnsweredCallsReportTheirDuration() throws Exception {
        CompletableFuture<Void> talk = new CompletableFuture<>();
        CompletableFuture<Session> s = serve(
                "SET VARIABLE \"__IVR_CALL_ID\" \"42.1\"",
                "SET VARIABLE \"_ONCE\" \"x\"",
                "SET VARIABLE \"LOCAL\" \"y\"",
                "GET VARIABLE \"IVR_CALL_ID\"",
                "SET MUSIC on default",
                "EXEC \"Dial\" \"PJSIP/1001,20,b(leg^s^1)\"",
                "GET VARIABLE \"DIALSTATUS\"",
                "GET VARIABLE \"ANSWEREDTIME\"");
        FakeCall call = pbx.call("flow").caller(Caller.script().dial(Caller.DialOutcome.ANSWER, talk)).start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> call.snapshot().stream()
                .anyMatch(c -> c.isExec("Dial")));
        assertThat(call.dials()).isEmpty(); // still talking
        talk.complete(null);
        CallResult r = call.await(Duration.ofSeconds(10));
        Session session = s.get(10, TimeUnit.SECONDS);
        assertThat(session.replies).containsExactly("200 result=1", "200 result=1", "200 result=1",
                "200 result=1 (42.1)", "200 result=0", "200 result=-1", "200 result=1 (ANSWER)",
                "200 result=1 (" + Long.parseLong(r.variable("ANSWEREDTIME_MS")) / 1000 + ")");
        assertThat(r.dials()).singleElement().satisfies(d -> {
            assertThat(d.target()).isEqualTo("PJSIP/1001");
            assertThat(d.timeout()).isEqualTo(20);
            assertThat(d.options()).isEqualTo("b(leg^s^1)");
            assertThat(d.inherited()).containsOnly(java.util.Map.entry("IVR_CALL_ID", "42.1"),
                    java.util.Map.entry("ONCE", "x"));
            assertThat(d.status()).isEqualTo("ANSWER");
            // Asterisk 20: ANSWEREDTIME is the calling channel's up time, so at least the conversation
            assertThat(Long.parseLong(r.variable("ANSWEREDTIME_MS"))).isGreaterThanOrEqualTo(d.talk().toMillis());
            assertThat(Long.parseLong(r.variable("DIALEDTIME_MS")))
                    .isGreaterThanOrEqualTo(Long.parseLong(r.variable("ANSWEREDTIME_MS")));
        });
        assertThat(r.hungUpBy()).isEqualTo(CallResult.HungUpBy.CALLER);
    }

    /** A scripted server: gets the connection once the environment is read. */
    private interface Dialogue {
        void talk(BufferedReader in, OutputStream out) throws Exception;
    }

    private CompletableFuture<Void> serveDialogue(Dialogue d) {
        return CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while (!(line = in.readLine()).isEmpty()) {
                    // environment
                }
                d.talk(in, s.getOutputStream());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static void send(OutputStream out, String command) throws IOException {
        out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void answeredTimeCountsFromTheCallersAnswerNotTheAgents() throws Exception {
        Session s = run(Caller.script().pause(Duration.ofMillis(400)).dial(Caller.DialOutcome.ANSWER_AGENT_HANGS_UP),
                "ANSWER", "WAIT FOR DIGIT 1000", "EXEC \"Dial\" \"PJSIP/1001,20\"", "GET VARIABLE \"ANSWEREDTIME_MS\"",
                "GET VARIABLE \"RINGTIME_MS\"");
        // the conversation lasted no time; the caller's channel had been up for the 400 ms before Dial
        assertThat(Long.parseLong(s.replies.get(3).replaceAll(".*\\((\\d+)\\).*", "$1"))).isGreaterThanOrEqualTo(400);
        assertThat(s.replies.get(4)).isEqualTo("200 result=1 (0)"); // RINGTIME: when the phone rang, not answered
    }

    @Test
    void aFileAsteriskCannotOpenAnswersMinusOneWhileTheChannelStaysUp() throws Exception {
        Session s = run(Caller.script(), "ANSWER", "STREAM FILE \"/nonexistent/prompt\" \"\"", "CHANNEL STATUS",
                "GET DATA \"/nonexistent/prompt\" 1000 4");
        assertThat(s.replies).containsExactly("200 result=0", "200 result=-1 endpos=0", "200 result=6", "200 result=-1");
        assertThat(s.unprompted).doesNotContain("HANGUP");
    }

    @Test
    void theNextCommandEndsAPlayingPromptWithoutAReplyAndAWaitForDigitWithResultOne() throws Exception {
        List<String> replies = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> server = serveDialogue((in, out) -> {
            send(out, "STREAM FILE \"welcome\" \"\"");
            Thread.sleep(200);
            send(out, "NOOP");
            replies.add(in.readLine()); // the NOOP's: the prompt had none
            send(out, "WAIT FOR DIGIT 5000");
            Thread.sleep(200);
            send(out, "NOOP");
            replies.add(in.readLine());
            replies.add(in.readLine());
        });
        CallResult r = pbx.call("flow").promptTime(Duration.ofSeconds(5)).caller(Caller.script().thenSilence())
                .realTimeouts().run(Duration.ofSeconds(10));
        server.get(10, TimeUnit.SECONDS);
        assertThat(replies).containsExactly("200 result=0", "200 result=1", "200 result=0");
        assertThat(r.commandNames()).containsExactly("STREAM FILE", "NOOP", "WAIT FOR DIGIT", "NOOP");
    }

    @Test
    void aKeyPressedWhileNoCommandRunsIsLostAndOneDuringAnInputIsItsResult() throws Exception {
        CompletableFuture<FakeCall> call = new CompletableFuture<>();
        List<String> replies = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> server = serveDialogue((in, out) -> {
            FakeCall c = call.get(5, TimeUnit.SECONDS);
            c.pressKey('7'); // between commands: Asterisk drops it
            send(out, "WAIT FOR DIGIT 5000");
            Thread.sleep(200);
            c.pressKey('3');
            replies.add(in.readLine());
            send(out, "STREAM FILE \"welcome\" \"12\"");
            Thread.sleep(200);
            c.pressKey('5'); // not an escape digit of this prompt: lost
            c.pressKey('2');
            replies.add(in.readLine());
        });
        FakeCall c = pbx.call("flow").promptTime(Duration.ofSeconds(5)).caller(Caller.script().thenSilence())
                .realTimeouts().start();
        call.complete(c);
        server.get(10, TimeUnit.SECONDS);
        c.await(Duration.ofSeconds(10));
        assertThat(replies).containsExactly("200 result=51", "200 result=50 endpos=4000");
        assertThat(c.lostKeys()).containsExactly('7', '5');
    }

    @Test
    void getDataWithoutAPromptHearsEveryKeyPressedInRealTimeUntilTheHashThenAPauseEndsTheNext() throws Exception {
        CompletableFuture<FakeCall> call = new CompletableFuture<>();
        List<String> replies = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> server = serveDialogue((in, out) -> {
            FakeCall c = call.get(5, TimeUnit.SECONDS);
            send(out, "GET DATA \"\" 2000 10"); // no prompt: listens at once
            for (char k : "1002#".toCharArray()) {
                Thread.sleep(100);
                c.pressKey(k);
            }
            replies.add(in.readLine());
            c.pressKey('5'); // between commands: lost
            send(out, "GET DATA \"\" 300 10");
            Thread.sleep(100);
            c.pressKey('4');
            Thread.sleep(100);
            c.pressKey('*');
            replies.add(in.readLine()); // no key for 300 ms: timeout, with the keys so far
            send(out, "GET DATA \"\" 5000 2");
            Thread.sleep(100);
            c.pressKey('8');
            Thread.sleep(100);
            c.pressKey('9');
            replies.add(in.readLine()); // the maximum
            send(out, "GET DATA \"\" 5000 4");
            Thread.sleep(100);
            c.pressKey('#');
            replies.add(in.readLine()); // # first: nothing
        });
        FakeCall c = pbx.call("flow").promptTime(Duration.ofSeconds(5)).caller(Caller.script().thenSilence())
                .realTimeouts().start();
        call.complete(c);
        server.get(20, TimeUnit.SECONDS);
        c.await(Duration.ofSeconds(10));
        assertThat(replies).containsExactly("200 result=1002", "200 result=4* (timeout)", "200 result=89", "200 result=");
        assertThat(c.lostKeys()).containsExactly('5');
    }

    @Test
    void aKeyThatStopsGetDatasPromptIsTheFirstOfTheInputAndTheNextCommandEndsItWithoutAReply() throws Exception {
        CompletableFuture<FakeCall> call = new CompletableFuture<>();
        List<String> replies = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> server = serveDialogue((in, out) -> {
            FakeCall c = call.get(5, TimeUnit.SECONDS);
            send(out, "GET DATA \"enter-account\" 3000 5");
            Thread.sleep(200);
            c.pressKey('7'); // stops the prompt, and is the first key
            Thread.sleep(100);
            c.pressKey('3');
            Thread.sleep(100);
            send(out, "NOOP"); // ends GET DATA: Asterisk sends no reply of its own for it
            replies.add(in.readLine());
        });
        FakeCall c = pbx.call("flow").promptTime(Duration.ofSeconds(5)).caller(Caller.script().thenSilence())
                .realTimeouts().start();
        call.complete(c);
        server.get(20, TimeUnit.SECONDS);
        c.await(Duration.ofSeconds(10));
        assertThat(replies).containsExactly("200 result=0");
        assertThat(c.lostKeys()).isEmpty();
    }

    @Test
    void settingTheChannelLanguageChangesIt() throws Exception {
        Session s = run(Caller.script(), "GET FULL VARIABLE \"${CHANNEL(language)}\"",
                "SET VARIABLE \"CHANNEL(language)\" \"es\"", "GET FULL VARIABLE \"${CHANNEL(language)}\"");
        assertThat(s.replies).containsExactly("200 result=1 (en)", "200 result=1", "200 result=1 (es)");
    }

    @Test
    void anUnansweredDialClearsTheDurationsOfThePreviousOne() throws Exception {
        Session s = run(Caller.script().dial(Caller.DialOutcome.ANSWER_AGENT_HANGS_UP).dial(Caller.DialOutcome.BUSY),
                "EXEC \"Dial\" \"PJSIP/1001,20\"",
                "GET VARIABLE \"ANSWEREDTIME\"",
                "EXEC \"Dial\" \"PJSIP/1002,20\"",
                "GET VARIABLE \"DIALSTATUS\"",
                "GET VARIABLE \"ANSWEREDTIME\"");
        // the agent hung up first: Dial returns -1 without option g (Asterisk's app_dial), the script goes on
        assertThat(s.replies).containsExactly("200 result=-1", "200 result=1 (0)", "200 result=0", "200 result=1 (BUSY)",
                "200 result=0");
    }

    @Test
    void withOptionGoOnDialReturnsZeroWhenTheAgentHangsUpFirst() throws Exception {
        Session s = run(Caller.script().dial(Caller.DialOutcome.ANSWER_AGENT_HANGS_UP),
                "EXEC \"Dial\" \"PJSIP/1001,20,gb(handler^s^1)\"", "GET VARIABLE \"DIALSTATUS\"");
        assertThat(s.replies).containsExactly("200 result=0", "200 result=1 (ANSWER)");
        assertThat(FakeCall.goOn("b(ivr-agent-leg^s^1)U(ivr-agent-answered^s^1)")).isFalse(); // g only inside b()/U()
        assertThat(FakeCall.goOn("gU(x^s^1)")).isTrue();
    }

    @Test
    void parsesQuotedArguments() {
        AgiCommand c = AgiCommand.parse("EXEC \"Dial\" \"PJSIP/1001,20,b(handler^s^1)\"");
        assertThat(c.name()).isEqualTo("EXEC");
        assertThat(c.args()).containsExactly("Dial", "PJSIP/1001,20,b(handler^s^1)");
        AgiCommand q = AgiCommand.parse("SET VARIABLE \"A\" \"say \\\"hi\\\"\"");
        assertThat(q.args()).containsExactly("A", "say \"hi\"");
        assertThat(AgiCommand.parse("stream file beep \"\"").name()).isEqualTo("STREAM FILE");
    }

    /**
     * Asterisk's res_agi, once its first line is sent, reads the script's commands; a read that fails (reset) or ends
     * before any command ends the script as a successful one: AGISTATUS=SUCCESS, not FAILURE.
     */
    @Test
    void aSessionResetBeforeAnyCommandEndsAsSuccessAsInAsterisk() throws Exception {
        CompletableFuture<List<String>> environment = CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                List<String> lines = new ArrayList<>();
                String line;
                while (!(line = in.readLine()).isEmpty()) {
                    lines.add(line);
                }
                s.setSoLinger(true, 0); // close with a reset, as a server killed or refusing the session does
                return lines;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        CallResult r = pbx.call("x").run(Duration.ofSeconds(10));
        assertThat(environment.get(10, TimeUnit.SECONDS)).contains("agi_network: yes");
        assertThat(r.commands()).isEmpty();
        assertThat(r.agiStatus()).isEqualTo(AgiStatus.SUCCESS);
    }

    @Test
    void refusedConnectionIsAFailure() throws IOException {
        int port = FreePorts.pick(); // nobody listens there
        CallResult r = new FakePbx("127.0.0.1", port).call("x").run(Duration.ofSeconds(10));
        assertThat(r.agiStatus()).isEqualTo(AgiStatus.FAILURE);
        assertThat(r.error()).startsWith("connect");
    }
}
