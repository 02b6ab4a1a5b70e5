package dev.ivr.server.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An agent's SIP phone: sipp as a user agent server on its own port on 127.0.0.1, registered to
 * the PBX with the endpoint's credentials (the contact points at the phone), answering OPTIONS
 * (qualify) and each INVITE as its {@link Behaviour} says. Every message it receives is logged,
 * so the test reads the headers the PBX sent (the X-IVR-Context header) from there.
 */
final class AgentPhone implements AutoCloseable {
    /** How the phone takes calls. */
    sealed interface Behaviour permits Answer, NoAnswer, Busy {
    }

    /**
     * Rings for {@code ring}, answers; the agent hangs up after {@code talk}, or, when null,
     * talks until the other side hangs up.
     */
    record Answer(Duration ring, Duration talk) implements Behaviour {
    }

    /** Rings until the PBX gives up (CANCEL). */
    record NoAnswer() implements Behaviour {
    }

    /** Refuses with 486 Busy Here. */
    record Busy() implements Behaviour {
    }

    final String endpoint;
    private final PrivateAsterisk asterisk;
    private final Path dir;
    int port; // picked again when the first start finds it taken meanwhile (see behave)
    private int mediaPort;
    private Process process;
    private int generation;

    AgentPhone(PrivateAsterisk asterisk, Path dir, String endpoint) {
        this.asterisk = asterisk;
        this.dir = dir;
        this.endpoint = endpoint;
        this.port = Tools.freeUdpRange(1);
        this.mediaPort = Tools.freeUdpRange(4);
    }

    /** The endpoint as the router dials it. */
    String dialString() {
        return "PJSIP/" + endpoint;
    }

    /** Starts (or restarts) the phone with this behaviour. */
    AgentPhone behave(Behaviour b) {
        Sipp.stop(process);
        generation++;
        Path scenario = dir.resolve("phone-" + endpoint + "-" + generation + ".xml");
        Sipp.write(scenario, Sipp.scenario("phone", QUALIFY_FIRST + switch (b) {
            case Answer a -> answer(a);
            case NoAnswer n -> noAnswer();
            case Busy x -> busy();
        } + QUALIFY_ANSWER));
        for (int tries = 1; ; tries++) {
            process = Sipp.start(List.of("-sf", scenario.toString(), "-i", "127.0.0.1", "-p", Integer.toString(port),
                    "-mi", "127.0.0.1", "-mp", Integer.toString(mediaPort), "-aa", "-trace_msg", "-message_overwrite", "false",
                    "-message_file", messageLog().toString()), dir.resolve("phone-" + endpoint + "-" + generation + ".out"));
            PrivateAsterisk.sleep(300);
            // a port found free at construction can be taken before sipp binds it (another process, Asterisk's RTP):
            // before its first start nobody has been told the port, so pick others and try again
            if (process.isAlive() || generation > 1 || tries == 3 || !Tools.run(List.of("cat",
                    dir.resolve("phone-" + endpoint + "-" + generation + ".out").toString()), 5).contains("errno = 98")) {
                break;
            }
            port = Tools.freeUdpRange(1);
            mediaPort = Tools.freeUdpRange(4);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("the phone " + endpoint + " (sipp) did not start: "
                    + Tools.run(List.of("cat", dir.resolve("phone-" + endpoint + "-" + generation + ".out").toString()), 5));
        }
        return this;
    }

    /**
     * Every request from the PBX starts a sipp "call": the qualify OPTIONS (every 30 s, as the
     * sample's qualify_frequency says) is answered 200 and ends there; an INVITE goes on.
     */
    private static final String QUALIFY_FIRST = """
              <recv request="OPTIONS" optional="true" next="qualify"/>
            """;
    private static final String QUALIFY_ANSWER = """
              <nop next="done"/>
              <label id="qualify"/>
              <send>
                <![CDATA[
                  SIP/2.0 200 OK
                  [last_Via:]
                  [last_From:]
                  [last_To:];tag=[pid]SIPpTag02[call_number]
                  [last_Call-ID:]
                  [last_CSeq:]
                  Contact: <sip:[local_ip]:[local_port];transport=[transport]>
                  Content-Length: 0
                ]]>
              </send>
              <label id="done"/>
            """;

