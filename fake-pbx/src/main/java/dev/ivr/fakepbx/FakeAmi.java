package dev.ivr.fakepbx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.Locale;

/**
 * A stand-in for Asterisk 20's manager interface (AMI, TCP 5038), enough for the server's
 * needs: MD5 challenge login, CoreSettings, Ping, Originate (with scripted outcomes reported
 * by {@code OriginateResponse}), PJSIPShowEndpoints (device states), Status, Hangup, MixMonitor,
 * MixMonitorMute and StopMixMonitor (as apps/app_mixmonitor.c answers them), Status (the channels
 * Originates created, with the variables asked for), and
 * events pushed by the test (DeviceStateChange, ContactStatus, Hangup). Messages are
 * {@code Key: Value} lines ending with a blank line, CRLF, as Asterisk sends them.
 */
public final class FakeAmi implements AutoCloseable {

    /** How an Originate ends. Reason codes as in Asterisk's OriginateResponse. */
    public enum OriginateOutcome {
        ANSWERED(4), NO_ANSWER(3), BUSY(5), CONGESTION(8), FAILED(0);

        final int reason;

        OriginateOutcome(int reason) {
            this.reason = reason;
        }
    }

    /**
     * An Originate the fake carried out.
     *
     * @param action   the action as received
     * @param uniqueId the unique id of the channel it created (in OriginateResponse, and in the
     *                 Hangup event {@link #hangup(String, String)} sends for it)
     */
    public record Originated(Map<String, String> action, String channel, String uniqueId, OriginateOutcome outcome) {
        /** The channel variables it set: every {@code Variable: NAME=value} header (Asterisk splits them at commas). */
        public Map<String, String> variables() {
            Map<String, String> out = new LinkedHashMap<>();
            String all = action.get("Variable");
            if (all != null) {
                for (String kv : all.split(",")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        out.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
            return out;
        }
    }

    private final String username;
    private final String secret;
    private final ServerSocket server;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final List<Map<String, String>> actions = Collections.synchronizedList(new ArrayList<>());
    private volatile FakePbx pbx;
    private final Map<String, String> deviceStates = new ConcurrentHashMap<>();
    private final List<Originated> originated = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong sequence = new AtomicLong(1000);
    private volatile Function<Map<String, String>, OriginateOutcome> originateOutcomes = a -> OriginateOutcome.ANSWERED;
    private volatile Duration originateDelay = Duration.ofMillis(50);
    private volatile boolean down;
    private volatile boolean loseOriginates;
    /** Channels an Originate created that are up (ringing or answered), by name, in creation order. */
    private final Map<String, Originated> live = Collections.synchronizedMap(new LinkedHashMap<>());

    /** What MixMonitor did on one channel. */
    private final Map<String, MixMonitors> monitors = new ConcurrentHashMap<>();

    /** Asterisk's ast_true: yes, true, y, t, 1, on. */
    static boolean isTrue(String s) {
        return s.trim().toLowerCase(Locale.ROOT).matches("yes|true|y|t|1|on");
    }

    /** The MixMonitors of one channel: the files, whether each runs, and what muting it saw. */
    static final class MixMonitors {
        private final List<String> files = new ArrayList<>();
        private final List<String> history = new ArrayList<>();
        private boolean running;
        private boolean muted;

        synchronized void start(String id, String file) {
            files.add(file);
            running = true;
            history.add("start " + file);
            writeSilence(file);
        }

        synchronized void hungUp() {
            if (running) {
                running = false;
                history.add("hangup");
            }
        }

        /** Writes what MixMonitor would: a WAV file (8 kHz, 16 bit mono) of a second of silence, where it can. */
        private static void writeSilence(String file) {
            if (!file.endsWith(".wav")) {
                return;
            }
            try {
                java.nio.file.Path p = java.nio.file.Path.of(file);
                if (p.getParent() != null) {
                    java.nio.file.Files.createDirectories(p.getParent());
                }
                int data = 16_000;
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data).put("WAVE".getBytes(StandardCharsets.US_ASCII));
                b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                        .putInt(8000).putInt(16_000).putShort((short) 2).putShort((short) 16);
                b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data);
                java.nio.file.Files.write(p, b.array());
            } catch (IOException | RuntimeException e) {
                // a path of the real PBX's, not writable here: nothing written, as Asterisk would log
            }
        }

