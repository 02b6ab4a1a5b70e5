package dev.ivr.server.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * sipp, the SIP test tool, as the phones of the system tests: SIP callers (UAC) with RFC 2833
 * keys, agents' phones (UAS) that register with the agent's credentials and answer, ring out or
 * refuse, and that log every message they receive (the INVITE's headers are read from there).
 */
final class Sipp {
    private Sipp() {
    }

    /** A SIP message sipp received: the first line and the headers (first value of each, names ignoring case). */
    record Received(String firstLine, Map<String, String> headers, String text) {
        String header(String name) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }

        boolean isRequest(String method) {
            return firstLine.startsWith(method + " ");
        }
    }

    /** The messages of a sipp message log ({@code -trace_msg}) that sipp received. */
    static List<Received> received(Path messageLog) {
        List<Received> out = new ArrayList<>();
        if (!Files.exists(messageLog)) {
            return out;
        }
        String all;
        try {
            all = Files.readString(messageLog);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String block : all.split("(?m)^-{20,}.*$")) {
            if (!block.contains("message received")) {
                continue;
            }
            String msg = block.substring(block.indexOf("bytes :") + "bytes :".length()).strip();
            String[] lines = msg.split("\r?\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length && !lines[i].isBlank(); i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.putIfAbsent(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
                }
            }
            out.add(new Received(lines[0], headers, msg));
        }
        return out;
    }

    static Path sipp() {
        return Tools.onPath("sipp").orElseThrow(() -> new IllegalStateException("sipp is not installed"));
    }

    /** Starts sipp with these arguments, output to {@code out}. */
    static Process start(List<String> args, Path out) {
        List<String> cmd = new ArrayList<>();
        cmd.add(sipp().toString());
        cmd.addAll(args);
        cmd.add("-nostdin");
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    static int await(Process p, long seconds) {
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroy();
                p.waitFor(5, TimeUnit.SECONDS);
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return -1;
        }
    }

    static void stop(Process p) {
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A scenario step: answer the request just received (a BYE) with 200 OK; {@code attributes} of the send element. */
    static String okToLast(String attributes) {
        return """
                  <send%s>
                    <![CDATA[
                      SIP/2.0 200 OK
                      [last_Via:]
                      [last_From:]
                      [last_To:]
                      [last_Call-ID:]
                      [last_CSeq:]
                      Content-Length: 0
                    ]]>
                  </send>
                """.formatted(attributes.isEmpty() ? "" : " " + attributes);
    }

    /** The scenario's XML around its steps. */
    static String scenario(String name, String body) {
        return "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n<scenario name=\"" + name + "\">\n" + body
                + "</scenario>\n";
    }
}
