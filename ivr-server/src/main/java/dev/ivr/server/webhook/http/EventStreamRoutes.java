package dev.ivr.server.webhook.http;

import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpErrors;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.webhook.EventJson;
import dev.ivr.server.webhook.Subscription;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/events/stream} (supervisor, admin): the journal events of the whole cluster as server-sent events
 * (from {@code webhook.store.JournalTail}, within about a second of being written),
 * {@code id:} the event id, {@code event:} its wire type, {@code data:} its JSON; {@code types=call.queued,call.ended}
 * and {@code queue=} filter. A comment line every {@code webhooks.stream-heartbeat} keeps proxies from closing the stream. Events
 * are handed over from the source's thread to a bounded queue and written on the connection's event loop; a
 * consumer that falls {@link #MAX_BEHIND} events behind is disconnected (counted in
 * {@code ivr.events.stream.dropped}), never buffered without bound. At most {@link #MAX_STREAMS} streams at once.
 */
public final class EventStreamRoutes implements HttpRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamRoutes.class);
    static final int MAX_BEHIND = 1000;
    static final int MAX_STREAMS = 64;

    private final Source source;
    private final Duration heartbeat;
    private final Counter dropped;
    private final AtomicInteger open = new AtomicInteger();

    /** Where the events come from: the cluster's journal tail (or, in tests, a journal's own listeners). */
    @FunctionalInterface
    public interface Source {
        /** Hears events until the result is closed; the listener must not block. */
        AutoCloseable subscribe(java.util.function.Consumer<JournalEvent> listener);
    }

    public EventStreamRoutes(Source source, Duration heartbeat, MeterRegistry meters) {
        this.source = source;
        this.heartbeat = heartbeat;
        this.dropped = Counter.builder("ivr.events.stream.dropped")
                .description("Event-stream consumers disconnected because they read too slowly").register(meters);
        meters.gauge("ivr.events.streams", open);
    }

    @Override
    public void mount(Router router, Auth auth) {
        router.get("/api/events/stream").handler(auth.require("supervisor")).handler(this::stream);
    }

    private void stream(RoutingContext ctx) {
        Set<JournalEvent.Type> types;
        String queue = ctx.request().getParam("queue");
        try {
            String t = ctx.request().getParam("types");
            types = t == null || t.isBlank() ? EnumSet.allOf(JournalEvent.Type.class)
                    : Subscription.parseTypes(Arrays.asList(t.split(",")));
        } catch (IllegalArgumentException e) {
            HttpErrors.send(ctx, 400, e.getMessage());
            return;
        }
        if (open.incrementAndGet() > MAX_STREAMS) {
            open.decrementAndGet();
            HttpErrors.send(ctx, 503, "too many event streams are open (" + MAX_STREAMS + ")");
            return;
        }
        HttpServerResponse response = ctx.response();
        response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
        Consumer c = new Consumer(ctx.vertx().getOrCreateContext(), response, types, queue);
        response.write(": ivr event stream\nretry: 3000\n\n");
        AutoCloseable subscription = source.subscribe(c::offer);
        long timer = ctx.vertx().setPeriodic(heartbeat.toMillis(), id -> c.push(": heartbeat\n\n"));
        AtomicBoolean closed = new AtomicBoolean();
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                c.dead = true;
                ctx.vertx().cancelTimer(timer);
                try {
                    subscription.close();
                } catch (Exception ignored) {
                    // a list removal
                }
                open.decrementAndGet();
            }
        };
        response.closeHandler(v -> close.run());
        response.endHandler(v -> close.run());
        c.onDrop = () -> {
            dropped.increment();
            LOG.warn("event stream consumer dropped: more than {} events behind", MAX_BEHIND);
            close.run();
            ctx.request().connection().close();
        };
    }

    /** One stream's bounded hand-over from emitting threads to its event loop. */
    private static final class Consumer {
        private final Context context;
        private final HttpServerResponse response;
        private final Set<JournalEvent.Type> types;
        private final String queue;
        private final Queue<String> frames = new ConcurrentLinkedQueue<>();
        private final AtomicInteger waiting = new AtomicInteger();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private volatile boolean dead;
        volatile Runnable onDrop = () -> {
        };

        Consumer(Context context, HttpServerResponse response, Set<JournalEvent.Type> types, String queue) {
            this.context = context;
            this.response = response;
            this.types = types;
            this.queue = queue;
        }

        /** From the emitting thread: never blocks. */
        void offer(JournalEvent e) {
            if (dead || !types.contains(e.type()) || queue != null && !queue.equals(e.queue())) {
                return;
            }
            push("id: " + e.id() + "\nevent: " + e.type().wire() + "\ndata: " + EventJson.of(e) + "\n\n");
        }

        void push(String frame) {
            if (dead) {
                return;
            }
            if (waiting.incrementAndGet() > MAX_BEHIND) {
                dead = true;
                frames.clear();
                context.runOnContext(v -> onDrop.run());
                return;
            }
            frames.add(frame);
            if (scheduled.compareAndSet(false, true)) {
                context.runOnContext(v -> drain());
            }
        }

        /** On the event loop: writes while the connection takes it, then waits for it to drain. */
        private void drain() {
            scheduled.set(false);
            while (!dead && !response.writeQueueFull()) {
                String f = frames.poll();
                if (f == null) {
                    return;
                }
                waiting.decrementAndGet();
                response.write(f);
            }
            if (!dead && !frames.isEmpty() && scheduled.compareAndSet(false, true)) {
                response.drainHandler(v -> drain());
            }
        }
    }
}