        synchronized void mute(String direction, boolean on) {
            muted = on;
            history.add((on ? "mute " : "unmute ") + direction);
        }

        synchronized boolean stop() {
            if (!running) {
                return false;
            }
            running = false;
            history.add("stop");
            return true;
        }
    }

    /**
     * What MixMonitor did on a channel (by name, as resolved): "start FILE", "mute both", "unmute both", "stop",
     * in order; empty when it was never recorded.
     */
    public List<String> mixMonitorHistory(String channel) {
        MixMonitors m = monitors.get(channel);
        if (m == null) {
            return List.of();
        }
        synchronized (m) {
            return List.copyOf(m.history);
        }
    }

    /** Whether a MixMonitor records the channel now, and is not muted. */
    public boolean recordingAudible(String channel) {
        MixMonitors m = monitors.get(channel);
        if (m == null) {
            return false;
        }
        synchronized (m) {
            return m.running && !m.muted;
        }
    }

    public FakeAmi(String username, String secret) throws IOException {
        this.username = username;
        this.secret = secret;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("fake-ami-accept").start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Lets AMI {@code Hangup} end the talking dialled legs of this fake PBX's calls. */
    public FakeAmi channelsOf(FakePbx pbx) {
        this.pbx = pbx;
        pbx.onLegGone((uniqueId, channel) -> hangup(channel, uniqueId));
        pbx.onChannelGone((uniqueId, channel) -> {
            MixMonitors m = monitors.get(channel);
            if (m != null) {
                m.hungUp();
            }
            hangup(channel, uniqueId);
        });
        return this;
    }

    /** Every action received, in order, as key → value (keys looked up ignoring case). */
    public List<Map<String, String>> actions() {
        synchronized (actions) {
            return List.copyOf(actions);
        }
    }

    /** The actions of one kind, e.g. "Originate". */
    public List<Map<String, String>> actions(String action) {
        return actions().stream().filter(a -> action.equalsIgnoreCase(a.get("Action"))).toList();
    }

    /** The Originates carried out so far, in order. */
    public List<Originated> originated() {
        synchronized (originated) {
            return List.copyOf(originated);
        }
    }

    /** Closes every manager connection, as an Asterisk restart or a network cut does; clients may log in again. */
    public void dropConnections() {
        for (Session s : sessions) {
            s.close();
        }
    }

    /**
     * An outage of the manager interface: every connection is closed and new ones are closed at once (as a stopped
     * Asterisk or a cut network refuses them) until {@link #comeBack()}.
     */
    public void goDown() {
        down = true;
        dropConnections();
    }

    /** The end of an outage: clients may connect and log in again. */
    public void comeBack() {
        down = false;
    }

    /** Decides how each Originate ends (default: answered). */
    public void originateOutcomes(Function<Map<String, String>, OriginateOutcome> f) {
        this.originateOutcomes = f;
    }

    public void originateDelay(Duration d) {
        this.originateDelay = d;
    }

    /**
     * Whether Originates are lost on the way (as when the server that sent one died before it left): acknowledged
     * to nobody, carried out never (no channel, no response); still listed in {@link #actions(String)}.
     */
    public void loseOriginates(boolean lose) {
        this.loseOriginates = lose;
    }

    /** The channels Originates created that are up now (ringing, or answered and not hung up), by name. */
    public List<String> liveChannels() {
        synchronized (live) {
            return List.copyOf(live.keySet());
        }
    }

    /** An endpoint known to the PBX, with its device state (NOT_INUSE, INUSE, RINGING, UNAVAILABLE ...). */
    public void endpoint(String device, String state) {
        deviceStates.put(device, state);
    }

    /** The device's state changes: DeviceStateChange to every logged-in session. */
    public void deviceState(String device, String state) {
        deviceStates.put(device, state);
        emit(event("DeviceStateChange", "Device", device, "State", state));
    }

    /** A PJSIP contact changes status (Reachable, Unreachable, Removed, Created). */
    public void contactStatus(String endpoint, String status) {
        emit(event("ContactStatus", "URI", "sip:" + endpoint + "@192.0.2.10:5060", "ContactStatus", status,
                "AOR", endpoint, "EndpointName", endpoint));
    }

    /** A channel hangs up. */
    public void hangup(String channel, String uniqueId) {
        if (channel != null) {
            live.remove(channel);
        }
        emit(event("Hangup", "Channel", channel, "Uniqueid", uniqueId, "Cause", "16", "Cause-txt", "Normal Clearing"));
        // as Asterisk: the device of a channel that hung up is idle again (DeviceStateChange NOT_INUSE)
        int dash = channel == null ? -1 : channel.lastIndexOf('-');
        if (dash > 0 && channel.indexOf('/') > 0 && "INUSE".equals(deviceStates.get(channel.substring(0, dash)))) {
            deviceState(channel.substring(0, dash), "NOT_INUSE");
        }
    }

    /**
     * A phone puts its call on hold: {@code Hold} on that phone's channel, as Asterisk 20 raises it
     * ({@code ast_queue_hold}: the channel's snapshot fields and {@code MusicClass}).
     */
    public void hold(String channel, String uniqueId, String musicClass) {
        emit(event("Hold", "Channel", channel, "ChannelState", "6", "ChannelStateDesc", "Up", "Uniqueid", uniqueId,
                "Linkedid", uniqueId, "MusicClass", musicClass));
    }

    /** The phone takes its call off hold: {@code Unhold} on its channel. */
    public void unhold(String channel, String uniqueId) {
        emit(event("Unhold", "Channel", channel, "ChannelState", "6", "ChannelStateDesc", "Up", "Uniqueid", uniqueId,
                "Linkedid", uniqueId));
    }

    /** Sends an event to every logged-in session. */
    public void emit(Map<String, String> event) {
        for (Session s : sessions) {
            if (s.loggedIn) {
                s.send(event);
            }
        }
    }

    /** Logged-in manager connections. */
    public int sessions() {
        return (int) sessions.stream().filter(s -> s.loggedIn).count();
    }

    private static Map<String, String> event(String name, String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Event", name);
        m.put("Privilege", "call,all");
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                if (down) {
                    s.close();
                    continue;
                }
                Session session = new Session(s);
                sessions.add(session);
                Thread.ofVirtual().name("fake-ami-session").start(session::run);
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Session s : sessions) {
            s.close();
        }
    }

