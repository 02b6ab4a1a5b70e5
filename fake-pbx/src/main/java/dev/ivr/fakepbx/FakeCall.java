package dev.ivr.fakepbx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One call in progress: the PBX side of a FastAGI connection. Answers each command as
 * Asterisk 20 does (docs/asterisk-behaviour.md) and records it.
 */
public final class FakeCall {

    private static final String DEAD = "511 Command Not Permitted on a dead channel or intercept routine";
    private static final String UNKNOWN = "510 Invalid or unknown command";

    private final FakePbx pbx;
    private final String host;
    private final int port;
    private final List<String> environment;
    private final String uniqueId;
    private final Caller caller;
    private final Map<String, String> variables = new ConcurrentHashMap<>();
    private final Map<String, String> astDb = new ConcurrentHashMap<>();
    private final boolean exitOnHangup;
    private final CallListener listener;
    private final Duration hangupLineDelay;
    private final Duration promptTime;

    private final List<AgiCommand> commands = Collections.synchronizedList(new ArrayList<>());
    private final List<DialedLeg> dials = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<CallResult> result = new CompletableFuture<>();
    private final CompletableFuture<Void> hangupRequest = new CompletableFuture<>();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final List<AudioSocketSession> audioSessions = Collections.synchronizedList(new ArrayList<>());
    private volatile Duration audioPacing = Duration.ofMillis(2);

    /** Stands for a hang-up asked by {@link #hangUpNow()}: not a step of the script. */
    private static final Caller.HangUp REQUESTED_HANGUP = new Caller.HangUp();

    /** Command lines from the server, read ahead by a reader thread (so a command can arrive while another runs). */
    private final java.util.concurrent.LinkedBlockingQueue<String> incoming = new java.util.concurrent.LinkedBlockingQueue<>();
    private static final String EOF = new String("<eof>");
    /** Wakes a command that is waiting (a prompt playing, an input): new command, key, hang-up, release. */
    private final Object signal = new Object();
    private String keySink;          // keys the running command accepts, or null
    private Character keyPressed;    // a key pressed while the command ran
    private final List<Character> lostKeys = Collections.synchronizedList(new ArrayList<>());
    private final long createdAt = System.nanoTime();
    private volatile long answeredAt = -1;
    private volatile IOException readError;

    private volatile Socket socket;
    private OutputStream out;
    private volatile boolean dead;
    /** The AGI environment is written: from here on a broken connection ends the script as SUCCESS. */
    private volatile boolean greeted;
    private volatile CallResult.HungUpBy hungUpBy = CallResult.HungUpBy.NOBODY;
    private volatile boolean inCommand;
    private long pendingHangupLineAt = -1; // nanoTime when the unprompted HANGUP is due
    private boolean answered;
    private int promptsAfterEnd;
    private volatile boolean realTimeouts;
    /** With real timeouts, a silent input lasts its timeout divided by this (a clock sped up as much). */
    private volatile double timeScale = 1;
    /** The last GET DATA timed out on a silence step (set while it replies; read by the next command). */
    private boolean silenceGoesOn;
    /** {@link #silenceGoesOn} as the command that runs found it. */
    private boolean silenceCarried;
    private String error;

    FakeCall(FakePbx pbx, List<String> environment, String uniqueId, Caller caller,
             Map<String, String> initialVariables, boolean exitOnHangup, CallListener listener,
             Duration hangupLineDelay, Duration promptTime) {
        this.pbx = pbx;
        this.host = pbx.host();
        this.port = pbx.port();
        this.environment = environment;
        this.uniqueId = uniqueId;
        this.caller = caller;
        this.variables.putAll(initialVariables);
        this.exitOnHangup = exitOnHangup;
        this.listener = listener;
        this.hangupLineDelay = hangupLineDelay;
        this.promptTime = promptTime;
    }

    public String uniqueId() {
        return uniqueId;
    }

    void start() {
        Thread.ofVirtual().name("fake-call-" + uniqueId).start(this::runSafely);
    }

