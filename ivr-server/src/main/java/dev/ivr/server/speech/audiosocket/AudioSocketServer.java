package dev.ivr.server.speech.audiosocket;

import dev.ivr.server.net.Cidr;
import dev.ivr.server.speech.ListenResult;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The AudioSocket listener (Vert.x TCP) that Asterisk connects to for {@code EXEC AudioSocket
 * <uuid>,host:port}. Only allowed PBX addresses get in; the first frame must be the UUID of a
 * session this server expects (within 5 s); a malformed frame or an abrupt close ends only
 * that connection's session.
 */
public final class AudioSocketServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AudioSocketServer.class);
    static final long UUID_TIMEOUT_MILLIS = 5_000;

    private final Vertx vertx;
    private final List<Cidr> allow;
    private final int maxSessions;
    private final Map<UUID, SpeechSession> expected = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private NetServer server;

    private AudioSocketServer(Vertx vertx, List<Cidr> allow, int maxSessions) {
        this.vertx = vertx;
        this.allow = List.copyOf(allow);
        this.maxSessions = maxSessions;
    }

    /** Binds and listens (failing here when it cannot). */
    public static AudioSocketServer start(Vertx vertx, String bind, int port, List<Cidr> allow, int maxSessions) {
        AudioSocketServer s = new AudioSocketServer(vertx, allow, maxSessions);
        NetServer ns = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true).setIdleTimeout(60)
                .setIdleTimeoutUnit(TimeUnit.SECONDS));
        ns.connectHandler(s::accept);
        try {
            s.server = ns.listen(port, bind).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for AudioSocket on " + bind + ":" + port + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        LOG.info("AudioSocket listening on {}:{} (allow {})", bind, s.port(), allow);
        return s;
    }

    public int port() {
        return server.actualPort();
    }

    /** Connections open now. */
    public int activeConnections() {
        return connections.get();
    }

    void expect(SpeechSession session) {
        expected.put(session.id(), session);
    }

    void forget(UUID id) {
        expected.remove(id);
    }

    private void accept(NetSocket socket) {
        String remote = socket.remoteAddress().hostAddress();
        if (!allowed(remote)) {
            LOG.warn("AudioSocket connection from {} refused: not in speech.allow", remote);
            socket.close();
            return;
        }
        if (connections.incrementAndGet() > maxSessions) {
            connections.decrementAndGet();
            LOG.warn("AudioSocket connection from {} refused: {} sessions already (speech.max-sessions)", remote, maxSessions);
            socket.close();
            return;
        }
        new Connection(socket, remote).start();
    }

    private boolean allowed(String remote) {
        return Cidr.anyContains(allow, remote);
    }

    /** One TCP connection from Asterisk, on the event loop. */
    private final class Connection {
        private final NetSocket socket;
        private final String remote;
        private final AudioSocketDecoder decoder = new AudioSocketDecoder();
        private SpeechSession session;
        private boolean closed;
        private long uuidTimer;

        Connection(NetSocket socket, String remote) {
            this.socket = socket;
            this.remote = remote;
        }

        void start() {
            socket.handler(buf -> onBytes(buf.getBytes()));
            socket.closeHandler(v -> onClosed());
            socket.exceptionHandler(e -> LOG.debug("AudioSocket connection from {}: {}", remote, e.toString()));
            uuidTimer = vertx.setTimer(UUID_TIMEOUT_MILLIS, t -> {
                if (session == null && !closed) {
                    LOG.warn("AudioSocket connection from {} sent no session UUID within {} ms: closed", remote,
                            UUID_TIMEOUT_MILLIS);
                    socket.close();
                }
            });
        }

        private void onBytes(byte[] bytes) {
            if (closed) {
                return;
            }
            try {
                decoder.feed(bytes, f -> {
                    if (!closed) {
                        onFrame(f);
                    }
                });
            } catch (AudioSocketProtocolException e) {
                LOG.warn("AudioSocket protocol error from {}{}: {}; connection closed", remote,
                        session == null ? "" : " in session " + session.id() + " (call " + session.callId() + ")",
                        e.getMessage());
                if (session != null) {
                    session.abort(ListenResult.error("AudioSocket protocol error: " + e.getMessage()));
                }
                closeNow();
            }
        }

        private void onFrame(AudioSocketFrame f) {
            if (session == null) {
                if (f.kind() != AudioSocketFrame.UUID_KIND) {
                    throw new AudioSocketProtocolException("the first frame must be the UUID, got " + f);
                }
                UUID id = f.asUuid();
                SpeechSession s = expected.remove(id);
                if (s == null) {
                    LOG.warn("AudioSocket connection from {} for unknown session {}: closed", remote, id);
                    closeNow();
                    return;
                }
                vertx.cancelTimer(uuidTimer);
                session = s;
                s.attach(socket, vertx);
                return;
            }
            switch (f.kind()) {
                case AudioSocketFrame.AUDIO -> {
                    if (f.payload().length % 2 != 0) {
                        throw new AudioSocketProtocolException("audio frame with an odd number of bytes (" + f.payload().length + ")");
                    }
                    session.onAudio(f.payload());
                }
                case AudioSocketFrame.DTMF -> {
                    if (f.payload().length != 1) {
                        throw new AudioSocketProtocolException("a DTMF frame has 1 byte, got " + f.payload().length);
                    }
                    session.onDtmf((char) (f.payload()[0] & 0xff));
                }
                case AudioSocketFrame.HANGUP -> {
                    session.onClosed();
                    closeNow();
                }
                case AudioSocketFrame.ERROR -> {
                    session.abort(ListenResult.error("Asterisk reported an AudioSocket error (code "
                            + (f.payload().length > 0 ? f.payload()[0] & 0xff : -1) + ")"));
                    closeNow();
                }
                default -> throw new AudioSocketProtocolException("unexpected " + f + " after the UUID");
            }
        }

        private void closeNow() {
            if (!closed) {
                closed = true;
                socket.close();
            }
        }

        private void onClosed() {
            closed = true;
            vertx.cancelTimer(uuidTimer);
            connections.decrementAndGet();
            if (session != null) {
                session.onClosed();
            }
        }
    }

    @Override
    public void close() {
        expected.values().forEach(s -> s.abort(ListenResult.error("the server is stopping")));
        expected.clear();
        if (server != null) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("AudioSocket close: {}", e.toString());
            }
        }
    }
}
