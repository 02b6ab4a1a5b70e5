package dev.ivr.server.doctor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Places one FastAGI call to the built-in diagnostic script, answering like a PBX: what the
 * doctor uses to see the listener from the admin's side.
 */
final class AgiProbe {
    private static final Pattern SET_VARIABLE = Pattern.compile("SET VARIABLE \"([^\"]*)\" \"([^\"]*)\"");

    /** What happened: the commands the server sent, the variables it set, or why nothing came. */
    record Result(boolean connected, List<String> commands, Map<String, String> variables, String error) {
        boolean refusedAtOnce() {
            return connected && commands.isEmpty();
        }
    }

    private AgiProbe() {
    }

    static Result call(String host, int port, int timeoutMillis) {
        List<String> commands = new ArrayList<>();
        Map<String, String> vars = new HashMap<>();
        boolean connected = false;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            connected = true;
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String env = "agi_network: yes\nagi_network_script: diag\nagi_request: agi://" + host + ":" + port + "/diag\n"
                    + "agi_channel: Local/doctor@ivr-doctor-00000001;1\nagi_language: en\nagi_type: Local\n"
                    + "agi_uniqueid: doctor." + System.currentTimeMillis() + "\nagi_version: 20.20.1\n"
                    + "agi_callerid: unknown\nagi_calleridname: ivr doctor\nagi_dnid: unknown\nagi_context: ivr-doctor\n"
                    + "agi_extension: doctor\nagi_priority: 1\n\n";
            out.write(env.getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
                Matcher m = SET_VARIABLE.matcher(line);
                if (m.lookingAt()) {
                    vars.put(m.group(1), m.group(2));
                }
                String reply = line.startsWith("HANGUP") ? "200 result=1\nHANGUP\n"
                        : line.startsWith("GET") ? "200 result=0\n"
                        : line.startsWith("SET VARIABLE") || line.startsWith("VERBOSE") ? "200 result=1\n"
                        : "200 result=0\n";
                out.write(reply.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            return new Result(true, commands, vars, null);
        } catch (IOException e) {
            // a reset right after connecting is a refusal too (connected, no command)
            boolean refusedByReset = e instanceof java.net.SocketException && String.valueOf(e.getMessage()).contains("reset");
            return new Result(connected || refusedByReset, commands, vars, e.getMessage());
        }
    }
}
