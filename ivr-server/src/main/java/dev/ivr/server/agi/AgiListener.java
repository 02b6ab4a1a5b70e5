package dev.ivr.server.agi;

import dev.ivr.server.call.CallEnd;
import dev.ivr.server.call.ScriptResolver;
import dev.ivr.server.config.AgiConfig;
import dev.ivr.server.health.Health;
import dev.ivr.server.net.Cidr;
import dev.ivr.server.wire.OffCallThread;
import io.micrometer.core.instrument.MeterRegistry;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiChannelFactory;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiNetworkException;
import org.asteriskjava.fastagi.AgiReader;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiWriter;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.internal.AgiChannelImpl;
import org.asteriskjava.fastagi.reply.AgiReply;
import org.asteriskjava.util.ServerSocketFacade;
import org.asteriskjava.util.SocketConnectionFacade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import javax.net.ServerSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The FastAGI listener: Asterisk-Java's {@link DefaultAgiServer} with one thread per call (virtual, or a pooled
 * platform thread with {@code agi.call-threads: platform}) instead of its bounded platform-thread pool,
 * an allowlist of PBX addresses checked before anything is read, guarded connections ({@link AgiSocket}), a cap on calls, per-command
 * latency metrics and a graceful drain.
 */
public final class AgiListener {
    private static final Logger LOG = LoggerFactory.getLogger(AgiListener.class);
    /** A failed accept keeps health DOWN this long (failures repeat every 100 ms while they last). */
    private static final long ACCEPT_FAILURE_MEMORY_NANOS = 2_000_000_000L;

    private final AgiConfig config;
    private final List<Cidr> allow;
    private final AgiMetrics metrics;
    private final CallDispatcher dispatcher;
    private final Set<AgiSocket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger activeCalls = new AtomicInteger();
    private final AtomicLong threadCounter = new AtomicLong();
    private final ServerSocketFactory sockets;
    /** Accepts that failed in a row (0 after any success), the last failure and when: DOWN while they go on. */
    private final AtomicInteger acceptFailures = new AtomicInteger();
    private volatile String acceptError;
    private volatile long acceptFailedAt;
    /** An error no call can recover from (a class that cannot initialise, out of memory): DOWN for good. */
    private volatile String broken;
    private volatile ServerSocket serverSocket;
    private volatile boolean accepting;
    private Server server;
    private Thread acceptThread;

    public AgiListener(AgiConfig config, String nodeName, ScriptResolver scripts, MeterRegistry registry) {
        this(config, nodeName, scripts, registry, ServerSocketFactory.getDefault());
    }

    /** With the server socket made by {@code sockets} (tests make one that fails). */
    AgiListener(AgiConfig config, String nodeName, ScriptResolver scripts, MeterRegistry registry, ServerSocketFactory sockets) {
        this.sockets = sockets;
        this.config = config;
        this.allow = Cidr.parseAll(config.allow());
        this.metrics = new AgiMetrics(registry, activeCalls::get);
        this.dispatcher = new CallDispatcher(nodeName, scripts, metrics, activeCalls);
    }