    /** Registers the phone (REGISTER with the endpoint's credentials); true when the PBX accepted it. */
    boolean register() {
        return registration(3600);
    }

    /** The phone goes offline: its registration is removed (REGISTER with Expires 0). */
    boolean unregister() {
        return registration(0);
    }

    private boolean registration(int expires) {
        Path scenario = dir.resolve("register-" + endpoint + "-" + expires + ".xml");
        String request = """
                  <send retrans="500">
                    <![CDATA[
                      REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
                      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                      From: <sip:ENDPOINT@[remote_ip]:[remote_port]>;tag=[pid]SIPpTag[call_number]
                      To: <sip:ENDPOINT@[remote_ip]:[remote_port]>
                      Call-ID: [call_id]
                      CSeq: CSEQ REGISTER
                      Contact: <sip:ENDPOINT@127.0.0.1:PORT>
                      Expires: EXPIRES
                      AUTHMax-Forwards: 70
                      Content-Length: 0
                    ]]>
                  </send>
                """;
        String first = request.replace("CSEQ", "1").replace("AUTH", "");
        String second = request.replace("CSEQ", "2").replace("AUTH", "[authentication]\n      ");
        Sipp.write(scenario, Sipp.scenario("register", (first + "  <recv response=\"401\" auth=\"true\"/>\n" + second
                + "  <recv response=\"200\"/>\n").replace("ENDPOINT", endpoint).replace("PORT", Integer.toString(port))
                .replace("EXPIRES", Integer.toString(expires))));
        Process p = Sipp.start(List.of("127.0.0.1:" + asterisk.sipPort, "-sf", scenario.toString(), "-i", "127.0.0.1",
                "-p", Integer.toString(Tools.freeUdpRange(1)), "-mp", Integer.toString(Tools.freeUdpRange(4)), "-m", "1",
                "-au", endpoint, "-ap", PrivateAsterisk.AGENT_PASSWORD), dir.resolve("register-" + endpoint + ".out"));
        return Sipp.await(p, 20) == 0;
    }

    Path messageLog() {
        return dir.resolve("phone-" + endpoint + "-messages.log");
    }

    /** The INVITEs the phone received so far. */
    List<Sipp.Received> invites() {
        return Sipp.received(messageLog()).stream().filter(m -> m.isRequest("INVITE")).toList();
    }

    private static final String RESPONSE_HEAD = """
                  [last_Via:]
                  [last_From:]
                  [last_To:];tag=[pid]SIPpTag01[call_number]
                  [last_Call-ID:]
                  [last_CSeq:]
                  Contact: <sip:[local_ip]:[local_port];transport=[transport]>
            """;

    /**
     * A re-INVITE in the call (Asterisk updates the phone's connected line, P-Asserted-Identity, when the call's other
     * party changes: a consult completed onto this phone) is answered with the same media, and the phone goes on as
     * before; unanswered, sipp aborted the call (an unexpected message) and the phone never hung up: the consult test
     * waited a minute for Asterisk to give up on its re-INVITE.
     */
    private static final String REINVITE = """
              <label id="reinvite"/>
              <send retrans="500">
                <![CDATA[
                  SIP/2.0 200 OK
                  [last_Via:]
                  [last_From:]
                  [last_To:]
                  [last_Call-ID:]
                  [last_CSeq:]
                  Contact: <sip:[local_ip]:[local_port];transport=[transport]>
                  Content-Type: application/sdp
                  Content-Length: [len]

                  v=0
                  o=phone 53655765 2353687638 IN IP[local_ip_type] [local_ip]
                  s=-
                  c=IN IP[media_ip_type] [media_ip]
                  t=0 0
                  m=audio [media_port] RTP/AVP 0 8
                  a=rtpmap:0 PCMU/8000
                  a=rtpmap:8 PCMA/8000
                ]]>
              </send>
              <recv request="ACK" crlf="true" next="talk"/>
            """;

