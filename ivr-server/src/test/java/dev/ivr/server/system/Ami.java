package dev.ivr.server.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The system tests' own manager (AMI) connection to their Asterisk, as plain key/value
 * messages: actions with their responses (and event lists), every event kept in order for
 * assertions and handed to listeners. Independent of the server's Asterisk-Java client, so what
 * the tests read is what Asterisk sent.
 */
final class Ami implements AutoCloseable {
    /** One message: keys as Asterisk sent them, looked up ignoring case. */
    static final class Message extends java.util.TreeMap<String, String> {
        /** When the test received it (events come within milliseconds of what they report). */
        final java.time.Instant receivedAt = java.time.Instant.now();

        Message() {
            super(String.CASE_INSENSITIVE_ORDER);
        }

        String event() {
            return get("Event");
        }

        boolean is(String event) {
            return event.equalsIgnoreCase(get("Event"));
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, CompletableFuture<Message>> responses = new ConcurrentHashMap<>();
    private final Map<String, List<Message>> lists = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<List<Message>>> listDone = new ConcurrentHashMap<>();
    private final List<Message> events = Collections.synchronizedList(new ArrayList<>());
    private final List<Consumer<Message>> listeners = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private Ami(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        in.readLine(); // Asterisk Call Manager/...
        this.reader = Thread.ofPlatform().daemon().name("test-ami").start(() -> read(in));
    }

    static Ami connect(int port, String user, String secret) {
        try {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            Ami ami = new Ami(s);
            Message r = ami.action(Map.of("Action", "Login", "Username", user, "Secret", secret));
            if (!"Success".equalsIgnoreCase(r.get("Response"))) {
                throw new IllegalStateException("AMI login refused: " + r);
            }
            return ami;
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to AMI on " + port + ": " + e.getMessage(), e);
        }
    }

    private void read(BufferedReader in) {
        Message m = new Message();
        try {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isEmpty()) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        String key = line.substring(0, colon).trim();
                        String value = line.substring(colon + 1).trim();
                        m.merge(key, value, (a, b) -> a + "\n" + b);
                    }
                    continue;
                }
                if (m.isEmpty()) {
                    continue;
                }
                dispatch(m);
                m = new Message();
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void dispatch(Message m) {
        String id = m.get("ActionID");
        if (m.containsKey("Response") && id != null) {
            CompletableFuture<Message> f = responses.remove(id);
            if (f != null) {
                f.complete(m);
            }
            if (!"start".equalsIgnoreCase(m.get("EventList")) && listDone.containsKey(id)) {
                CompletableFuture<List<Message>> done = listDone.remove(id);
                done.complete(List.of());
            }
            return;
        }
        if (m.containsKey("Event") && id != null && lists.containsKey(id)) {
            if ("Complete".equalsIgnoreCase(m.get("EventList"))) {
                CompletableFuture<List<Message>> done = listDone.remove(id);
                if (done != null) {
                    done.complete(List.copyOf(lists.remove(id)));
                }
            } else {
                lists.get(id).add(m);
            }
            return;
        }
        if (m.containsKey("Event")) {
            events.add(m);
            for (Consumer<Message> l : listeners) {
                try {
                    l.accept(m);
                } catch (RuntimeException e) {
                    System.err.println("AMI listener failed on " + m.event() + ": " + e);
                }
            }
        }
    }

    /** Sends an action and waits for its response. */
    Message action(Map<String, String> action) {
        String id = "t" + ids.incrementAndGet();
        CompletableFuture<Message> f = new CompletableFuture<>();
        responses.put(id, f);
        send(action, id);
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("no response to " + action + ": " + e, e);
        }
    }

    /** An action that answers with a list of events ending in a ...Complete event. */
    List<Message> list(Map<String, String> action) {
        String id = "t" + ids.incrementAndGet();
        lists.put(id, new CopyOnWriteArrayList<>());
        CompletableFuture<List<Message>> done = new CompletableFuture<>();
        listDone.put(id, done);
        send(action, id);
        try {
            return done.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("no complete list for " + action + ": " + e, e);
        }
    }

    /** Sends an action without waiting. */
    void send(Map<String, String> action, String id) {
        StringBuilder sb = new StringBuilder();
        action.forEach((k, v) -> {
            for (String line : v.split("\n")) { // a value with new lines: one header each (Variable)
                sb.append(k).append(": ").append(line).append("\r\n");
            }
        });
        sb.append("ActionID: ").append(id).append("\r\n\r\n");
        synchronized (out) {
            try {
                out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new IllegalStateException("AMI write failed: " + e.getMessage(), e);
            }
        }
    }

    String nextId() {
        return "t" + ids.incrementAndGet();
    }

    /** A channel variable or dialplan function, as Asterisk evaluates it now. */
    String getvar(String channel, String name) {
        Message r = action(Map.of("Action", "Getvar", "Channel", channel, "Variable", name));
        return r.getOrDefault("Value", "");
    }

    /** A global variable of the dialplan (Getvar without a channel). */
    String global(String name) {
        Message r = action(Map.of("Action", "Getvar", "Variable", name));
        return r.getOrDefault("Value", "");
    }

    /** A CLI command's output (the test user may run commands). */
    String command(String command) {
        Message r = action(Map.of("Action", "Command", "Command", command));
        return r.getOrDefault("Output", "");
    }

    void onEvent(Consumer<Message> listener) {
        listeners.add(listener);
    }

    void removeListener(Consumer<Message> listener) {
        listeners.remove(listener);
    }

    /** Every event so far, in order. */
    List<Message> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    List<Message> events(Predicate<Message> match) {
        return events().stream().filter(match).toList();
    }

    /** Waits for an event (one already received counts). */
    Message await(Predicate<Message> match, Duration timeout) {
        return await(match, timeout, () -> "");
    }

    /** Waits for an event (one already received counts); a failure message ends with what {@code why} says. */
    Message await(Predicate<Message> match, Duration timeout, java.util.function.Supplier<String> why) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Message m : events()) {
                if (match.test(m)) {
                    return m;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no such AMI event within " + timeout + why.get());
    }

    static Map<String, String> of(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        reader.interrupt();
    }
}
