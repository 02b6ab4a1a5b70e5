package dev.ivr.server.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Asterisk of one's own for a test class: a configuration directory generated from the
 * very files PBX admins copy ({@code config/asterisk/*.conf}, with only addresses, ports and paths
 * substituted) and the test's own files ({@code src/test/resources/system/asterisk}: transports,
 * modules, logger, the caller simulation), its own run, log, spool and database directories,
 * everything on loopback: its own ports (SIP, AMI, the RTP range) picked free at run time, as its
 * configuration must name them before it starts; the IVR servers' FastAGI ports handed to it over
 * AMI once they are bound ({@link #ivr}). Started in the foreground and stopped
 * by its process id. Run as the unprivileged user {@code nobody} when the tests run as root, as a
 * packaged Asterisk runs as its own user.
 */
final class PrivateAsterisk implements AutoCloseable {
    static final Path SAMPLES = Path.of("..", "config", "asterisk").toAbsolutePath().normalize();
    /** The manager user the tests log in as (all rights); the server uses the sample's ivr user. */
    static final String TEST_AMI_USER = "system-test";
    static final String TEST_AMI_SECRET = "system-test-secret";
    /** The sample manager.conf's user for the IVR servers and its secret. */
    static final String IVR_AMI_USER = "ivr";
    static final String IVR_AMI_SECRET = "change-me-to-a-long-random-secret";
    /** The password of the sample agents (pjsip-agents.conf) and of the agents made from its templates. */
    static final String AGENT_PASSWORD = "change-me";
    private static final Pattern IVR_GLOBAL = Pattern.compile("(?m)^(IVR|IVR_BACKUP)=agi://127\\.0\\.0\\.1:\\d+$");

    private final AsteriskInstallation installation;
    /**
     * What the dialplan's IVR and IVR_BACKUP name until the test sets them ({@link #ivr}): port 1 on loopback, where
     * nothing listens (not port 0: res_agi takes an {@code agi://} URL without a port, or with port 0, for 4573).
     */
    static final String NO_IVR = "agi://127.0.0.1:1";
    private final List<String> agents = new ArrayList<>();
    private final Map<String, Integer> staticPhones = new LinkedHashMap<>();
    private boolean asItsOwnUser = true;
    final Path root;
    final Path etc;
    final Path run;
    final Path log;
    final Path spool;
    final Path db;
    final Path sounds;
    final int sipPort;
    final int amiPort;
    final int rtpStart;
    final String systemName;
    private String runAs;
    private Process process;
    private Ami ami;

    /** An Asterisk with its directories and ports chosen, not started yet. */
    static PrivateAsterisk prepare(AsteriskInstallation installation) {
        return new PrivateAsterisk(installation);
    }

    private PrivateAsterisk(AsteriskInstallation installation) {
        this.installation = installation;
        try {
            // short, under /tmp: the control socket's path must stay under 108 characters
            root = Files.createTempDirectory(Path.of("/tmp"), "ivr-ast-");
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            etc = Files.createDirectories(root.resolve("etc"));
            run = Files.createDirectories(root.resolve("run"));
            log = Files.createDirectories(root.resolve("log"));
            spool = Files.createDirectories(root.resolve("spool"));
            db = Files.createDirectories(root.resolve("db"));
            sounds = Files.createDirectories(root.resolve("sounds"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sipPort = Tools.freeTcpAndUdpPort();
        amiPort = Tools.freeTcpPort();
        rtpStart = Tools.freeUdpRange(200);
        systemName = "st" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    /**
     * Points the sample dialplan's IVR and IVR_BACKUP globals at these FastAGI ports on 127.0.0.1, at run time: an AMI
     * {@code Setvar} without a channel sets a global variable (manager.c {@code action_setvar} with no channel), and
     * {@code AGI(${IVR}/...)} reads it when a call gets there. So Asterisk starts first (a server started before it logs
     * AMI login failures, which the tests read as problems) and the servers after it on port 0, and the test hands
     * Asterisk the port a server bound (in this JVM {@code server.agiPort()}, a process's {@code ports.json}) before
     * its first call. Until then the globals name {@link #NO_IVR}, where nothing listens. (A {@code dialplan reload}
     * would set them back from the file: no system test reloads.)
     */
    PrivateAsterisk ivr(int agiPort, int backupAgiPort) {
        if (ami == null) {
            throw new IllegalStateException("start Asterisk first: the IVR's address is set over AMI");
        }
        setGlobal("IVR", "agi://127.0.0.1:" + agiPort);
        setGlobal("IVR_BACKUP", "agi://127.0.0.1:" + backupAgiPort);
        return this;
    }

    private void setGlobal(String name, String value) {
        Ami.Message r = ami.action(Map.of("Action", "Setvar", "Variable", name, "Value", value));
        if (!"Success".equals(r.get("Response"))) {
            throw new IllegalStateException("Setvar " + name + "=" + value + " answered " + r);
        }
        String now = ami.global(name);
        if (!value.equals(now)) {
            throw new IllegalStateException("the global " + name + " is '" + now + "' after Setvar to " + value);
        }
    }

    /** Agent endpoints (PJSIP/ID) from the sample's templates; 1001 is the sample's own. */
    PrivateAsterisk agents(String... ids) {
        agents.addAll(List.of(ids));
        return this;
    }

    /** An endpoint whose phone does not register: its contact is a sipp at this port (operator, trunk ...). */
    PrivateAsterisk staticPhone(String endpoint, int port) {
        staticPhones.put(endpoint, port);
        return this;
    }

    /** Runs Asterisk as the user that starts the test (not nobody). */
    PrivateAsterisk asTestUser() {
        this.asItsOwnUser = false;
        return this;
    }

    /** Writes the configuration, starts Asterisk and waits until it is ready. */
    PrivateAsterisk start() {
        try {
            startProcess();
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startProcess() {
        runAs = asItsOwnUser && Tools.isRoot() ? "nobody" : null;
        writeConfiguration();
        List<String> cmd = new ArrayList<>(List.of(installation.binary().toString(), "-C",
                etc.resolve("asterisk.conf").toString(), "-f", "-n", "-g"));
        if (runAs != null) {
            cmd.addAll(List.of("-U", runAs, "-G", "nogroup"));
            Tools.run(List.of("chown", "-R", runAs + ":nogroup", run.toString(), log.toString(), spool.toString(),
                    db.toString()), 30);
        }
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(root.resolve("console.txt").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!logText().contains("Asterisk Ready.")) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Asterisk exited (" + process.exitValue() + "):\n" + console());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Asterisk not ready within 60 s:\n" + console());
            }
            sleep(100);
        }
        ami = Ami.connect(amiPort, TEST_AMI_USER, TEST_AMI_SECRET);
    }

    // ------------------------------------------------------------ configuration

    private void writeConfiguration() {
        writeCallerSounds();
        Map<String, String> vars = new java.util.HashMap<>();
        vars.put("SOUNDS", sounds.toString());
        vars.put("ETC", etc.toString());
        vars.put("PREFIX", installation.prefix().toString());
        vars.put("DB", db.toString());
        vars.put("SPOOL", spool.toString());
        vars.put("RUN", run.toString());
        vars.put("LOG", log.toString());
        vars.put("SYSTEMNAME", systemName);
        vars.put("RTP_START", Integer.toString(rtpStart));
        vars.put("RTP_END", Integer.toString(rtpStart + 199));
        vars.put("SIP_PORT", Integer.toString(sipPort));
        for (String name : List.of("asterisk.conf", "modules.conf", "logger.conf", "rtp.conf", "musiconhold.conf",
                "cdr.conf", "cdr_manager.conf", "cel.conf", "http.conf", "indications.conf", "extensions-test.conf",
                "pjsip.conf")) {
            write(name, fill(resource(name), vars));
        }
        for (String empty : List.of("features.conf", "acl.conf", "udptl.conf", "pjproject.conf", "ccss.conf",
                "res_http_media_cache.conf", "pjsip_notify.conf")) {
            write(empty, "");
        }
        // the samples PBX admins copy: only addresses, ports and paths change
        String dialplan = sample("extensions.conf");
        Matcher m = IVR_GLOBAL.matcher(dialplan);
        StringBuilder sb = new StringBuilder();
        int found = 0;
        while (m.find()) {
            found++;
            m.appendReplacement(sb, Matcher.quoteReplacement("; set over AMI once the server listens (the system tests'"
                    + " PrivateAsterisk.ivr)\n" + m.group(1) + "=" + NO_IVR));
        }
        m.appendTail(sb);
        if (found != 2) {
            throw new IllegalStateException("the sample dialplan must set IVR and IVR_BACKUP to agi://127.0.0.1:PORT in "
                    + "[globals] (found " + found + ")");
        }
        write("extensions-ivr.conf", sb.toString());
        write("extensions.conf", "; generated: the sample dialplan, then the system tests' contexts\n"
                + "#include \"extensions-ivr.conf\"\n#include \"extensions-test.conf\"\n");
        String manager = sample("manager.conf");
        String withPort = manager.replaceFirst("(?m)^port = 5038(\\s)", "port = " + amiPort + "$1");
        if (withPort.equals(manager)) {
            throw new IllegalStateException("the sample manager.conf has no 'port = 5038' line");
        }
        write("manager.conf", withPort + "\n; the system tests' own manager user (generated)\n[" + TEST_AMI_USER
                + "]\nsecret = " + TEST_AMI_SECRET + "\ndeny = 0.0.0.0/0.0.0.0\npermit = 127.0.0.1/255.255.255.255\n"
                // what the tests read: AGI commands, channels and Dial, CDR and CEL, keys (not the dialplan's
                // Newexten/VarSet flood, which slows a busy Asterisk's manager down)
                + "read = agi,call,cdr,dtmf\nwrite = all\n");
        write("pjsip-agents.conf", sample("pjsip-agents.conf"));
        write("voicemail.conf", sample("voicemail.conf"));
        write("amd.conf", sample("amd.conf"));
        StringBuilder phones = new StringBuilder("; generated: agents from the sample's templates, phones with fixed contacts\n");
        for (String id : agents) {
            if (id.equals("1001")) {
                continue; // in the sample
            }
            phones.append("\n[").append(id).append("](agent-endpoint)\nauth = ").append(id).append("\naors = ").append(id)
                    .append("\ncallerid = \"Agent ").append(id).append("\" <").append(id).append(">\n")
                    .append("\n[").append(id).append("](agent-aor)\n")
                    .append("\n[").append(id).append("](agent-auth)\nusername = ").append(id).append("\npassword = ")
                    .append(AGENT_PASSWORD).append('\n');
        }
        staticPhones.forEach((endpoint, port) -> phones.append("\n[").append(endpoint)
                .append("]\ntype = endpoint\ncontext = agents\ndisallow = all\nallow = ulaw,alaw\ndirect_media = no\naors = ")
                .append(endpoint).append("\n\n[").append(endpoint).append("]\ntype = aor\ncontact = sip:").append(endpoint)
                .append("@127.0.0.1:").append(port).append('\n'));
        write("pjsip-phones.conf", phones.toString());
        try (Stream<Path> files = Files.list(etc)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pitches the test recognizer hears as words (and one it does not know). */
    static final int[] PITCHES = {440, 660, 880, 1200};

    /** What simulated callers say: say-HZ (a word: 300 ms silence, 700 ms tone, 1.5 s silence), talk-HZ (3 s). */
    private void writeCallerSounds() {
        try {
            for (int hz : PITCHES) {
                Files.write(sounds.resolve("say-" + hz + ".wav"), dev.ivr.server.audio.Wav.write(tone(hz, 300, 700, 1500)));
                Files.write(sounds.resolve("talk-" + hz + ".wav"), dev.ivr.server.audio.Wav.write(tone(hz, 0, 3000, 200)));
            }
            try (Stream<Path> files = Files.list(sounds)) {
                for (Path f : files.toList()) {
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
            Files.setPosixFilePermissions(sounds, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static dev.ivr.server.audio.Pcm tone(int hz, int leadMillis, int toneMillis, int tailMillis) {
        int lead = 8 * leadMillis;
        int tone = 8 * toneMillis;
        short[] s = new short[lead + tone + 8 * tailMillis];
        for (int i = 0; i < tone; i++) {
            s[lead + i] = (short) (8000 * Math.sin(2 * Math.PI * hz * i / 8000.0));
        }
        return new dev.ivr.server.audio.Pcm(s, 8000);
    }

    private static String resource(String name) {
        try (InputStream in = PrivateAsterisk.class.getResourceAsStream("/system/asterisk/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource system/asterisk/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sample(String name) {
        try {
            return Files.readString(SAMPLES.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fill(String template, Map<String, String> vars) {
        String out = template;
        for (Map.Entry<String, String> e : vars.entrySet()) {
            out = out.replace("@" + e.getKey() + "@", e.getValue());
        }
        if (out.matches("(?s).*@[A-Z_]+@.*")) {
            throw new IllegalStateException("a placeholder is left in:\n" + out);
        }
        return out;
    }

    private void write(String name, String content) {
        try {
            Files.writeString(etc.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------- use

    /** The tests' manager connection (all rights). */
    Ami ami() {
        return ami;
    }

    /** A CLI command through Asterisk's control socket ({@code asterisk -rx}). */
    String cli(String command) {
        return Tools.run(List.of(installation.binary().toString(), "-C", etc.resolve("asterisk.conf").toString(),
                "-rx", command), 30);
    }

    /** Asterisk's full log (warnings, errors, verbose, DTMF) so far. */
    String logText() {
        try {
            Path full = log.resolve("full");
            return Files.exists(full) ? Files.readString(full, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the log is now: {@link #logSince(long)} reads what comes after. */
    long logMark() {
        try {
            Path full = log.resolve("full");
            return Files.exists(full) ? Files.size(full) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logSince(long mark) {
        String all = logText();
        byte[] b = all.getBytes(StandardCharsets.UTF_8);
        return mark >= b.length ? "" : new String(b, (int) mark, b.length - (int) mark, StandardCharsets.UTF_8);
    }

    /** WARNING and ERROR lines of the log (after {@code mark}). */
    List<String> problemsSince(long mark) {
        return logSince(mark).lines().filter(l -> l.contains("] WARNING[") || l.contains("] ERROR[")).toList();
    }

    String console() {
        try {
            return Files.readString(root.resolve("console.txt"));
        } catch (IOException e) {
            return "";
        }
    }

    /** The user Asterisk runs as (null: the test's user). */
    String runsAs() {
        return runAs;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (ami != null) {
            ami.close();
        }
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM to its pid
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        if (!Boolean.getBoolean("ivr.system.keep")) {
            Tools.run(List.of("rm", "-rf", root.toString()), 30);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