    private static String answer(Answer a) {
        // what a BYE of the phone's needs (sipp refuses variables it sets but never uses)
        String invite = ringing(a.talk() == null ? "" : """
                    <action>
                      <ereg regexp="sip:[^>;]*" search_in="hdr" header="Contact:" check_it="true" assign_to="peer"/>
                      <ereg regexp=".*" search_in="hdr" header="From:" check_it="true" assign_to="from"/>
                      <ereg regexp=".*" search_in="hdr" header="To:" check_it="true" assign_to="to"/>
                    </action>
                """) + """
                  <pause milliseconds="RING"/>
                  <send retrans="500">
                    <![CDATA[
                      SIP/2.0 200 OK
                HEAD      Content-Type: application/sdp
                      Content-Length: [len]

                      v=0
                      o=phone 53655765 2353687637 IN IP[local_ip_type] [local_ip]
                      s=-
                      c=IN IP[media_ip_type] [media_ip]
                      t=0 0
                      m=audio [media_port] RTP/AVP 0 8
                      a=rtpmap:0 PCMU/8000
                      a=rtpmap:8 PCMA/8000
                    ]]>
                  </send>
                  <recv request="ACK" crlf="true"/>
                """.replace("HEAD", RESPONSE_HEAD)
                .replace("RING", Long.toString(a.ring().toMillis()));
        String ending;
        if (a.talk() == null) {
            ending = "      <label id=\"talk\"/>\n      <recv request=\"INVITE\" optional=\"true\" next=\"reinvite\"/>\n"
                    + "      <recv request=\"BYE\"/>\n" + Sipp.okToLast("next=\"end\"") + REINVITE + "      <label id=\"end\"/>\n";
        } else {
            // the talk time starts again after a re-INVITE (a connected-line update when a consult completes)
            ending = "      <label id=\"talk\"/>\n      <recv request=\"INVITE\" optional=\"true\" timeout=\""
                    + a.talk().toMillis() + "\" ontimeout=\"hangup\" next=\"reinvite\"/>\n"
                    + "      <recv request=\"BYE\"/>\n"
                    + Sipp.okToLast("next=\"end\"") + REINVITE + """
                      <label id="hangup"/>
                      <send retrans="500">
                        <![CDATA[
                          BYE [$peer] SIP/2.0
                          Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                          From: [$to];tag=[pid]SIPpTag01[call_number]
                          To: [$from]
                          [last_Call-ID:]
                          CSeq: 2 BYE
                          Contact: <sip:[local_ip]:[local_port];transport=[transport]>
                          Max-Forwards: 70
                          Content-Length: 0
                        ]]>
                      </send>
                      <recv response="200"/>
                      <label id="end"/>
                    """;
        }
        return invite + ending;
    }

    private static String noAnswer() {
        return ringing("""
                    <action>
                      <ereg regexp="[0-9]+" search_in="hdr" header="CSeq:" check_it="true" assign_to="cseq"/>
                    </action>
                """) + """
                  <recv request="CANCEL"/>
                  <send>
                    <![CDATA[
                      SIP/2.0 200 OK
                HEAD      Content-Length: 0
                    ]]>
                  </send>
                  <send>
                    <![CDATA[
                      SIP/2.0 487 Request Terminated
                      [last_Via:]
                      [last_From:]
                      [last_To:];tag=[pid]SIPpTag01[call_number]
                      [last_Call-ID:]
                      CSeq: [$cseq] INVITE
                      Content-Length: 0
                    ]]>
                  </send>
                  <recv request="ACK"/>
                """.replace("HEAD", RESPONSE_HEAD);
    }

    /** Receive the INVITE (running sipp {@code actions} on it) and answer 180 Ringing. */
    private static String ringing(String actions) {
        return """
                  <recv request="INVITE" crlf="true">
                ACTIONS  </recv>
                  <send>
                    <![CDATA[
                      SIP/2.0 180 Ringing
                HEAD      Content-Length: 0
                    ]]>
                  </send>
                """.replace("ACTIONS", actions).replace("HEAD", RESPONSE_HEAD);
    }

    private static String busy() {
        return """
                  <recv request="INVITE" crlf="true"/>
                  <send>
                    <![CDATA[
                      SIP/2.0 486 Busy Here
                HEAD      Content-Length: 0
                    ]]>
                  </send>
                  <recv request="ACK"/>
                """.replace("HEAD", RESPONSE_HEAD);
    }

    @Override
    public void close() {
        Sipp.stop(process);
    }
}