    /** Waits for the call to end. */
    public CallResult await(Duration timeout) {
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("call " + uniqueId + " still running after " + timeout
                    + "; commands so far: " + snapshot(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    /** Completes when the call ends. */
    public CompletableFuture<CallResult> result() {
        return result;
    }

    /** Waits until the environment block has been sent. */
    public void awaitConnected(Duration timeout) {
        try {
            connected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("call " + uniqueId + " did not connect: " + e, e);
        }
    }

    /** Commands received so far. */
    public List<AgiCommand> snapshot() {
        synchronized (commands) {
            return List.copyOf(commands);
        }
    }

    /** The channels {@code EXEC Dial} has rung so far. */
    public List<DialedLeg> dials() {
        synchronized (dials) {
            return List.copyOf(dials);
        }
    }

    public boolean isEnded() {
        return result.isDone();
    }

    /**
     * The caller hangs up now, from any thread: during a command in progress (held or
     * paused) it returns -1 and HANGUP follows; between commands HANGUP is sent at once.
     */
    public void hangUpNow() {
        hangupRequest.complete(null);
        synchronized (signal) {
            signal.notifyAll();
        }
        writeLock.lock();
        try {
            if (!inCommand && !dead && out != null) {
                dead = true;
                hungUpBy = CallResult.HungUpBy.CALLER;
                sendHangupLines();
            }
        } catch (IOException e) {
            // the server may have closed already
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * The caller presses a key now, as on a real phone: a command that takes keys ends with it
     * (a prompt whose escape digits include it, WAIT FOR DIGIT, GET DATA, RECORD FILE); a key
     * pressed while no such command runs is lost, as Asterisk drops DTMF between commands
     * ({@link #lostKeys()}).
     */
    public void pressKey(char key) {
        synchronized (signal) {
            if (keySink != null && keySink.indexOf(key) >= 0 && keyPressed == null) {
                keyPressed = key;
                signal.notifyAll();
                return;
            }
        }
        lostKeys.add(key);
    }

    /** Keys pressed with {@link #pressKey} while no command took them. */
    public List<Character> lostKeys() {
        synchronized (lostKeys) {
            return List.copyOf(lostKeys);
        }
    }

    private void runSafely() {
        try {
            run();
        } catch (Throwable t) {
            error = error != null ? error : t.toString();
            finish(AgiStatus.FAILURE);
        }
    }

    private void run() throws IOException {
        try (Socket s = new Socket()) {
            socket = s;
            s.setTcpNoDelay(true);
            try {
                if (pbx.from() != null) {
                    s.bind(new InetSocketAddress(pbx.from(), 0));
                }
                s.connect(new InetSocketAddress(host, port), 5_000);
            } catch (IOException e) {
                error = "connect: " + e.getMessage();
                connected.complete(null);
                finish(AgiStatus.FAILURE);
                return;
            }
            out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8), 1024);
            Thread.ofVirtual().name("fake-call-reader-" + uniqueId).start(() -> readAhead(in));
            StringBuilder env = new StringBuilder(1024);
            for (String line : environment) {
                env.append(line).append('\n');
            }
            env.append('\n');
            write(env.toString());
            greeted = true;
            connected.complete(null);
            hangUpBetweenCommandsIfScripted();
            long lastReplyAt = System.nanoTime();

            while (true) {
                String line = readCommand();
                if (line == null) {
                    break; // the server closed the socket: the AGI application returns
                }
                long serverNanos = System.nanoTime() - lastReplyAt;
                AgiCommand cmd = AgiCommand.parse(line);
                commands.add(cmd);
                listener.onCommand(cmd, serverNanos);
                respond(cmd);
                lastReplyAt = System.nanoTime();
                hangUpBetweenCommandsIfScripted();
                if (dead && exitOnHangup) {
                    break;
                }
            }
            finish(dead ? AgiStatus.HANGUP : AgiStatus.SUCCESS);
        } catch (IOException e) {
            if (error == null) {
                error = e.toString();
            }
            // the server went away (killed, connection reset): once Asterisk has sent its first
            // line, res_agi's run_agi takes a read that ends or fails for the script's end and the
            // dialplan goes on with AGISTATUS=SUCCESS, before any command too (Asterisk 20); only a
            // connection that cannot be made, or whose first write fails (launch_netscript), is a
            // FAILURE
            finish(dead ? AgiStatus.HANGUP : greeted ? AgiStatus.SUCCESS : AgiStatus.FAILURE);
        }
    }

    private void readAhead(BufferedReader in) {
        try {
            String l;
            while ((l = in.readLine()) != null) {
                incoming.add(l);
                synchronized (signal) {
                    signal.notifyAll();
                }
            }
        } catch (IOException e) {
            readError = e;
        }
        incoming.add(EOF);
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** The next command (null: the server closed), sending the delayed HANGUP line when it falls due meanwhile. */
    private String readCommand() throws IOException {
        while (true) {
            String l;
            try {
                if (pendingHangupLineAt >= 0) {
                    long leftMs = (pendingHangupLineAt - System.nanoTime()) / 1_000_000;
                    if (leftMs <= 0) {
                        pendingHangupLineAt = -1;
                        writeLocked(this::sendHangupLines);
                        if (exitOnHangup) {
                            return null;
                        }
                        continue;
                    }
                    l = incoming.poll(leftMs, TimeUnit.MILLISECONDS);
                } else {
                    l = incoming.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (l == null) {
                continue; // the HANGUP line is due now
            }
            if (l == EOF) {
                incoming.add(EOF);
                if (readError != null) {
                    throw readError;
                }
                return null;
            }
            return l;
        }
    }

    /** What ended a wait inside a command. */
    private enum Wake { TIME, RELEASE, HANGUP, COMMAND, KEY }

    /**
     * Waits while a command runs: {@code millis} (negative: no limit), until {@code release}
     * completes, the caller hangs up, a key of {@code keys} is pressed ({@link #pressKey}), or,
     * when {@code interruptible}, the server sends its next command (Asterisk ends a prompt so).
     */
    private Wake waitInCommand(long millis, CompletableFuture<?> release, String keys, boolean interruptible)
            throws IOException {
        long deadline = millis < 0 ? Long.MAX_VALUE : System.nanoTime() + millis * 1_000_000L;
        if (release != null) {
            release.whenComplete((v, e) -> {
                synchronized (signal) {
                    signal.notifyAll();
                }
            });
        }
        synchronized (signal) {
            keySink = keys == null || keys.isEmpty() ? null : keys;
            keyPressed = null;
            inCommand = true;
            try {
                while (true) {
                    if (hangupRequest.isDone()) {
                        return Wake.HANGUP;
                    }
                    if (keyPressed != null) {
                        return Wake.KEY;
                    }
                    if (interruptible && !incoming.isEmpty() && incoming.peek() != EOF) {
                        return Wake.COMMAND;
                    }
                    if (release != null && release.isDone()) {
                        return Wake.RELEASE;
                    }
                    long left = deadline == Long.MAX_VALUE ? 0 : (deadline - System.nanoTime()) / 1_000_000;
                    if (deadline != Long.MAX_VALUE && left <= 0) {
                        return Wake.TIME;
                    }
                    try {
                        signal.wait(deadline == Long.MAX_VALUE ? 0 : left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                }
            } finally {
                keySink = null;
                inCommand = false;
            }
        }
    }

    private char takePressedKey() {
        synchronized (signal) {
            char k = keyPressed;
            keyPressed = null;
            return k;
        }
    }

    private void finish(AgiStatus status) {
        Map<String, String> vars = new java.util.TreeMap<>(variables);
        vars.put("AGISTATUS", status.name());
        List<DialedLeg> legs;
        synchronized (dials) {
            legs = List.copyOf(dials);
        }
        result.complete(new CallResult(uniqueId, status, hungUpBy, snapshot(), vars, error, legs));
    }

    // ---------------------------------------------------------------- replies

    private void respond(AgiCommand cmd) throws IOException {
        silenceCarried = silenceGoesOn;
        silenceGoesOn = false;
        Caller.Step step = caller.peek();
        if (step instanceof Caller.RawReply raw) {
            caller.consume();
            write(raw.line() + "\n");
            return;
        }
        if (dead) {
            write(deadReply(cmd) + "\n");
            return;
        }
        String reply = switch (cmd.name()) {
            case "ANSWER" -> {
                if (!answered) {
                    answeredAt = System.nanoTime();
                }
                answered = true;
                yield "200 result=0";
            }
            case "HANGUP" -> {
                // the server hangs up: 200 result=1, then the HANGUP line
                writeLocked(() -> {
                    write("200 result=1\n");
                    dead = true;
                    hungUpBy = CallResult.HungUpBy.SERVER;
                    sendHangupLines();
                });
                yield null;
            }
            case "NOOP" -> "200 result=0";
            case "VERBOSE" -> cmd.args().isEmpty() ? usage(cmd) : "200 result=1";
            case "SET VARIABLE" -> {
                if (cmd.args().size() < 2) {
                    yield usage(cmd);
                }
                variables.put(cmd.args().get(0), cmd.args().get(1));
                yield "200 result=1";
            }
            case "GET VARIABLE" -> {
                if (cmd.args().isEmpty()) {
                    yield usage(cmd);
                }
                String v = variable(cmd.args().get(0));
                yield v == null ? "200 result=0" : "200 result=1 (" + v + ")";
            }
            case "GET FULL VARIABLE" -> {
                if (cmd.args().isEmpty()) {
                    yield usage(cmd);
                }
                yield "200 result=1 (" + substitute(cmd.args().get(0)) + ")";
            }
            case "SET CONTEXT", "SET EXTENSION", "SET PRIORITY", "SET MUSIC", "SET CALLERID", "SET AUTOHANGUP" ->
                    cmd.args().isEmpty() ? usage(cmd) : "200 result=0";
            case "CHANNEL STATUS" -> "200 result=" + (answered ? 6 : 4);
            case "DATABASE PUT" -> {
                if (cmd.args().size() < 3) {
                    yield usage(cmd);
                }
                astDb.put(cmd.args().get(0) + "/" + cmd.args().get(1), cmd.args().get(2));
                yield "200 result=1";
            }
            case "DATABASE GET" -> {
                String v = cmd.args().size() < 2 ? null : astDb.get(cmd.args().get(0) + "/" + cmd.args().get(1));
                yield v == null ? "200 result=0" : "200 result=1 (" + v + ")";
            }
            case "DATABASE DEL", "DATABASE DELTREE" -> "200 result=1";
            case "STREAM FILE", "CONTROL STREAM FILE" -> cmd.args().size() < 2 ? usage(cmd) : prompt(cmd, 1, false);
            case "SAY DIGITS", "SAY NUMBER", "SAY ALPHA", "SAY PHONETIC", "SAY DATE", "SAY TIME", "SAY DATETIME" ->
                    cmd.args().size() < 2 ? usage(cmd) : prompt(cmd, 1, false);
            case "GET OPTION" -> cmd.args().size() < 2 ? usage(cmd) : prompt(cmd, 1, true);
            case "GET DATA" -> cmd.args().isEmpty() ? usage(cmd) : getData(cmd);
            case "WAIT FOR DIGIT" -> cmd.args().isEmpty() ? usage(cmd) : waitForDigit(cmd);
            case "RECORD FILE" -> cmd.args().size() < 4 ? usage(cmd) : recordFile(cmd);
            case "EXEC" -> cmd.args().isEmpty() ? usage(cmd) : exec(cmd);
            default -> UNKNOWN;
        };
        if (reply != null) {
            write(reply + "\n");
        }
    }

    /** After hang-up only commands that do not touch the channel still run (docs/asterisk-behaviour.md). */
    private String deadReply(AgiCommand cmd) {
        return switch (cmd.name()) {
            case "GET VARIABLE" -> {
                String v = cmd.args().isEmpty() ? null : variable(cmd.args().get(0));
                yield v == null ? "200 result=0" : "200 result=1 (" + v + ")";
            }
            case "GET FULL VARIABLE" -> "200 result=1 (" + substitute(cmd.arg(0, "")) + ")";
            case "SET VARIABLE" -> {
                if (cmd.args().size() >= 2) {
                    variables.put(cmd.args().get(0), cmd.args().get(1));
                }
                yield "200 result=1";
            }
            case "VERBOSE", "DATABASE PUT", "DATABASE DEL", "DATABASE DELTREE", "ASYNCAGI BREAK" -> "200 result=1";
            case "NOOP", "DATABASE GET" -> "200 result=0";
            case "EXEC" -> "200 result=-1";
            default -> DEAD;
        };
    }

    private String usage(AgiCommand cmd) {
        return "520-Invalid command syntax.  Proper usage follows:\n"
                + " Usage: " + cmd.name() + " <arguments>\n"
                + "520 End of proper usage.";
    }

    private String variable(String name) {
        return switch (name) {
            case "CHANNEL" -> environmentValue("agi_channel");
            case "CHANNEL(language)" -> variables.getOrDefault("CHANNEL(language)", environmentValue("agi_language"));
            case "UNIQUEID" -> uniqueId;
            case "CALLERID(num)" -> environmentValue("agi_callerid");
            default -> {
                // ${NAME} also finds _NAME and __NAME (inheritable variables), as Asterisk does
                String v = variables.get(name);
                if (v == null) {
                    v = variables.get("_" + name);
                }
                yield v != null ? v : variables.get("__" + name);
            }
        };
    }

    /** What a channel dialled from this one inherits: __NAME (kept as __NAME) and _NAME (as NAME). */
    private Map<String, String> inheritable(boolean forDisplay) {
        Map<String, String> out = new java.util.TreeMap<>();
        variables.forEach((k, v) -> {
            if (k.startsWith("__")) {
                out.put(forDisplay ? k.substring(2) : k, v);
            } else if (k.startsWith("_")) {
                out.put(k.substring(1), v);
            }
        });
        return out;
    }

    private String environmentValue(String key) {
        for (String line : environment) {
            if (line.startsWith(key + ": ")) {
                return line.substring(key.length() + 2);
            }
        }
        return null;
    }

    private String substitute(String expr) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < expr.length()) {
            int start = expr.indexOf("${", i);
            if (start < 0) {
                sb.append(expr, i, expr.length());
                break;
            }
            int end = expr.indexOf('}', start);
            if (end < 0) {
                sb.append(expr, i, expr.length());
                break;
            }
            sb.append(expr, i, start);
            String v = variable(expr.substring(start + 2, end));
            sb.append(v == null ? "" : v);
            i = end + 1;
        }
        return sb.toString();
    }

    /** Keys any input takes. */
    private static final String ALL_KEYS = "0123456789*#";

    /** How the command that runs takes keys and new commands. */
    private record Running(String keys, boolean interruptible) {
        static final Running NONE = new Running("", false);
    }

    /** A command cut short: by a key the caller pressed, or by the server's next command. */
    private static final class Cut extends Exception {
        final Wake why;
        final char key;

        Cut(Wake why, char key) {
            super(null, null, false, false);
            this.why = why;
            this.key = key;
        }
    }

    /**
     * Sound files of STREAM FILE / GET DATA given as absolute paths must be there and readable
     * in some format Asterisk plays; otherwise Asterisk answers {@code 200 result=-1 endpos=0}
     * at once and the channel stays up (no HANGUP follows). Names relative to Asterisk's sounds
     * and URLs are taken as present.
     */
    static boolean playable(String file) {
        if (file == null || !file.startsWith("/")) {
            return true;
        }
        for (String ext : List.of("wav", "sln16", "sln", "slin", "gsm", "ulaw", "alaw", "g722", "WAV", "wav16")) {
            java.nio.file.Path p = java.nio.file.Path.of(file + "." + ext);
            if (java.nio.file.Files.isRegularFile(p) && java.nio.file.Files.isReadable(p)) {
                return true;
            }
        }
        return false;
    }

    /** A prompt that plays (STREAM FILE, SAY ..., GET OPTION); escapes is the escape-digit argument. */
    private String prompt(AgiCommand cmd, int escapeArg, boolean waitsForKey) throws IOException {
        String escapes = cmd.arg(escapeArg, "");
        if ((cmd.name().equals("STREAM FILE") || cmd.name().equals("GET OPTION")) && !playable(cmd.arg(0, ""))) {
            return "200 result=-1 endpos=0";
        }
        Running running = new Running(escapes, !cmd.name().equals("CONTROL STREAM FILE"));
        Caller.Step step;
        try {
            playFor(promptTime, running);
            step = takeTimedSteps(running);
        } catch (Cut c) {
            // the next command ends a prompt without a reply to it; a key ends it with the key
            return c.why == Wake.COMMAND ? null : "200 result=" + (int) c.key + " endpos=" + 4000;
        }
        if (step == null || dead) {
            return "200 result=-1 endpos=" + 800;
        }
        if (step != REQUESTED_HANGUP && caller.exhausted() && ++promptsAfterEnd <= Caller.PROMPTS_AFTER_END) {
            return "200 result=0 endpos=" + 16000; // a caller with nothing left to do still listens
        }
        if (step instanceof Caller.HangUp) {
            consumeHangUp(step);
            return callerHangsUpDuringCommand("200 result=-1 endpos=" + 1600);
        }
        if (step instanceof Caller.Press p && (p.duringPrompt() || waitsForKey)) {
            char key = p.digits().charAt(0);
            if (escapes.indexOf(key) >= 0) {
                consumeKeys(p, 1);
                return "200 result=" + (int) key + " endpos=" + 4000;
            }
        }
        if (waitsForKey && step instanceof Caller.Silence) {
            caller.consume();
        }
        return "200 result=0 endpos=" + 16000;
    }

    /**
     * GET DATA as res_agi's handle_getdata and ast_app_getdata_full / ast_readstring_full run it: the prompt (none
     * when the argument is empty) plays with every key stopping it, and the key that stops it is the first of the
     * input; then keys are read until {@code #} (not included), the maximum, or a pause of the timeout between keys
     * ({@code (timeout)}); the one timeout argument is also the wait for the first key after the prompt (absent or 0:
     * Asterisk's 6 s for the first and 2 s between keys; negative: no limit). Keys pressed in real time
     * ({@link #pressKey}) are all heard while it runs: none is lost between two keys. The server's next command ends
     * it without a reply; a hang-up answers {@code -1} (the digits read so far are lost); a maximum of 0 is {@code -1}.
     */
    private String getData(AgiCommand cmd) throws IOException {
        int max = parseInt(cmd.arg(2, "1024"), 1024);
        if (max == 0) {
            return "200 result=-1";
        }
        if (max < 0) {
            max = 1024;
        }
        long timeout = parseInt(cmd.arg(1, "0"), 0);
        long firstMillis = timeout > 0 ? timeout : timeout == 0 ? 6000 : -1;
        long betweenMillis = timeout > 0 ? timeout : timeout == 0 ? 2000 : -1;
        String prompt = cmd.arg(0, "");
        if (!playable(prompt)) {
            return "200 result=-1";
        }
        Running running = new Running(ALL_KEYS, true);
        Caller.Step step;
        try {
            if (!prompt.isEmpty()) {
                playFor(promptTime, running);
            }
            step = takeTimedSteps(running);
        } catch (Cut c) {
            return c.why == Wake.COMMAND ? null : keysInRealTime(c.key, max, betweenMillis);
        }
        if (step == null || dead) {
            return "200 result=-1";
        }
        if (step instanceof Caller.HangUp) {
            consumeHangUp(step);
            return callerHangsUpDuringCommand("200 result=-1");
        }
        if (step instanceof Caller.Press p) {
            return scriptedKeys(p, max, betweenMillis, running);
        }
        if (step instanceof Caller.Silence) {
            caller.consume();
            silenceGoesOn = true; // the caller's silence through this input: a WAIT FOR DIGIT right after is in it
        }
        try {
            waitOut(Long.toString(firstMillis), running);
        } catch (Cut c) {
            silenceGoesOn = false;
            return c.why == Wake.COMMAND ? null : keysInRealTime(c.key, max, betweenMillis);
        }
        return "200 result= (timeout)";
    }

    /**
     * GET DATA's keys from the script: a press's keys up to {@code #} or the maximum; a press that ends neither, followed
     * by a pause shorter than the pause between keys and another press, goes on into it (the caller typing on, as
     * Asterisk keeps listening); otherwise the input times out with the keys so far.
     */
    private String scriptedKeys(Caller.Press p, int max, long betweenMillis, Running running) throws IOException {
        StringBuilder typed = new StringBuilder();
        while (true) {
            String digits = p.digits();
            int hash = digits.indexOf('#');
            int room = max - typed.length();
            if (hash >= 0 && hash <= room) {
                typed.append(digits, 0, Math.min(hash, room));
                consumeKeys(p, hash + 1);
                return "200 result=" + typed;
            }
            if (digits.length() >= room) {
                typed.append(digits, 0, room);
                consumeKeys(p, room);
                return "200 result=" + typed;
            }
            typed.append(digits);
            consumeKeys(p, digits.length());
            if (!(caller.peek() instanceof Caller.Pause pause) || betweenMillis < 0
                    || pause.duration().toMillis() >= betweenMillis || !(caller.peekSecond() instanceof Caller.Press next)) {
                return "200 result=" + typed + " (timeout)";
            }
            caller.consume(); // the pause, spent listening
            try {
                cutBy(waitInCommand(pause.duration().toMillis(), null, running.keys(), running.interruptible()));
            } catch (Cut c) {
                return c.why == Wake.COMMAND ? null : keysInRealTime(typed, c.key, max, betweenMillis);
            }
            if (hangupRequest.isDone() && !dead) {
                return callerHangsUpDuringCommand("200 result=-1");
            }
            p = next;
        }
    }

    /**
     * The rest of a GET DATA after its first key pressed in real time: every key is taken until {@code #}, the
     * maximum, or a pause of {@code betweenMillis} (negative: none), as Asterisk's ast_readstring_full reads them.
     */
    private String keysInRealTime(char first, int max, long betweenMillis) throws IOException {
        return keysInRealTime(new StringBuilder(), first, max, betweenMillis);
    }

    /** The same after the keys {@code sb} already read. */
    private String keysInRealTime(StringBuilder sb, char first, int max, long betweenMillis) throws IOException {
        char k = first;
        while (true) {
            if (k == '#') {
                return "200 result=" + sb;
            }
            sb.append(k);
            if (sb.length() >= max) {
                return "200 result=" + sb;
            }
            long wait = betweenMillis < 0 ? -1 : Math.max(1, Math.round(betweenMillis / timeScale));
            Wake w = waitInCommand(wait, null, ALL_KEYS, true);
            switch (w) {
                case KEY -> k = takePressedKey();
                case COMMAND -> {
                    return null; // the next command ends it without a reply (ast_readstring_full's "interrupted")
                }
                case HANGUP -> {
                    return callerHangsUpDuringCommand("200 result=-1");
                }
                default -> {
                    return "200 result=" + sb + " (timeout)";
                }
            }
        }
    }

    private String waitForDigit(AgiCommand cmd) throws IOException {
        Running running = new Running(ALL_KEYS, true);
        Caller.Step step;
        if (silenceCarried && !hangupRequest.isDone()) {
            // the rest of the wait for a first key after a GET DATA the caller let time out (the server's digits
            // input): the same silence step, not the next one
            try {
                waitOut(cmd.arg(0, "-1"), running);
            } catch (Cut c) {
                return waitForDigitCut(c);
            }
            return "200 result=0";
        }
        try {
            step = takeTimedSteps(running);
        } catch (Cut c) {
            return waitForDigitCut(c);
        }
        if (step == null || dead) {
            return "200 result=-1";
        }
        if (step instanceof Caller.HangUp) {
            consumeHangUp(step);
            return callerHangsUpDuringCommand("200 result=-1");
        }
        if (step instanceof Caller.Press p) {
            char key = p.digits().charAt(0);
            consumeKeys(p, 1);
            return "200 result=" + (int) key;
        }
        if (step instanceof Caller.Silence) {
            caller.consume();
        }
        try {
            waitOut(cmd.arg(0, "-1"), running);
        } catch (Cut c) {
            return waitForDigitCut(c);
        }
        return "200 result=0";
    }

    /**
     * WAIT FOR DIGIT cut short: a key is its result; a new command makes Asterisk answer
     * {@code result=1} (logging "The FD we were waiting for has something waiting") before it runs it.
     */
    private static String waitForDigitCut(Cut c) {
        return c.why == Wake.COMMAND ? "200 result=1" : "200 result=" + (int) c.key;
    }

    /** With real timeouts, an input nobody answers takes its whole timeout, as on Asterisk. */
    private void waitOut(String timeoutMillis, Running running) throws IOException, Cut {
        if (!realTimeouts) {
            return;
        }
        long ms = parseInt(timeoutMillis, -1);
        playFor(Duration.ofMillis(Math.round((ms < 0 ? 600_000 : ms) / timeScale)), running);
    }

    /** A silent input lasts its timeout divided by {@code speed}: for a server whose clock runs that much faster. */
    void timeScale(double speed) {
        this.timeScale = speed;
    }

    /** Input commands nobody answers take their whole timeout (load generation), instead of returning at once. */
    void realTimeouts(boolean on) {
        this.realTimeouts = on;
    }

    private String recordFile(AgiCommand cmd) throws IOException {
        String escapes = cmd.arg(2, "");
        Caller.Step step;
        try {
            step = takeTimedSteps(new Running(escapes, false));
        } catch (Cut c) {
            return "200 result=" + (int) c.key + " (dtmf) endpos=24000";
        }
        if (step == null || dead) {
            return "200 result=-1 (hangup) endpos=0";
        }
        if (step instanceof Caller.HangUp) {
            consumeHangUp(step);
            return callerHangsUpDuringCommand("200 result=-1 (hangup) endpos=24000");
        }
        if (step instanceof Caller.Press p && escapes.indexOf(p.digits().charAt(0)) >= 0) {
            char key = p.digits().charAt(0);
            consumeKeys(p, 1);
            return "200 result=" + (int) key + " (dtmf) endpos=24000";
        }
        if (step instanceof Caller.Silence) {
            caller.consume();
        }
        return "200 result=0 (timeout) endpos=24000";
    }

    private String exec(AgiCommand cmd) throws IOException {
        String app = cmd.app().toLowerCase(Locale.ROOT);
        switch (app) {
            case "dial" -> {
                return dial(cmd);
            }
            case "audiosocket" -> {
                return audioSocket(cmd);
            }
            case "bridge" -> {
                return bridge(cmd);
            }
            case "set" -> {
                String arg = cmd.arg(1, "");
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    variables.put(arg.substring(0, eq), arg.substring(eq + 1));
                }
                return "200 result=0";
            }
            case "playback", "background", "musiconhold", "startmusiconhold", "stopmusiconhold", "wait",
                 "answer", "noop", "goto", "gosub", "voicemail", "voicemailmain", "record",
                 "progress", "ringing", "playtones", "stopplaytones", "senddtmf", "read", "mixmonitor",
                 "stopmixmonitor", "hangup", "queue", "echo", "milliwatt", "userevent", "log", "verbose",
                 "saynumber", "saydigits", "sayalpha", "sayunixtime", "confbridge", "transfer", "system" -> {
                Caller.Step step = takeTimedSteps();
                if (step instanceof Caller.HangUp) {
                    consumeHangUp(step);
                    return callerHangsUpDuringCommand("200 result=-1");
                }
                return "200 result=0";
            }
            default -> {
                // Asterisk answers -2 when the application does not exist (not loaded)
                return "200 result=-2";
            }
        }
    }

    /**
     * EXEC Dial target,timeout,options. Like Asterisk 20's app_dial: the DIAL* variables are
     * cleared first; DIALSTATUS is set at the end; RINGTIME when the agent's phone rings; an
     * answered call sets ANSWEREDTIME and DIALEDTIME (whole seconds) and their _MS forms when it
     * ends, counted from the caller's channel's answer and creation (so they include the IVR and
     * the queue, not only the conversation). The caller hanging up ends the application with -1
     * (DIALSTATUS CANCEL while it rings).
     */
    private String dial(AgiCommand cmd) throws IOException {
        String[] parts = cmd.arg(1, "").split(",", -1);
        String target = parts[0];
        Integer timeout = parts.length > 1 && !parts[1].isBlank() ? parseInt(parts[1], 0) : null;
        String options = parts.length > 2 ? parts[2] : "";
        for (String v : List.of("DIALSTATUS", "ANSWEREDTIME", "ANSWEREDTIME_MS", "DIALEDTIME", "DIALEDTIME_MS",
                "RINGTIME", "RINGTIME_MS", "PROGRESSTIME", "PROGRESSTIME_MS")) {
            variables.remove(v);
        }
        Map<String, String> inherited = inheritable(true);
        Caller.Step step = takeTimedSteps();
        if (step == null || dead) {
            return "200 result=-1";
        }
        Caller.DialOutcome outcome = Caller.DialOutcome.ANSWER;
        CompletableFuture<?> talkUntil = null;
        if (step instanceof Caller.Dial d) {
            caller.consume();
            outcome = d.outcome();
            CompletableFuture<?> ringing = d.ringUntil() != null ? d.ringUntil() : d.ringFor() == null ? null
                    : CompletableFuture.runAsync(() -> { },
                    CompletableFuture.delayedExecutor(d.ringFor().toMillis(), TimeUnit.MILLISECONDS));
            if (ringing != null) {
                inCommand = true;
                try {
                    CompletableFuture.anyOf(ringing, hangupRequest).join();
                } finally {
                    inCommand = false;
                }
                if (hangupRequest.isDone()) {
                    variables.put("DIALSTATUS", "CANCEL");
                    dials.add(new DialedLeg(target, timeout, options, inherited, "CANCEL", Duration.ZERO, null));
                    return callerHangsUpDuringCommand("200 result=-1");
                }
            }
            talkUntil = d.talkUntil() != null || d.talk() == null ? d.talkUntil()
                    : CompletableFuture.runAsync(() -> { },
                    CompletableFuture.delayedExecutor(d.talk().toMillis(), TimeUnit.MILLISECONDS));
        } else if (step instanceof Caller.HangUp) {
            consumeHangUp(step);
            variables.put("DIALSTATUS", "CANCEL");
            dials.add(new DialedLeg(target, timeout, options, inherited, "CANCEL", Duration.ZERO, null));
            return callerHangsUpDuringCommand("200 result=-1");
        }
        if (outcome != Caller.DialOutcome.ANSWER && outcome != Caller.DialOutcome.ANSWER_AGENT_HANGS_UP) {
            variables.put("DIALSTATUS", outcome.name());
            dials.add(new DialedLeg(target, timeout, options, inherited, outcome.name(), Duration.ZERO, null));
            return "200 result=0";
        }
        long answered = System.nanoTime();
        setDuration("RINGTIME", 0); // the agent's phone rang at once (measured from the dialled channel's creation)
        String legChannel = target + "-" + pbx.nextChannelSuffix();
        CallResult gosub = answerGosub(legChannel, options);
        if (gosub != null && "REFUSED".equals(gosub.variable("IVR_STATUS"))) {
            // the sample's answer subroutine sets GOSUB_RESULT=BUSY when the server refused the answer: Asterisk 20's
            // app_dial hangs up the agent's leg, does not bridge, and goes on as after a busy signal (DIALSTATUS BUSY,
            // result 0, the caller's channel up)
            variables.put("DIALSTATUS", "BUSY");
            dials.add(new DialedLeg(target, timeout, options, inherited, "BUSY", Duration.ZERO, gosub));
            return "200 result=0";
        }
        boolean callerLeft = false;
        boolean agentHungUp = false;
        if (talkUntil != null) {
            CompletableFuture<Void> amiHangup = pbx.talking(legChannel);
            inCommand = true;
            try {
                CompletableFuture.anyOf(talkUntil, hangupRequest, amiHangup).join();
            } finally {
                inCommand = false;
                pbx.doneTalking(legChannel);
            }
            callerLeft = hangupRequest.isDone();
            agentHungUp = amiHangup.isDone() && !callerLeft;
        }
        long end = System.nanoTime();
        // Asterisk 20's app_dial: the *calling* channel's up time and whole duration, not the
        // conversation's: IVR and queue time included (docs/asterisk-behaviour.md)
        setDuration("ANSWEREDTIME", (end - (answeredAt >= 0 ? answeredAt : createdAt)) / 1_000_000);
        setDuration("DIALEDTIME", (end - createdAt) / 1_000_000);
        variables.put("DIALSTATUS", "ANSWER");
        dials.add(new DialedLeg(target, timeout, options, inherited, "ANSWER", Duration.ofNanos(end - answered), gosub));
        if ((outcome == Caller.DialOutcome.ANSWER_AGENT_HANGS_UP || agentHungUp) && !callerLeft) {
            // the agent's side ended (their hang-up, or AMI Hangup): the caller stays. Asterisk 20's app_dial returns
            // ast_bridge_call's -1 unless option g ("go on") was given, then 0; res_agi answers EXEC with that result
            // and the AGI script goes on either way (the channel is up)
            return goOn(options) ? "200 result=0" : "200 result=-1";
        }
        return callerHangsUpDuringCommand("200 result=-1"); // the caller hung up to end the conversation
    }

    /**
     * EXEC Bridge channel[,options], as Asterisk 20's main/features.c bridge_exec: the named channel (looked up by
     * name prefix or unique id) leaves wherever it is for a bridge with this call; BRIDGERESULT NONEXISTENT when there
     * is no such channel. The application blocks until either side leaves and answers 0 (SUCCESS); with option x the
     * other channel is hung up then. Only the fake PBX's legs (dialled, originated, held) can be bridged.
     */
    private String bridge(AgiCommand cmd) {
        String[] parts = cmd.arg(1, "").split(",", -1);
        String target = parts[0];
        if (dead) {
            return "200 result=-1";
        }
        if (target.isEmpty() || !pbx.yank(target)) {
            variables.put("BRIDGERESULT", "NONEXISTENT");
            return "200 result=0";
        }
        bridges.add(target);
        CompletableFuture<Void> peerGone = pbx.talking(target);
        inCommand = true;
        try {
            CompletableFuture.anyOf(peerGone, hangupRequest).join();
        } finally {
            inCommand = false;
            pbx.bridgeEnded(target);
        }
        variables.put("BRIDGERESULT", "SUCCESS");
        if (hangupRequest.isDone()) {
            return callerHangsUpDuringCommand("200 result=0");
        }
        return "200 result=0";
    }

    private final List<String> bridges = Collections.synchronizedList(new ArrayList<>());

    /** The channels this call was bridged with by EXEC Bridge, in order. */
    public List<String> bridges() {
        synchronized (bridges) {
            return List.copyOf(bridges);
        }
    }

    /** Whether Dial's options include g (outside the arguments of other options, such as b(...) and U(...)). */
    static boolean goOn(String options) {
        return options != null && options.replaceAll("\\([^)]*\\)", "").indexOf('g') >= 0;
    }

    private void setDuration(String name, long millis) {
        variables.put(name, Long.toString(millis / 1000));
        variables.put(name + "_MS", Long.toString(millis));
    }

    /** The U(context^exten^priority) subroutine of an answered Dial, when the test mapped it to a script. */
    private CallResult answerGosub(String legChannel, String options) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("U\\(([^)^]+)").matcher(options);
        if (!m.find()) {
            return null;
        }
        String script = pbx.answerGosubScript(m.group(1));
        if (script == null) {
            return null;
        }
        FakePbx.CallBuilder leg = pbx.call(script).channel(legChannel)
                .callerId(environmentValue("agi_callerid")).context(m.group(1)).dialled("s")
                .caller(Caller.script().thenSilence());
        inheritable(false).forEach(leg::variable);
        return leg.run(Duration.ofSeconds(30));
    }

    /** EXEC AudioSocket uuid,host:port: connects to the server and streams what the caller does. */
    private String audioSocket(AgiCommand cmd) throws IOException {
        Caller.Step step = takeTimedSteps();
        if (step == null || dead) {
            return "200 result=-1";
        }
        AudioSocketClient.Plan plan;
        if (step instanceof Caller.Speak sp) {
            caller.consume();
            plan = new AudioSocketClient.Plan(sp.audio(), null, false);
        } else if (step instanceof Caller.Press p) {
            consumeKeys(p, 1);
            plan = new AudioSocketClient.Plan(new byte[0], p.digits().charAt(0), false);
        } else if (step instanceof Caller.HangUp) {
            consumeHangUp(step);
            plan = new AudioSocketClient.Plan(new byte[0], null, true);
        } else {
            if (step instanceof Caller.Silence) {
                caller.consume();
            }
            plan = AudioSocketClient.Plan.silence();
        }
        AudioSocketSession session = AudioSocketClient.run(cmd.arg(1, ""), plan, audioPacing);
        audioSessions.add(session);
        if (!session.connected()) {
            return "200 result=-1"; // the application fails; the channel is still up
        }
        if (session.callerHungUp()) {
            return callerHangsUpDuringCommand("200 result=-1");
        }
        return "200 result=0";
    }

    /** The AudioSocket sessions of this call so far. */
    public List<AudioSocketSession> audioSocketSessions() {
        synchronized (audioSessions) {
            return List.copyOf(audioSessions);
        }
    }

    void audioPacing(Duration pacing) {
        this.audioPacing = pacing;
    }

    /** Applies the delaying steps of a command that takes no keys and cannot be cut short (EXEC ...). */
    private Caller.Step takeTimedSteps() throws IOException {
        try {
            return takeTimedSteps(Running.NONE);
        } catch (Cut c) {
            throw new IllegalStateException("a command that takes no keys was cut short", c);
        }
    }

    /**
     * Applies the steps that only delay (hold, pause; hang up between commands is left for
     * after the reply) and returns the step that decides the reply, or null if the caller hung
     * up while the command was held. A key the command takes, or the server's next command when
     * it can be cut short, ends the wait ({@link Cut}).
     */
    private Caller.Step takeTimedSteps(Running running) throws IOException, Cut {
        while (true) {
            Caller.Step step = caller.peek();
            if (step instanceof Caller.Hold h) {
                caller.consume();
                cutBy(waitInCommand(-1, h.release(), running.keys(), running.interruptible()));
            } else if (step instanceof Caller.Pause p) {
                caller.consume();
                cutBy(waitInCommand(p.duration().toMillis(), null, running.keys(), running.interruptible()));
            } else {
                if (hangupRequest.isDone() && !dead) {
                    return REQUESTED_HANGUP;
                }
                return step;
            }
        }
    }

    /** The prompt plays for a while; a hang-up asked meanwhile cuts it short, so do keys it takes and a new command. */
    private void playFor(Duration d, Running running) throws IOException, Cut {
        if (d.isZero() || hangupRequest.isDone()) {
            return;
        }
        cutBy(waitInCommand(d.toMillis(), null, running.keys(), running.interruptible()));
    }

    private void cutBy(Wake w) throws Cut {
        if (w == Wake.KEY) {
            throw new Cut(w, takePressedKey());
        }
        if (w == Wake.COMMAND) {
            throw new Cut(w, (char) 0);
        }
    }

    private void consumeHangUp(Caller.Step step) {
        if (step != REQUESTED_HANGUP) {
            caller.consume();
        }
    }

    private void consumeKeys(Caller.Press p, int n) {
        caller.consume();
        if (n < p.digits().length()) {
            caller.pushFront(new Caller.Press(p.digits().substring(n), false));
        }
    }

    /** The caller hung up during this command: reply as given, HANGUP follows 40 ms later. */
    private String callerHangsUpDuringCommand(String reply) {
        dead = true;
        hungUpBy = CallResult.HungUpBy.CALLER;
        pendingHangupLineAt = System.nanoTime() + hangupLineDelay.toNanos();
        return reply;
    }

    private void sendHangupLines() throws IOException {
        write("HANGUP\n");
        if (exitOnHangup) {
            write("HANGUP\n");
            socket.shutdownOutput();
        }
    }

    private void write(String s) throws IOException {
        writeLock.lock();
        try {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** A scripted hang-up between commands happens right after the reply that precedes it. */
    private void hangUpBetweenCommandsIfScripted() throws IOException {
        Caller.Step next = caller.peekOrNull();
        if (next instanceof Caller.HangUpBetween && !dead) {
            caller.consume();
            dead = true;
            hungUpBy = CallResult.HungUpBy.CALLER;
            writeLock.lock();
            try {
                sendHangupLines();
            } finally {
                writeLock.unlock();
            }
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private void writeLocked(IoAction action) throws IOException {
        writeLock.lock();
        try {
            action.run();
        } finally {
            writeLock.unlock();
        }
    }

    private static int parseInt(String s, int fallback) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
