package dev.ivr.server.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real SIP call into the PBX from sipp (the PSTN trunk's side, 127.0.0.2): an INVITE with
 * audio (G.711 u-law or G.722) and RFC 2833 telephone events; after the answer, the caller's
 * steps in time (pauses, keys sent as RTP events), then it hangs up or waits for the PBX to.
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

    /** Presses these keys now (RFC 2833 events, about 250 ms a key), then waits until they are sent. */
    SipCaller keys(String digits) {
        Path pcap = dir.resolve("caller-" + number + "-keys-" + (++groups) + ".pcap");
        long millis = keys.write(pcap, digits);
        steps.append("  <nop><action><exec play_pcap_audio=\"").append(pcap).append("\"/></action></nop>\n");
        steps.append("  <pause milliseconds=\"").append(millis + 100).append("\"/>\n");
        return this;
    }

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
        process = Sipp.start(args, dir.resolve("caller-" + number + ".out"));
        return this;
    }

    /** Waits for sipp to end; true when the call went as scripted. */
    boolean await(Duration timeout) {
        return Sipp.await(process, timeout.toSeconds()) == 0;
    }

    void stop() {
        Sipp.stop(process);
    }
}
