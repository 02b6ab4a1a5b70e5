package dev.ivr.fakepbx;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PBX side of {@code EXEC AudioSocket <uuid>,host:port} as Asterisk 20 runs it
 * (docs/asterisk-behaviour.md): connect, send the UUID frame, stream the caller's audio as 20 ms
 * frames of 8 kHz 16-bit little-endian slin (silence when the caller says nothing, as with
 * transmit_silence), DTMF as a 1-byte frame, until the server sends a hangup frame or closes.
 * A caller hanging up closes the TCP connection without a hangup frame.
 */
final class AudioSocketClient {
    static final int FRAME_BYTES = 320;
    /** The fake caller never streams more than this much audio (then it waits for the server). */
    static final int MAX_FRAMES = 3000;
    /** Silence streamed before a scripted key or hang-up (200 ms). */
    static final int LEAD_FRAMES = 10;

    /** What the caller does while the server listens. */
    record Plan(byte[] speech, Character key, boolean hangUp) {
        static Plan silence() {
            return new Plan(new byte[0], null, false);
        }
    }

    private AudioSocketClient() {
    }

    @SuppressWarnings("try") // the socket is closed early on purpose (the caller hangs up), then again by try
    static AudioSocketSession run(String argument, Plan plan, Duration pacing) {
        int comma = argument.indexOf(',');
        UUID uuid;
        String host;
        int port;
        try {
            uuid = UUID.fromString(argument.substring(0, comma).trim());
            String address = argument.substring(comma + 1).trim();
            int colon = address.lastIndexOf(':');
            host = address.substring(0, colon).replace("[", "").replace("]", "");
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (RuntimeException e) {
            return new AudioSocketSession(null, argument, false, 0, 0, null, false, false,
                    "bad AudioSocket argument '" + argument + "' (want uuid,host:port)");
        }
        String address = host + ":" + port;
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            try {
                s.connect(new InetSocketAddress(host, port), 5_000);
            } catch (IOException e) {
                return new AudioSocketSession(uuid, address, false, 0, 0, null, false, false, "connect: " + e.getMessage());
            }
            OutputStream out = s.getOutputStream();
            AtomicBoolean serverEnded = new AtomicBoolean();
            AtomicInteger fromServer = new AtomicInteger();
            CountDownLatch ended = new CountDownLatch(1);
            Thread reader = Thread.ofVirtual().name("fake-audiosocket-" + uuid).start(() -> {
                try {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    while (true) {
                        int kind = in.readUnsignedByte();
                        int len = in.readUnsignedShort();
                        in.skipNBytes(len);
                        if (kind == 0x10) {
                            fromServer.incrementAndGet();
                        } else if (kind == 0x00) {
                            break;
                        }
                    }
                } catch (EOFException e) {
                    // the server closed
                } catch (IOException e) {
                    // closed by us or reset
                }
                serverEnded.set(true);
                ended.countDown();
            });
            int sent = 0;
            Pacer pacer = new Pacer(pacing);
            Character dtmf = null;
            boolean hungUp = false;
            try {
                frame(out, 0x01, ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                        .putLong(uuid.getLeastSignificantBits()).array());
                // the caller speaks (if scripted), then silence flows
                byte[] speech = plan.speech();
                for (int off = 0; off < speech.length && !serverEnded.get(); off += FRAME_BYTES) {
                    byte[] f = new byte[FRAME_BYTES];
                    System.arraycopy(speech, off, f, 0, Math.min(FRAME_BYTES, speech.length - off));
                    frame(out, 0x10, f);
                    sent++;
                    pacer.next();
                }
                byte[] silence = new byte[FRAME_BYTES];
                boolean keyOrHangup = plan.key() != null || plan.hangUp();
                while (!serverEnded.get() && sent < MAX_FRAMES) {
                    if (keyOrHangup && sent >= speech.length / FRAME_BYTES + LEAD_FRAMES) {
                        if (plan.hangUp()) {
                            hungUp = true;
                            s.setSoLinger(true, 0);
                            break; // close abruptly: no hangup frame
                        }
                        frame(out, 0x03, new byte[]{(byte) plan.key().charValue()});
                        dtmf = plan.key();
                        keyOrHangup = false;
                    }
                    frame(out, 0x10, silence);
                    sent++;
                    pacer.next();
                }
            } catch (IOException e) {
                // the server closed while we were writing: it ended the session
            }
            if (!hungUp) {
                try {
                    if (!ended.await(30, TimeUnit.SECONDS)) {
                        return new AudioSocketSession(uuid, address, true, sent, fromServer.get(), dtmf, false, false,
                                "the server did not end the session");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            s.close();
            reader.join(5_000);
            return new AudioSocketSession(uuid, address, true, sent, fromServer.get(), dtmf, !hungUp && serverEnded.get(),
                    hungUp, null);
        } catch (IOException e) {
            return new AudioSocketSession(uuid, address, true, 0, 0, null, false, false, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AudioSocketSession(uuid, address, true, 0, 0, null, false, false, "interrupted");
        }
    }

    private static void frame(OutputStream out, int kind, byte[] payload) throws IOException {
        byte[] b = new byte[3 + payload.length];
        b[0] = (byte) kind;
        b[1] = (byte) (payload.length >> 8);
        b[2] = (byte) payload.length;
        System.arraycopy(payload, 0, b, 3, payload.length);
        out.write(b);
        out.flush();
    }

    /**
     * Frames on a clock, as Asterisk sends them: frame n leaves at n times the pacing after the
     * first (sleeping only for what is left), so a 20 ms pacing is 50 frames a second however
     * long each write takes.
     */
    private static final class Pacer {
        private final long stepNanos;
        private long due = System.nanoTime();

        Pacer(Duration pacing) {
            this.stepNanos = pacing.toNanos();
        }

        void next() {
            if (stepNanos == 0) {
                return;
            }
            due += stepNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