    private final class Session {
        private final Socket socket;
        private final OutputStream out;
        private volatile boolean loggedIn;
        private String challenge;

        Session(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        void run() {
            try (socket) {
                write("Asterisk Call Manager/9.0.0\r\n");
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                Map<String, String> msg = new TreeMap<>(String.CASE_INSENSITIVE_ORDER); // AMI keys ignore case
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (!msg.isEmpty()) {
                            actions.add(Collections.unmodifiableMap(msg));
                            if (!handle(msg)) {
                                return;
                            }
                            msg = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                        }
                        continue;
                    }
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        String key = line.substring(0, colon).trim();
                        String value = line.substring(colon + 1).trim();
                        // repeated keys (Variable) are kept comma-joined
                        msg.merge(key, value, (a, b) -> a + "," + b);
                    }
                }
            } catch (IOException e) {
                // connection ended
            } finally {
                sessions.remove(this);
            }
        }

        /** @return false to close the session */
        private boolean handle(Map<String, String> a) {
            String action = a.getOrDefault("Action", "");
            String id = a.get("ActionID");
            if (!loggedIn && !action.equalsIgnoreCase("Challenge") && !action.equalsIgnoreCase("Login")) {
                send(response(id, "Error", "Message", "Permission denied"));
                return true;
            }
            switch (action.toLowerCase(Locale.ROOT)) {
                case "challenge" -> {
                    challenge = String.valueOf(100_000_000 + sequence.incrementAndGet());
                    send(response(id, "Success", "Challenge", challenge));
                }
                case "login" -> {
                    boolean ok = username.equals(a.get("Username")) && keyMatches(a);
                    if (!ok) {
                        send(response(id, "Error", "Message", "Authentication failed"));
                        return false;
                    }
                    loggedIn = true;
                    send(response(id, "Success", "Message", "Authentication accepted"));
                    send(event("FullyBooted", "Status", "Fully Booted", "Uptime", "1000", "LastReload", "1000"));
                }
                case "coresettings" -> send(response(id, "Success", "AMIversion", "9.0.0", "AsteriskVersion", "20.20.1",
                        "SystemName", "", "CoreMaxCalls", "0", "CoreMaxLoadAvg", "0.000000", "CoreRunUser", "asterisk",
                        "CoreRunGroup", "asterisk", "CoreMaxFilehandles", "0", "CoreRealTimeEnabled", "No",
                        "CoreCDRenabled", "Yes", "CoreHTTPenabled", "No"));
                case "ping" -> send(response(id, "Success", "Ping", "Pong", "Timestamp", "1763843012.000000"));
                case "logoff" -> {
                    send(response(id, "Goodbye", "Message", "Thanks for all the fish."));
                    return false;
                }
                case "originate" -> originate(a, id);
                case "pjsipshowendpoints" -> endpoints(id);
                case "status" -> status(a, id);
                case "hangup" -> hangupAction(a.getOrDefault("Channel", ""), id);
                case "mixmonitor" -> mixMonitor(a, id);
                case "mixmonitormute" -> mixMonitorMute(a, id);
                case "stopmixmonitor" -> stopMixMonitor(a, id);
                case "redirect" -> redirect(a, id);
                case "setvar" -> setvar(a, id);
                case "getvar", "events" -> send(response(id, "Success"));
                default -> send(response(id, "Error", "Message", "Invalid/unknown command"));
            }
            return true;
        }

        /**
         * The channel an action names, as Asterisk looks it up (name or unique id; any name without a linked PBX);
         * empty after answering "No channel specified" or "No such channel".
         */
        private java.util.Optional<String> existingChannel(Map<String, String> a, String id) {
            String channel = a.getOrDefault("Channel", "");
            if (channel.isEmpty()) {
                send(response(id, "Error", "Message", "No channel specified"));
                return java.util.Optional.empty();
            }
            FakePbx p = pbx;
            java.util.Optional<String> name = p == null ? java.util.Optional.of(channel) : p.liveChannel(channel);
            if (name.isEmpty()) {
                send(response(id, "Error", "Message", "No such channel"));
            }
            return name;
        }

        /**
         * MixMonitor as Asterisk 20's app_mixmonitor.c answers it: "No channel specified", "No such channel",
         * "Could not start monitoring channel" (no file); Success, with {@code MixMonitorID} when the options
         * name a variable for it ({@code i(VAR)}).
         */
        private void mixMonitor(Map<String, String> a, String id) {
            java.util.Optional<String> name = existingChannel(a, id);
            if (name.isEmpty()) {
                return;
            }
            String file = a.getOrDefault("File", "");
            if (file.isEmpty()) {
                send(response(id, "Error", "Message", "Could not start monitoring channel"));
                return;
            }
            String monitorId = "0x" + Long.toHexString(sequence.incrementAndGet());
            monitors.computeIfAbsent(name.get(), k -> new MixMonitors()).start(monitorId, file);
            String options = a.getOrDefault("Options", "");
            if (options.matches(".*i\\([A-Za-z0-9_]+\\).*")) {
                send(response(id, "Success", "MixMonitorID", monitorId));
            } else {
                send(response(id, "Success"));
            }
        }

        /** MixMonitorMute as app_mixmonitor.c answers it (its checks in its order). */
        private void mixMonitorMute(Map<String, String> a, String id) {
            String direction = a.getOrDefault("Direction", "");
            if (direction.isEmpty()) {
                send(response(id, "Error", "Message", "No direction specified. Must be read, write or both"));
                return;
            }
            if (!direction.equalsIgnoreCase("read") && !direction.equalsIgnoreCase("write")
                    && !direction.equalsIgnoreCase("both")) {
                send(response(id, "Error", "Message", "Invalid direction specified. Must be read, write or both"));
                return;
            }
            if (a.getOrDefault("Channel", "").isEmpty()) {
                send(response(id, "Error", "Message", "No channel specified"));
                return;
            }
            String state = a.getOrDefault("State", "");
            if (state.isEmpty()) {
                send(response(id, "Error", "Message", "No state specified"));
                return;
            }
            java.util.Optional<String> name = existingChannel(a, id);
            if (name.isEmpty()) {
                return;
            }
            MixMonitors m = monitors.get(name.get());
            if (m == null) { // no audiohooks on the channel: ast_audiohook_set_mute_all returns -1
                send(response(id, "Error", "Message", "Cannot set mute flag"));
                return;
            }
            m.mute(direction.toLowerCase(Locale.ROOT), isTrue(state));
            send(response(id, "Success"));
        }

        /** StopMixMonitor as app_mixmonitor.c answers it. */
        private void stopMixMonitor(Map<String, String> a, String id) {
            java.util.Optional<String> name = existingChannel(a, id);
            if (name.isEmpty()) {
                return;
            }
            MixMonitors m = monitors.get(name.get());
            if (m == null || !m.stop()) {
                send(response(id, "Error", "Message", "Could not stop monitoring channel"));
                return;
            }
            send(response(id, "Success"));
        }

        /**
         * As Asterisk 20's main/manager.c action_redirect: a dialled leg of a fake call leaves the caller's bridge
         * and holds where it was sent ({@link FakePbx#redirectLeg}); other channels are answered as moved.
         */
        private void redirect(Map<String, String> a, String id) {
            String channel = a.getOrDefault("Channel", "");
            if (channel.isEmpty()) {
                send(response(id, "Error", "Message", "Channel not specified"));
                return;
            }
            if (a.getOrDefault("Context", "").isEmpty()) {
                send(response(id, "Error", "Message", "Context not specified"));
                return;
            }
            if (a.getOrDefault("Exten", "").isEmpty()) {
                send(response(id, "Error", "Message", "Exten not specified"));
                return;
            }
            FakePbx p = pbx;
            if (p != null && !p.redirectLeg(channel, a.get("Context")) && channel.matches(".*-[0-9a-f]{8}")
                    && !p.knows(channel)) {
                send(response(id, "Error", "Message", "Channel does not exist: " + channel));
                return;
            }
            send(response(id, "Success", "Message", "Redirect successful"));
        }

        /** As main/manager.c action_setvar: "Variable Set", or "No such channel" for a channel of a fake call that is gone. */
        private void setvar(Map<String, String> a, String id) {
            String channel = a.getOrDefault("Channel", "");
            if (a.getOrDefault("Variable", "").isEmpty()) {
                send(response(id, "Error", "Message", "No variable specified"));
                return;
            }
            FakePbx p = pbx;
            if (!channel.isEmpty() && p != null && !p.setLegVariable(channel, a.get("Variable"), a.getOrDefault("Value", ""))
                    && channel.matches(".*-[0-9a-f]{8}") && !p.knows(channel)) {
                send(response(id, "Error", "Message", "No such channel"));
                return;
            }
            send(response(id, "Success", "Message", "Variable Set"));
        }

        /**
         * Hangup as Asterisk 20's manager.c answers it: a name hangs up that channel ("Channel Hungup"); a
         * {@code /regex/} hangs up every matching channel, answered by a list: "Channels hung up will follow",
         * one {@code ChannelHungup} event per channel, then {@code ChannelsHungupListComplete} with ListItems.
         */
        private void hangupAction(String channel, String id) {
            if (channel.isEmpty()) {
                send(response(id, "Error", "Message", "No channel specified"));
                return;
            }
            if (!channel.startsWith("/")) {
                send(response(id, "Success", "Message", "Channel Hungup"));
                FakePbx p = pbx;
                if (p != null) {
                    p.hangUpLegs(channel::equals);
                }
                hangup(channel, "");
                return;
            }
            if (channel.length() < 2 || !channel.endsWith("/")) {
                send(response(id, "Error", "Message", "Regex format invalid, Channel param should be /regex/"));
                return;
            }
            java.util.regex.Pattern regex;
            try {
                regex = java.util.regex.Pattern.compile(channel.substring(1, channel.length() - 1));
            } catch (java.util.regex.PatternSyntaxException e) {
                send(response(id, "Error", "Message", "Regex compile failed on: " + channel));
                return;
            }
            send(response(id, "Success", "EventList", "start", "Message", "Channels hung up will follow"));
            FakePbx p = pbx;
            List<String> gone = p == null ? List.of() : p.hangUpLegs(name -> regex.matcher(name).find());
            for (String name : gone) {
                send(withId(event("ChannelHungup", "Channel", name), id));
            }
            send(withId(event("ChannelsHungupListComplete", "EventList", "Complete", "ListItems",
                    Integer.toString(gone.size())), id));
            for (String name : gone) {
                hangup(name, "");
            }
        }

        private boolean keyMatches(Map<String, String> a) {
            if (!"MD5".equalsIgnoreCase(a.get("AuthType"))) {
                return secret.equals(a.get("Secret"));
            }
            try {
                MessageDigest md = MessageDigest.getInstance("MD5");
                md.update((challenge == null ? "" : challenge).getBytes(StandardCharsets.UTF_8));
                md.update(secret.getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(md.digest()).equalsIgnoreCase(a.getOrDefault("Key", ""));
            } catch (NoSuchAlgorithmException e) {
                return false;
            }
        }

        /**
         * Status as Asterisk 20's manager.c answers it: "Channel status will follow", one {@code Status} event per
         * channel (here: the channels Originates created that are up), with a {@code Variable: NAME=value} line for
         * each name of the action's comma-separated {@code Variables} (empty when the channel lacks it), then
         * {@code StatusComplete} with {@code Items}. A {@code Channel} that names no channel: "No such channel".
         */
        private void status(Map<String, String> a, String id) {
            String only = a.getOrDefault("Channel", "");
            List<Originated> channels;
            synchronized (live) {
                channels = live.values().stream().filter(o -> only.isEmpty() || only.equals(o.channel())
                        || only.equals(o.uniqueId())).toList();
            }
            if (!only.isEmpty() && channels.isEmpty()) {
                send(response(id, "Error", "Message", "No such channel"));
                return;
            }
            send(response(id, "Success", "EventList", "start", "Message", "Channel status will follow"));
            String[] names = a.getOrDefault("Variables", "").isBlank() ? new String[0] : a.get("Variables").split(",");
            for (Originated o : channels) {
                StringBuilder sb = new StringBuilder();
                withId(event("Status", "Channel", o.channel(), "ChannelState", "6", "ChannelStateDesc", "Up",
                        "Context", o.action().getOrDefault("Context", ""), "Exten", o.action().getOrDefault("Exten", ""),
                        "Uniqueid", o.uniqueId(), "Linkedid", o.uniqueId()), id)
                        .forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
                for (String name : names) {
                    sb.append("Variable: ").append(name.trim()).append('=')
                            .append(o.variables().getOrDefault(name.trim(), "")).append("\r\n");
                }
                sendRaw(sb.append("\r\n").toString());
            }
            send(withId(event("StatusComplete", "EventList", "Complete", "ListItems",
                    Integer.toString(channels.size()), "Items", Integer.toString(channels.size())), id));
        }

        private void originate(Map<String, String> a, String id) {
            if (loseOriginates) {
                return; // never arrived: no response, no channel
            }
            send(response(id, "Success", "Message", "Originate successfully queued"));
            OriginateOutcome outcome = originateOutcomes.apply(a);
            String channel = a.getOrDefault("Channel", "");
            String uid = "1763843100." + sequence.incrementAndGet();
            String created = (channel.contains("/") ? channel : "PJSIP/" + channel) + "-" + String.format("%08x", sequence.get());
            Originated made = new Originated(Collections.unmodifiableMap(a), created, uid, outcome);
            originated.add(made);
            live.put(created, made); // the channel exists (and rings) from now on, with the action's variables
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(originateDelay);
                } catch (InterruptedException e) {
                    return;
                }
                if (outcome != OriginateOutcome.ANSWERED) {
                    live.remove(created); // it rang out, was busy or failed: gone
                }
                Map<String, String> ev = event("OriginateResponse", "Response",
                        outcome == OriginateOutcome.ANSWERED ? "Success" : "Failure",
                        // Asterisk (manager.c, fast_originate): the created channel's name when there is one
                        "Channel", outcome == OriginateOutcome.ANSWERED ? created : channel,
                        "Context", a.getOrDefault("Context", ""), "Exten", a.getOrDefault("Exten", ""),
                        "Application", a.getOrDefault("Application", ""), "Data", a.getOrDefault("Data", ""),
                        "Reason", String.valueOf(outcome.reason), "Uniqueid", uid,
                        "CallerIDNum", a.getOrDefault("CallerID", "<unknown>"), "CallerIDName", "<unknown>");
                send(withId(ev, id));
                if (outcome == OriginateOutcome.ANSWERED) {
                    String device = channel.contains("/") ? channel : "PJSIP/" + channel;
                    deviceState(device, "INUSE");
                    FakePbx p = pbx;
                    if (p != null) {
                        p.originateAnswered(created, uid, a.getOrDefault("Context", ""),
                                new Originated(a, created, uid, outcome).variables());
                    }
                }
            });
        }

        private void endpoints(String id) {
            send(response(id, "Success", "EventList", "start",
                    "Message", "A listing of Endpoints follows, presented as EndpointList events"));
            Map<String, String> sorted = new TreeMap<>(deviceStates);
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                String name = e.getKey().replaceFirst("^PJSIP/", "");
                send(withId(event("EndpointList", "ObjectType", "endpoint", "ObjectName", name, "Transport", "",
                        "Aor", name, "Auths", "", "OutboundAuths", "", "Contacts", name + "/sip:" + name + "@192.0.2.10:5060,",
                        "DeviceState", humanState(e.getValue()), "ActiveChannels", ""), id));
            }
            send(withId(event("EndpointListComplete", "EventList", "Complete", "ListItems", String.valueOf(sorted.size())), id));
        }

        private String humanState(String state) {
            return switch (state) {
                case "NOT_INUSE" -> "Not in use";
                case "INUSE" -> "In use";
                case "BUSY" -> "Busy";
                case "RINGING" -> "Ringing";
                case "UNAVAILABLE" -> "Unavailable";
                default -> "Unknown";
            };
        }

        private Map<String, String> response(String id, String response, String... kv) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("Response", response);
            if (id != null) {
                m.put("ActionID", id);
            }
            for (int i = 0; i + 1 < kv.length; i += 2) {
                m.put(kv[i], kv[i + 1]);
            }
            return m;
        }

        private Map<String, String> withId(Map<String, String> ev, String id) {
            Map<String, String> m = new LinkedHashMap<>(ev);
            if (id != null) {
                m.put("ActionID", id);
            }
            return m;
        }

        synchronized void sendRaw(String message) {
            try {
                write(message);
            } catch (IOException e) {
                close();
            }
        }

        synchronized void send(Map<String, String> message) {
            StringBuilder sb = new StringBuilder();
            message.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
            sb.append("\r\n");
            try {
                write(sb.toString());
            } catch (IOException e) {
                close();
            }
        }

        private synchronized void write(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
