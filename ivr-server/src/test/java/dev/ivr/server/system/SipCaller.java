package dev.ivr.server.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real SIP call into the PBX from sipp (the PSTN trunk's side, 127.0.0.2): an INVITE with
 * audio (G.711 u-law or G.722) and RFC 2833 telephone events; after the answer, the caller's
 * steps (keys sent as RTP events when the IVR asks for them, pauses), then it hangs up or waits for the PBX to.
 */
final class SipCaller {
    enum Codec {
        PCMU(0, "PCMU/8000"), G722(9, "G722/8000");

        final int payload;
        final String rtpmap;

        Codec(int payload, String rtpmap) {
            this.payload = payload;
            this.rtpmap = rtpmap;
        }
    }

    private final PrivateAsterisk asterisk;
    private final Path dir;
    private final String number;
    private final String name;
    private final String exten;
    private Codec codec = Codec.PCMU;
    private final StringBuilder steps = new StringBuilder();
    private final Rfc2833 keys = new Rfc2833();
    private boolean waitForBye;
    private Duration byeTimeout = Duration.ofSeconds(60);
    private int groups;
    private Process process;
    /** How long the keys of each {@link #keysAtPrompt} step take to send, in order. */
    private final List<Long> atPrompts = new ArrayList<>();
    private final PromptWatch watch = new PromptWatch();

    SipCaller(PrivateAsterisk asterisk, Path dir, String number, String name, String exten) {
        this.asterisk = asterisk;
        this.dir = dir;
        this.number = number;
        this.name = name;
        this.exten = exten;
    }

    SipCaller codec(Codec c) {
        this.codec = c;
        return this;
    }

    /** Waits (listens) this long. */
    SipCaller pause(Duration d) {
        steps.append("  <pause milliseconds=\"").append(d.toMillis()).append("\"/>\n");
        return this;
    }

    /**
     * Presses these keys once the IVR asks for them: when it next starts an input ({@code WAIT FOR DIGIT},
     * {@code GET DATA}) or a prompt that keys may interrupt (escape digits), after the previous keys are all sent.
     * sipp cannot tell a prompt from silence, so the test tells it: on Asterisk's {@code AGIExecStart} of such a
     * command on this caller's channel it sends an in-dialog NOTIFY (AMI {@code PJSIPNotify}), and the scenario plays
     * the keys when that NOTIFY comes. No fixed pause: a loaded machine that starts the prompt late loses no key.
     */
    SipCaller keysAtPrompt(String digits) {
        Path pcap = dir.resolve("caller-" + number + "-keys-" + (++groups) + ".pcap");
        long millis = keys.write(pcap, digits);
        steps.append("  <recv request=\"NOTIFY\" timeout=\"").append(PROMPT_TIMEOUT.toMillis()).append("\"/>\n")
                .append(Sipp.okToLast(""))
                .append("  <nop><action><exec play_pcap_audio=\"").append(pcap).append("\"/></action></nop>\n");
        atPrompts.add(millis);
        return this;
    }

    /** The longest wait of a {@link #keysAtPrompt} step for the IVR's prompt (sipp then fails the call). */
    static final Duration PROMPT_TIMEOUT = Duration.ofSeconds(90);

    /** The caller hangs up after the steps (default). */
    SipCaller thenHangUp() {
        waitForBye = false;
        return this;
    }

    /** After the steps the caller listens until the PBX hangs up. */
    SipCaller thenWaitForHangUp(Duration timeout) {
        waitForBye = true;
        byeTimeout = timeout;
        return this;
    }

    Path messageLog() {
        return dir.resolve("caller-" + number + "-messages.log");
    }

    /** Starts the call (sipp runs on its own). */
    SipCaller start() {
        String from = "\"" + name + "\" <sip:" + number + "@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]";
        String body = """
                  <send retrans="500">
                    <![CDATA[
                      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
                      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                      From: FROM
                      To: <sip:[service]@[remote_ip]:[remote_port]>
                      Call-ID: [call_id]
                      CSeq: 1 INVITE
                      Contact: sip:NUMBER@[local_ip]:[local_port]
                      Max-Forwards: 70
                      Content-Type: application/sdp
                      Content-Length: [len]

                      v=0
                      o=caller 53655765 2353687637 IN IP[local_ip_type] [local_ip]
                      s=-
                      c=IN IP[media_ip_type] [media_ip]
                      t=0 0
                      m=audio [media_port] RTP/AVP PAYLOAD 101
                      a=rtpmap:PAYLOAD RTPMAP
                      a=rtpmap:101 telephone-event/8000
                      a=fmtp:101 0-15
                      a=sendrecv
                    ]]>
                  </send>
                  <recv response="100" optional="true"/>
                  <recv response="180" optional="true"/>
                  <recv response="183" optional="true"/>
                  <recv response="200" rtd="true"/>
                  <send>
                    <![CDATA[
                      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
                      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                      From: FROM
                      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
                      Call-ID: [call_id]
                      CSeq: 1 ACK
                      Contact: sip:NUMBER@[local_ip]:[local_port]
                      Max-Forwards: 70
                      Content-Length: 0
                    ]]>
                  </send>
                """.replace("FROM", from).replace("NUMBER", number).replace("PAYLOAD", Integer.toString(codec.payload))
                .replace("RTPMAP", codec.rtpmap) + steps + (waitForBye
                ? "  <recv request=\"BYE\" timeout=\"" + byeTimeout.toMillis() + "\"/>\n" + Sipp.okToLast("") : """
                  <send retrans="500">
                    <![CDATA[
                      BYE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
                      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                      From: FROM
                      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
                      Call-ID: [call_id]
                      CSeq: 2 BYE
                      Contact: sip:NUMBER@[local_ip]:[local_port]
                      Max-Forwards: 70
                      Content-Length: 0
                    ]]>
                  </send>
                  <recv response="200" crlf="true"/>
                """.replace("FROM", from).replace("NUMBER", number));
        Path scenario = dir.resolve("caller-" + number + ".xml");
        Sipp.write(scenario, Sipp.scenario("caller", body));
        List<String> args = new ArrayList<>(List.of("127.0.0.1:" + asterisk.sipPort, "-sf", scenario.toString(),
                "-s", exten, "-i", "127.0.0.2", "-p", Integer.toString(Tools.freeUdpRange(1)), "-mi", "127.0.0.2",
                "-mp", Integer.toString(Tools.freeUdpRange(4)), "-m", "1", "-trace_msg", "-message_file",
                messageLog().toString(), "-trace_err", "-error_file", dir.resolve("caller-" + number + "-errors.log").toString()));
        if (!atPrompts.isEmpty()) {
            asterisk.ami().onEvent(watch);
        }
        process = Sipp.start(args, dir.resolve("caller-" + number + ".out"));
        return this;
    }

    /**
     * Follows the caller's channel (the trunk's PJSIP channel with the caller's number) and tells sipp, one NOTIFY per
     * {@link #keysAtPrompt} step, when the IVR asks for keys.
     */
    private final class PromptWatch implements java.util.function.Consumer<Ami.Message> {
        private final java.util.concurrent.ExecutorService notifier =
                java.util.concurrent.Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
        private volatile String channel;
        private volatile String uniqueId;
        /** The AGI commands started on the channel so far. */
        private final java.util.concurrent.atomic.AtomicLong started = new java.util.concurrent.atomic.AtomicLong();
        /** Asterisk's CommandId of the latest command, and whether it has ended (AGIExecEnd). */
        private volatile String latestId = "";
        private volatile boolean latestEnded;
        private int next; // the step the next NOTIFY starts (notifier thread only)
        private long keysSentAt; // System.nanoTime() when the previous step's keys are all sent (notifier thread only)

        @Override
        public void accept(Ami.Message e) {
            if (uniqueId == null && e.is("Newchannel") && e.getOrDefault("Channel", "").startsWith("PJSIP/pstn-")
                    && number.equals(e.get("CallerIDNum"))) {
                channel = e.get("Channel");
                uniqueId = e.get("Uniqueid");
                return;
            }
            if (uniqueId == null || !uniqueId.equals(e.get("Uniqueid"))) {
                return;
            }
            if (e.is("Hangup")) {
                asterisk.ami().removeListener(this);
                notifier.shutdown();
            } else if (e.is("AGIExecStart")) {
                long n = started.incrementAndGet();
                latestId = e.getOrDefault("CommandId", "");
                latestEnded = false;
                if (asksForKeys(e.getOrDefault("Command", ""))) {
                    notifier.execute(() -> prompt(n));
                }
            } else if (e.is("AGIExecEnd") && e.getOrDefault("CommandId", "").equals(latestId)) {
                latestEnded = true;
            }
        }

        /** The command n asks for keys: once the previous keys are sent, if it is still the latest, sipp is told. */
        private void prompt(long n) {
            if (next >= atPrompts.size()) {
                return;
            }
            long wait = keysSentAt - System.nanoTime();
            if (wait > 0) {
                PrivateAsterisk.sleep(TimeUnit.NANOSECONDS.toMillis(wait) + 1);
            }
            if (started.get() != n || latestEnded) {
                return; // the IVR has moved on: a later command asks again, or not
            }
            Ami.Message r = asterisk.ami().action(Ami.of("Action", "PJSIPNotify", "Channel", channel,
                    "Variable", "Event=ivr-test-prompt"));
            if (!"Success".equalsIgnoreCase(r.get("Response"))) {
                System.err.println("caller " + number + ": PJSIPNotify on " + channel + " refused: " + r);
            }
            keysSentAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(atPrompts.get(next) + 150);
            next++;
        }
    }

    /** An input, or a prompt that keys may interrupt (STREAM FILE "file" "escape digits"). */
    static boolean asksForKeys(String command) {
        String c = command.trim().toUpperCase(java.util.Locale.ROOT);
        if (c.startsWith("WAIT FOR DIGIT") || c.startsWith("GET DATA") || c.startsWith("GET OPTION")) {
            return true;
        }
        return (c.startsWith("STREAM FILE") || c.startsWith("CONTROL STREAM FILE")) && !LocalCall.escapeDigits(command).isEmpty();
    }

    /** Waits for sipp to end; true when the call went as scripted. */
    boolean await(Duration timeout) {
        return Sipp.await(process, timeout.toSeconds()) == 0;
    }

    void stop() {
        asterisk.ami().removeListener(watch);
        Sipp.stop(process);
    }
}