    /** Binds the port (failing here if it cannot) and starts accepting calls. */
    public synchronized void start() throws IOException {
        if (serverSocket != null) {
            throw new IllegalStateException("already started");
        }
        ServerSocket ss = sockets.createServerSocket();
        ss.setReuseAddress(true);
        try {
            ss.bind(new InetSocketAddress(InetAddress.getByName(config.bind()), config.port()), 4096);
        } catch (IOException e) {
            ss.close();
            throw new IOException("cannot listen for FastAGI on " + config.bind() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        serverSocket = ss;
        accepting = true;
        server = new Server(new GuardedServerSocket());
        acceptThread = Thread.ofPlatform().name("agi-accept").daemon(true).start(() -> {
            try {
                server.startup();
            } catch (IOException e) {
                LOG.error("FastAGI listener stopped: {}", e.getMessage());
            } catch (Error e) {
                broken = "the accept loop died: " + e;
                LOG.error("FastAGI listener stopped: {}", e.toString(), e);
            }
        });
        LOG.info("FastAGI listening on {}:{} (allow {})", config.bind(), port(), config.allow());
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return serverSocket == null ? -1 : serverSocket.getLocalPort();
    }

    public boolean isListening() {
        return accepting && serverSocket != null && !serverSocket.isClosed() && acceptThread != null && acceptThread.isAlive();
    }

    /**
     * UP while calls can be accepted; DOWN when the listener is closed, its accept loop is gone, accepting has
     * failed since the last success (out of file descriptors ...), or a call died of an error the process cannot
     * recover from.
     */
    public Health health() {
        if (broken != null) {
            return Health.down(broken);
        }
        if (!isListening()) {
            return Health.down("not listening");
        }
        int failures = acceptFailures.get();
        if (failures > 0 && System.nanoTime() - acceptFailedAt < ACCEPT_FAILURE_MEMORY_NANOS) {
            return Health.down("cannot accept calls (" + failures + " failure(s) in a row): " + acceptError);
        }
        return Health.up("listening on " + config.bind() + ":" + port() + ", " + activeCalls() + " call(s)");
    }

    public int activeCalls() {
        return activeCalls.get();
    }

    public int openConnections() {
        return connections.size();
    }

    /** Stops accepting new connections; calls in progress go on. */
    public synchronized void stopAccepting() {
        if (!accepting) {
            return;
        }
        accepting = false;
        if (server != null) {
            server.shutdown(); // closes the server socket; the accept loop ends
        }
        if (acceptThread != null) {
            try {
                acceptThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits up to {@code time} for calls in progress to end.
     *
     * @return true if none is left
     */
    public boolean drain(Duration time) {
        long deadline = System.nanoTime() + time.toNanos();
        int lastLogged = -1;
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            int n = connections.size();
            if (n != lastLogged) {
                LOG.info("waiting for {} call(s) to finish (up to {} s more)", n,
                        Math.max(0, (deadline - System.nanoTime()) / 1_000_000_000));
                lastLogged = n;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return connections.isEmpty();
    }

    /**
     * Stops accepting, cuts every remaining connection, and waits (up to {@link #CALLS_END_AFTER_CUT}) for the cut
     * calls' threads to end: what a call does when it ends (its journal, its counts) runs before what closes after.
     */
    public void close() {
        stopAccepting();
        int n = connections.size();
        if (n > 0) {
            LOG.warn("cutting {} call(s) still in progress", n);
        }
        for (AgiSocket s : List.copyOf(connections)) {
            try {
                s.cut();
            } catch (IOException e) {
                // closing anyway
            }
        }
        if (server != null) {
            server.endCallThreads(); // a pooled thread ends once its call has, so the joins below wait for the calls
        }
        long deadline = System.nanoTime() + CALLS_END_AFTER_CUT.toNanos();
        for (Thread t : List.copyOf(callThreads)) {
            try {
                if (!t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    LOG.warn("call thread {} still running after its call was cut", t.getName());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** How long {@link #close} waits for the threads of the calls it cut to end. */
    static final Duration CALLS_END_AFTER_CUT = Duration.ofSeconds(5);
    /** The threads running calls (see {@link #close}). */
    private final java.util.Set<Thread> callThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();

    // ------------------------------------------------------------------------

    /** Asterisk-Java's server with our socket, executor and channel factory. */
    private final class Server extends DefaultAgiServer {
        private final GuardedServerSocket socket;

        /** The calls' platform threads, reused ({@code agi.call-threads: platform}); null for virtual threads. */
        private final ThreadPoolExecutor pool;

        Server(GuardedServerSocket socket) {
            super(null, (request, channel) -> dispatcher.scriptFor(request), new MeteredChannelFactory(metrics));
            this.socket = socket;
            // reused, because a platform thread started per call measured too slow to start at 5,000 calls (the accept
            // loop waits for each); as many as there are calls (agi.max-calls caps them); an idle one ends after a minute
            pool = !config.platformCallThreads() ? null
                    : new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                            OffCallThread.platformCallThreads().daemon(true).stackSize(config.callThreadStackKb() * 1024L)
                                    .name("call-pool-", 1).factory());
        }

        @Override
        protected ServerSocketFacade createServerSocket() {
            return socket;
        }

        /**
         * One thread per call, instead of the stock bounded platform-thread pool: virtual, or with
         * {@code agi.call-threads: platform} a daemon platform thread with {@code agi.call-thread-stack-kb} of stack,
         * reused from call to call (named for the call while it runs it).
         */
        @Override
        protected void execute(Runnable command) {
            String name = "call-" + threadCounter.incrementAndGet();
            if (pool != null) {
                pool.execute(() -> {
                    Thread t = Thread.currentThread();
                    String idle = t.getName(); // call-pool-N: what a thread dump shows between calls
                    t.setName(name);
                    try {
                        runCall(command);
                    } finally {
                        t.setName(idle);
                    }
                });
            } else {
                Thread.ofVirtual().name(name).start(() -> runCall(command));
            }
        }

        private void runCall(Runnable command) {
            callThreads.add(Thread.currentThread());
            try {
                CallEnd.run(command); // the call, its connection's close, then what waits for no one (CallEnd)
            } catch (VirtualMachineError | LinkageError e) { // every later call would fail the same way
                broken = "a call failed with " + e;
                LOG.error("call failed: {}", e.toString(), e);
                throw e;
            } finally {
                MDC.clear();
                AgiSocket.clearCurrent();
                callThreads.remove(Thread.currentThread());
            }
        }

        /** Lets the pooled call threads end once their calls have (nothing when calls have threads of their own). */
        void endCallThreads() {
            if (pool != null) {
                pool.shutdown();
            }
        }

        @Override
        protected void handleException(String message, Exception e) {
            if (accepting) {
                LOG.warn("{}: {}", message, e.toString());
            }
        }

        @Override
        public synchronized void shutdown() {
            super.shutdown();
        }
    }

    /** Accepts only allowed PBX addresses, within the call cap, and wraps each connection. */
    private final class GuardedServerSocket implements ServerSocketFacade {
        @Override
        public SocketConnectionFacade accept() throws IOException {
            while (true) {
                Socket s;
                try {
                    s = serverSocket.accept();
                    acceptFailures.set(0);
                } catch (IOException e) {
                    if (accepting) {
                        acceptError = e.getMessage();
                        acceptFailedAt = System.nanoTime();
                        if (acceptFailures.incrementAndGet() == 1) {
                            LOG.error("FastAGI cannot accept calls: {}", e.getMessage());
                        }
                        pause(); // the same failure again at once would spin
                    }
                    throw e;
                }
                InetAddress peer = s.getInetAddress();
                String reason = null;
                if (!accepting) {
                    reason = "shutdown";
                } else if (allow.stream().noneMatch(c -> c.contains(peer))) {
                    reason = "allowlist";
                    LOG.warn("refused FastAGI connection from {}: not in agi.allow {}", peer.getHostAddress(), config.allow());
                } else if (connections.size() >= config.maxCalls()) {
                    reason = "capacity";
                    LOG.warn("refused FastAGI connection from {}: {} calls in progress (agi.max-calls)",
                            peer.getHostAddress(), connections.size());
                }
                if (reason != null) {
                    metrics.refused(reason);
                    closeQuietly(s);
                    continue;
                }
                AgiSocket conn = new AgiSocket(s, config.maxLineLength(), config.idleTimeout().toMillis(),
                        connections::remove, metrics::protocolError);
                connections.add(conn);
                return conn;
            }
        }

        @Override
        public void close() throws IOException {
            serverSocket.close();
        }

        @Override
        public void setSocketReadTimeout(int socketReadTimeout) {
            // timeouts are per connection phase, see AgiSocket
        }

        private void pause() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }

        private void closeQuietly(Socket s) {
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    /** Times each command from send to reply into the latency histogram. */
    private static final class MeteredChannelFactory implements AgiChannelFactory {
        private final AgiMetrics metrics;

        MeteredChannelFactory(AgiMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public AgiChannel createAgiChannel(AgiRequest request, AgiWriter writer, AgiReader reader) {
            AgiSocket socket = AgiSocket.current(); // this runs on the call's thread, which read the environment
            AgiEnvironment.share(request.getRequest()); // kept for the whole call: its strings shared with the others'
            return new MeteredChannel(request, new TimedWriter(metrics, writer, socket), reader);
        }
    }

    /**
     * Writes each command, timing the server's turn before it and, with the reply read, its round
     * trip. The line is written by {@link AgiCommandLine} straight into the connection (what
     * Asterisk-Java's writer would send, without its per-argument regular expressions).
     */
    private static final class TimedWriter implements AgiWriter {
        private final AgiMetrics metrics;
        private final AgiWriter writer;
        private final AgiSocket socket;
        private final StringBuilder line = new StringBuilder(128);
        /** When the last reply (or the AGI environment) was read. */
        long readAt = System.nanoTime();
        long sentAt;
        AgiMetrics.CommandMeters pending;

        TimedWriter(AgiMetrics metrics, AgiWriter writer, AgiSocket socket) {
            this.metrics = metrics;
            this.writer = writer;
            this.socket = socket;
        }

        @Override
        public void sendCommand(AgiCommand command) throws AgiException {
            AgiMetrics.CommandMeters meters = metrics.meters(command);
            sentAt = System.nanoTime();
            meters.response(sentAt - readAt);
            pending = meters;
            if (socket == null) {
                writer.sendCommand(command);
                return;
            }
            line.setLength(0);
            AgiCommandLine.append(line, command);
            try {
                socket.writeLine(line);
            } catch (IOException e) {
                throw new AgiNetworkException("Unable to send command to Asterisk: " + e.getMessage(), e);
            } finally {
                if (line.capacity() > 4096) {
                    line.setLength(0);
                    line.trimToSize(); // a long VERBOSE or EXEC: do not keep its buffer for the call
                }
            }
        }

        /** A reply was read. */
        void replied() {
            readAt = System.nanoTime();
            AgiMetrics.CommandMeters m = pending;
            if (m != null) {
                m.roundTrip(readAt - sentAt);
                pending = null;
            }
        }
    }

    /** Asterisk-Java's reader, telling the writer when each reply is in. */
    private static final class TimedReader implements AgiReader {
        private final AgiReader reader;
        private final TimedWriter writer;

        TimedReader(AgiReader reader, TimedWriter writer) {
            this.reader = reader;
            this.writer = writer;
        }

        @Override
        public AgiRequest readRequest() throws AgiException {
            return reader.readRequest();
        }

        @Override
        public AgiReply readReply() throws AgiException {
            AgiReply reply = reader.readReply();
            writer.replied();
            return reply;
        }
    }

    /** Asterisk-Java's channel; its constructor is protected. */
    private static final class MeteredChannel extends AgiChannelImpl {
        MeteredChannel(AgiRequest request, TimedWriter writer, AgiReader reader) {
            super(request, writer, new TimedReader(reader, writer));
        }
    }
}
