package dev.ivr.server.desk;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;


/**
 * A test client of one server's desk API and WebSocket (java.net.http, nothing else); public for
 * other features' end-to-end tests (a call through the fake PBX popping on an agent's desktop).
 */
public final class DeskClient {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public record Reply(int status, String body, java.net.http.HttpHeaders headers) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonObject json() {
            return body == null || body.isBlank() ? new JsonObject() : new JsonObject(body);
        }

        public String error() {
            return json().getString("error");
        }
    }

    private final String base;

    public DeskClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public String base() {
        return base;
    }

    public Reply get(String path, String token) {
        return send("GET", path, token, null);
    }

    public Reply post(String path, String token, JsonObject body) {
        return send("POST", path, token, body);
    }

    public Reply send(String method, String path, String token, JsonObject body) {
        return send(method, path, token, body, null);
    }

    public Reply send(String method, String path, String token, JsonObject body, String contextHeader) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contextHeader != null) {
            b.header("X-IVR-Context", contextHeader);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        }
    }

    /** Signs in; returns the session token. */
    public String login(String id, String password) {
        Reply r = post("/api/login", null, new JsonObject().put("id", id).put("password", password));
        if (r.status() != 200) {
            throw new AssertionError("login of " + id + ": " + r);
        }
        return r.json().getString("token");
    }

    /** Creates a user through the admin API. */
    public void createUser(String adminToken, JsonObject user) {
        Reply r = post("/api/users", adminToken, user);
        if (r.status() != 201) {
            throw new AssertionError("create user " + user.getString("id") + ": " + r);
        }
    }

    /** Opens the live WebSocket with a ticket bought by {@code token}. */
    public Live live(String token) {
        Reply t = post("/api/ws-ticket", token, null);
        if (t.status() != 200) {
            throw new AssertionError("ws-ticket: " + t);
        }
        return connect(t.json().getString("ticket"));
    }

    public Live connect(String ticket) {
        Live live = new Live();
        URI uri = URI.create(base.replace("http:", "ws:") + "/api/ws?ticket=" + ticket);
        live.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, live).join();
        return live;
    }

    /** A WebSocket that keeps every text message it receives. */
    public static final class Live implements WebSocket.Listener, AutoCloseable {
        public final List<JsonObject> messages = new CopyOnWriteArrayList<>();
        public final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(new JsonObject(partial.toString()));
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }

        /** The first message matching, waiting for it. */
        public JsonObject await(Predicate<JsonObject> match) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> find(match).isPresent());
            return find(match).orElseThrow();
        }

        public JsonObject awaitType(String type) {
            return await(m -> type.equals(m.getString("type")));
        }

        /** Sends a message to the server. */
        public void send(JsonObject message) {
            socket.sendText(message.encode(), true).join();
        }

        public Optional<JsonObject> find(Predicate<JsonObject> match) {
            return messages.stream().filter(match).findFirst();
        }

        @Override
        public void close() {
            if (socket != null && !socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
            }
        }
    }
}
