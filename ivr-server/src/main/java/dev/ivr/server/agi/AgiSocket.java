package dev.ivr.server.agi;

import org.asteriskjava.util.SocketConnectionFacade;
import dev.ivr.server.json.PooledBytes;
import dev.ivr.server.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One FastAGI connection, as Asterisk-Java's reader and writer see it, with the guards the
 * stock implementation lacks:
 * <ul>
 *   <li>the AGI environment must arrive within the idle timeout (a deadline for the whole
 *       block, so a peer trickling bytes cannot hold the connection);</li>
 *   <li>the environment is at most {@value #MAX_ENV_LINES} variables and {@value #MAX_ENV_BYTES}
 *       bytes in all (so an allowed peer cannot park megabytes per call for the call's length);</li>
 *   <li>a line longer than the limit, an environment line that is not {@code agi_x: value},
 *       or a reply that is not {@code NNN ...}/{@code HANGUP} ends the call;</li>
 *   <li>one small buffer per connection ({@value #READ_BUFFER} bytes, for reading; {@value #ENVIRONMENT_BUFFER}
 *       while the environment is read), so thousands of waiting callers fit in little memory: a line is read straight from it, and lines written are encoded into buffers
 *       shared by all connections.</li>
 * </ul>
 * The unique id of the call goes into the logging MDC as soon as the environment names it,
 * so every line of the call, this class's included, carries it.
 *
 * <p>A prompt can be cut short from another thread ({@link #armInterrupt}, {@link #interrupt}):
 * Asterisk stops a STREAM FILE without a reply when the next command arrives while it plays, so
 * a {@code NOOP} is written then and its reply stands for the prompt's. When the prompt had
 * ended (with its own reply) before the NOOP arrived, the NOOP's reply that follows is skipped.
 * WAIT FOR DIGIT is cut the same way, but always answers (result=1 when the NOOP cut it), so the
 * NOOP's reply is always skipped then ({@link #disarm}).
 */
final class AgiSocket implements SocketConnectionFacade {
    private static final Logger LOG = LoggerFactory.getLogger(AgiSocket.class);
    /** Asterisk sends about 25 lines and at most 127 agi_arg_N (res_agi.c: MAX_ARGS 128). */
    static final int MAX_ENV_LINES = 256;
    /** All environment lines of a call together: what a peer can make the server keep for a call. */
    static final int MAX_ENV_BYTES = 64 * 1024;
    private static final ThreadLocal<AgiSocket> CURRENT = new ThreadLocal<>();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int maxLine;
    private final long idleTimeoutMillis;
    private final Consumer<AgiSocket> onClose;
    private final Consumer<String> onProtocolError;
    /** AGI replies are tens of bytes. */
    static final int READ_BUFFER = 256;
    /**
     * The environment (about 700 bytes from Asterisk, written at once) is read into a buffer this large, in one read
     * where a 256-byte buffer took three (and three timed waits), then the buffer is replaced by one of
     * {@link #READ_BUFFER} bytes before the first reply is read: a waiting call holds the small one.
     */
    static final int ENVIRONMENT_BUFFER = 2048;
    private byte[] buf = new byte[ENVIRONMENT_BUFFER];
    private int pos;
    private int limit;

    private long environmentDeadline;
    private boolean environmentDone;
    private int environmentLines;
    private long environmentBytes;
    private int lastLineBytes;
    private boolean inUsageBlock;
    private volatile boolean hangupReceived;
    private volatile String protocolError;
    private volatile boolean closed;
    private volatile boolean peerClosed;
    /** Guards writes: the call's thread writes commands, another thread may write the interrupting NOOP. */
    private final Object writeLock = new Object();
    private java.util.function.BooleanSupplier armNext;
    private java.util.function.BooleanSupplier armedStop;
    private boolean interrupted;
    private int repliesToSkip;

    AgiSocket(Socket socket, int maxLine, long idleTimeoutMillis, Consumer<AgiSocket> onClose,
              Consumer<String> onProtocolError) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.maxLine = maxLine;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.onClose = onClose;
        this.onProtocolError = onProtocolError;
        socket.setTcpNoDelay(true);
        socket.setKeepAlive(true);
    }

    /** The connection whose call runs on the current thread, or null. */
    static AgiSocket current() {
        return CURRENT.get();
    }

    static void clearCurrent() {
        CURRENT.remove();
    }

    boolean hangupReceived() {
        return hangupReceived;
    }

    /** Whether the PBX closed its side of the connection. */
    boolean peerClosed() {
        return peerClosed;
    }

    /** Why the connection was ended for a protocol error, or null. */
    String protocolError() {
        return protocolError;
    }

    @Override
    public String readLine() throws IOException {
        if (!environmentDone && environmentDeadline == 0) {
            CURRENT.set(this);
            environmentDeadline = System.nanoTime() + idleTimeoutMillis * 1_000_000L;
        }
        while (true) {
            String l = readRawLine();
            if (l == null) {
                return null;
            }
            if (!environmentDone) {
                checkEnvironmentLine(l);
                return l;
            }
            checkReplyLine(l);
            if (!inUsageBlock && !l.startsWith("HANGUP") && takeSkip()) {
                continue; // the reply to an interrupting NOOP whose prompt had already ended
            }
            return l;
        }
    }

    /**
     * The next command written (a prompt) may be interrupted: from then until {@link #disarm},
     * {@link #interrupt} writes a NOOP, once. When {@code stop} is already true once the command
     * is written, it is interrupted at once.
     */
    void armInterrupt(java.util.function.BooleanSupplier stop) {
        synchronized (writeLock) {
            armNext = stop;
            armedStop = null;
            interrupted = false;
        }
    }

    /** Cuts the armed prompt short (any thread); false when there is nothing to interrupt (not armed, or done). */
    boolean interrupt() {
        synchronized (writeLock) {
            if (armedStop == null || interrupted || closed) {
                return false;
            }
            return writeInterrupt();
        }
    }

    private boolean writeInterrupt() {
        try {
            out.write("NOOP\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            interrupted = true;
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The command's reply is in: no more interrupts.
     *
     * @param ownReply whether the reply read was the command's own (a prompt's has {@code endpos}; WAIT FOR DIGIT
     *                 always answers, result=1 when the NOOP cut it): then the NOOP's reply, if one was sent, is
     *                 still to come and is skipped; otherwise the reply read was the NOOP's
     * @return whether a NOOP was sent
     */
    boolean disarm(boolean ownReply) {
        synchronized (writeLock) {
            boolean wasInterrupted = interrupted;
            if (interrupted && ownReply) {
                repliesToSkip++;
            }
            armNext = null;
            armedStop = null;
            interrupted = false;
            return wasInterrupted;
        }
    }

    private boolean takeSkip() {
        synchronized (writeLock) {
            if (repliesToSkip > 0) {
                repliesToSkip--;
                return true;
            }
            return false;
        }
    }

    private void checkEnvironmentLine(String l) throws IOException {
        if (l.isEmpty()) {
            environmentDone = true;
            socket.setSoTimeout(0);
            return;
        }
        if (++environmentLines > MAX_ENV_LINES) {
            throw protocolError("environment_too_large", "AGI environment has more than " + MAX_ENV_LINES + " variables");
        }
        environmentBytes += lastLineBytes + 1;
        if (environmentBytes > MAX_ENV_BYTES) {
            throw protocolError("environment_too_large", "AGI environment larger than " + MAX_ENV_BYTES
                    + " bytes (after " + environmentLines + " variables)");
        }
        if (!isEnvironmentLine(l)) {
            throw protocolError("malformed_environment", "malformed AGI environment line: " + printable(l));
        }
        if (l.startsWith("agi_uniqueid: ")) {
            MDC.put("call", LogText.callId(l.substring("agi_uniqueid: ".length()).trim()));
        }
    }

    private void checkReplyLine(String l) throws IOException {
        if (inUsageBlock) {
            if (l.startsWith("520 ")) {
                inUsageBlock = false;
            }
            return;
        }
        if (l.startsWith("HANGUP")) {
            hangupReceived = true;
            return;
        }
        if (!isReplyLine(l)) {
            throw protocolError("malformed_reply", "malformed AGI reply from the PBX: " + printable(l));
        }
        if (l.startsWith("520-") || l.startsWith("520 Invalid command syntax.  Proper usage follows")) {
            inUsageBlock = true;
        }
    }

    /**
     * {@code agi_NAME:} or {@code ogi_NAME:}, then nothing or a space and the value, NAME letters, digits and
     * underscores: what the regular expression {@code (agi|ogi)_[A-Za-z0-9_]+:( .*)?} matches (no line terminator in
     * the value), without a matcher per line (about 25 lines per call).
     */
    static boolean isEnvironmentLine(String l) {
        int n = l.length();
        if (n < 6 || !(l.startsWith("agi_") || l.startsWith("ogi_"))) {
            return false;
        }
        int i = 4;
        while (i < n) {
            char c = l.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
                i++;
            } else {
                break;
            }
        }
        if (i == 4 || i == n || l.charAt(i) != ':') {
            return false;
        }
        i++;
        if (i == n) {
            return true;
        }
        return l.charAt(i) == ' ' && noLineTerminator(l, i + 1);
    }

    /** Whether no character from {@code from} on is one that the regular expressions' {@code .} does not match. */
    private static boolean noLineTerminator(String l, int from) {
        for (int i = from; i < l.length(); i++) {
            char c = l.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code NNN}, or {@code NNN} then a space or a dash and the rest of the line: what the regular
     * expression {@code \d{3}([ -].*)?} matches (no line terminator in the rest), without a matcher per reply.
     */
    static boolean isReplyLine(String l) {
        int n = l.length();
        if (n < 3) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            char c = l.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        if (n == 3) {
            return true;
        }
        char sep = l.charAt(3);
        if (sep != ' ' && sep != '-') {
            return false;
        }
        return noLineTerminator(l, 4);
    }

    private String readRawLine() throws IOException {
        byte[] line = null; // the part of a line read before the buffer ran out (rare after the environment)
        int len = 0;
        while (true) {
            if (pos >= limit) {
                if (!fill()) {
                    if (len == 0) {
                        return null;
                    }
                    break; // last line without newline
                }
            }
            int start = pos;
            int end = start;
            while (end < limit && buf[end] != '\n') {
                end++;
            }
            int n = end - start;
            if (len + n > maxLine) {
                throw protocolError("line_too_long", "line from the PBX longer than " + maxLine + " bytes");
            }
            boolean newline = end < limit;
            pos = newline ? end + 1 : end;
            if (newline && line == null) {
                return text(buf, start, n); // the usual case: the whole line in the buffer, read from there
            }
            if (line == null) {
                line = new byte[Math.min(maxLine + 1, Math.max(256, n * 2))];
            } else if (len + n > line.length) {
                line = java.util.Arrays.copyOf(line, Math.min(maxLine + 1, Math.max(len + n, line.length * 2)));
            }
            System.arraycopy(buf, start, line, len, n);
            len += n;
            if (newline) {
                break;
            }
        }
        return text(line, 0, len);
    }

    /** The line without its CR, if it has one. */
    private String text(byte[] bytes, int from, int len) {
        if (len > 0 && bytes[from + len - 1] == '\r') {
            len--;
        }
        lastLineBytes = len;
        return new String(bytes, from, len, StandardCharsets.UTF_8);
    }

    private boolean fill() throws IOException {
        if (environmentDone && buf.length > READ_BUFFER) {
            buf = new byte[READ_BUFFER]; // everything read from the large one was taken (pos >= limit)
        }
        if (!environmentDone) {
            long left = (environmentDeadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw idleTimeout();
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        }
        int n;
        try {
            n = in.read(buf, 0, buf.length);
        } catch (SocketTimeoutException e) {
            throw idleTimeout();
        }
        if (n < 0) {
            peerClosed = true;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    private AgiProtocolException idleTimeout() {
        return protocolError("idle_timeout", "no complete AGI environment within " + idleTimeoutMillis + " ms");
    }

    /** Logs, counts and closes at once: nothing more is sent to a peer that broke the protocol. */
    private AgiProtocolException protocolError(String kind, String message) {
        protocolError = kind;
        LOG.warn("closing AGI connection from {}: {}", describePeer(), message);
        onProtocolError.accept(kind);
        try {
            close();
        } catch (IOException e) {
            // closing anyway
        }
        return new AgiProtocolException(kind, message);
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder sb = new StringBuilder(cut.length() + 2).append('\'');
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.append('\'').toString();
    }

    String describePeer() {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    @Override
    public void write(String s) throws IOException {
        synchronized (writeLock) {
            if (closed) {
                throw new IOException("connection closed");
            }
            out.write(s.getBytes(StandardCharsets.UTF_8));
            armAfterWrite();
        }
    }

    /** A command was written: an armed prompt is now interruptible (and interrupted at once if its stop came). */
    private void armAfterWrite() throws IOException {
        if (armNext != null) {
            armedStop = armNext;
            armNext = null;
            if (armedStop.getAsBoolean()) {
                out.flush();
                writeInterrupt();
            }
        }
    }

    /**
     * Writes one command line and its newline, and flushes: what Asterisk-Java's writer does with
     * {@code write(buildCommand() + "\n")} and {@code flush()}, in one lock and without the string copies: the line is
     * encoded into a {@link PooledBytes} buffer (shared by all connections, so a waiting call holds none), ASCII (the
     * usual case) byte for byte, anything else by the JDK's UTF-8 encoder.
     */
    void writeLine(CharSequence command) throws IOException {
        PooledBytes line = PooledBytes.take();
        try {
            if (!line.writeAscii(command)) {
                line.writeBytes(command.toString().getBytes(StandardCharsets.UTF_8));
            }
            line.write('\n');
            synchronized (writeLock) {
                if (closed) {
                    throw new IOException("connection closed");
                }
                out.write(line.bytes(), 0, line.size());
                armAfterWrite();
                out.flush();
            }
        } finally {
            line.giveBack();
        }
    }

    @Override
    public void flush() throws IOException {
        synchronized (writeLock) {
            out.flush();
        }
    }

    /** Set when the server cut the connection itself (the end of a shutdown's drain time): not the caller's doing. */
    private volatile boolean cutByServer;

    /** Closes a call still in progress when the server stops: its call is recorded as cut, not as a hang-up. */
    void cut() throws IOException {
        cutByServer = true;
        close();
    }

    boolean cutByServer() {
        return cutByServer;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            socket.close();
        } finally {
            onClose.accept(this);
        }
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected() && !socket.isClosed();
    }

    @Override
    public InetAddress getLocalAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    public InetAddress getRemoteAddress() {
        return socket.getInetAddress();
    }

    @Override
    public int getRemotePort() {
        return socket.getPort();
    }
}
