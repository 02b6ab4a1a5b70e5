package dev.ivr.server.webhook.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivr.server.api.Auth;
import dev.ivr.server.config.TokenConfig;
import dev.ivr.server.journal.Journal;
import dev.ivr.server.journal.JournalEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A stream consumer that stops reading is disconnected once it falls behind, and the emitting thread (a call's
 * thread in the server) never waits for it.
 */
@Tag("integration")
class EventStreamSlowConsumerIT {
    Vertx vertx = Vertx.vertx();

    /** A journal that only tells its listeners (the server's keeps events on disk first). */
    static final class Live implements Journal {
        final List<Consumer<JournalEvent>> listeners = new CopyOnWriteArrayList<>();

        @Override
        public void emit(JournalEvent event) {
            listeners.forEach(l -> l.accept(event));
        }

        @Override
        public AutoCloseable subscribe(Consumer<JournalEvent> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }

    @AfterEach
    void stop() {
        vertx.close();
    }

    @Test
    void aConsumerThatStopsReadingIsDroppedNotBuffered() throws Exception {
        Live journal = new Live();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Router router = Router.router(vertx);
        new EventStreamRoutes(journal::subscribe, Duration.ofSeconds(30), meters).mount(router,
                Auth.of(List.of(new TokenConfig("sup", List.of("supervisor"), "t0ken-for-the-stream", null, null))));
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
            s.setReceiveBufferSize(4096);
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/events/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t0ken-for-the-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = new byte[12];
            assertThat(in.readNBytes(head, 0, 12)).isEqualTo(12);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            await().atMost(Duration.ofSeconds(10)).until(() -> journal.listeners.size() == 1);
            // the consumer reads nothing more; events keep coming (an emit that waited for it would hang here)
            String pad = "x".repeat(400);
            for (int i = 0; i < 50_000 && !journal.listeners.isEmpty(); i++) {
                journal.emit(JournalEvent.of(Instant.now(), JournalEvent.Type.CALL_NODE, "c" + i, "main", pad, null,
                        null, null, null, null, "n1"));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> meters.counter("ivr.events.stream.dropped").count() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> journal.listeners.isEmpty());
            // the server closed the connection: reading reaches its end
            s.setSoTimeout(20_000);
            byte[] sink = new byte[65536];
            while (in.read(sink) >= 0) {
                // drain what was sent before the close
            }
        }
    }
}
