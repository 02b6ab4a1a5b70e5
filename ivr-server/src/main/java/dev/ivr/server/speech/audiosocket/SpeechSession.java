package dev.ivr.server.speech.audiosocket;

import dev.ivr.server.speech.ListenRequest;
import dev.ivr.server.speech.ListenResult;
import dev.ivr.server.speech.Recognizer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import dev.ivr.server.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One listen: the AudioSocket connection Asterisk opened for it, end-of-speech detection and
 * the recognizer, fed on a platform thread of its own (recognition never runs on the event
 * loop, nor on a virtual thread, whose carrier a decoder in native code would hold). Ends once with a {@link ListenResult}; then the server sends the hangup frame and
 * closes the connection, which makes Asterisk's {@code EXEC AudioSocket} return.
 */
final class SpeechSession {
    private static final Logger LOG = LoggerFactory.getLogger(SpeechSession.class);
    private static final byte[] GUARD = new byte[0];
    private static final byte[] STOP = new byte[0];
    /** Audio kept from before speech starts, so the first syllable is not lost (300 ms). */
    private static final int PREROLL_FRAMES = 15;
    /** Frames waiting for the recognizer before the session gives up (10 s of audio). */
    private static final int MAX_QUEUED = 500;

    private final UUID id;
    private final String callId;
    private final ListenRequest request;
    private final Recognizer recognizer;
    private final EndOfSpeech vad;
    private final Duration wallClockLimit;
    private final CompletableFuture<ListenResult> result = new CompletableFuture<>();
    private final BlockingQueue<byte[]> audio = new LinkedBlockingQueue<>();
    private volatile NetSocket socket;
    private volatile Vertx vertx;
    private long silenceTimer = -1;
    private long guardTimer = -1;
    private volatile boolean attached;
    private volatile long framesReceived;

    SpeechSession(UUID id, String callId, ListenRequest request, Recognizer recognizer, EndOfSpeech vad,
                  Duration wallClockLimit) {
        this.id = id;
        this.callId = callId;
        this.request = request;
        this.recognizer = recognizer;
        this.vad = vad;
        this.wallClockLimit = wallClockLimit;
    }

    UUID id() {
        return id;
    }

    String callId() {
        return callId;
    }

    CompletableFuture<ListenResult> result() {
        return result;
    }

    boolean isAttached() {
        return attached;
    }

    long framesReceived() {
        return framesReceived;
    }

    /** Asterisk connected for this session (on the event loop). */
    void attach(NetSocket s, Vertx v) {
        socket = s;
        vertx = v;
        attached = true;
        // keep media flowing towards Asterisk: without it the application gives up after about 2 s
        s.write(Buffer.buffer(AudioSocketFrame.silence().encode()));
        silenceTimer = v.setPeriodic(EndOfSpeech.FRAME_MILLIS, t -> {
            if (!result.isDone()) {
                s.write(Buffer.buffer(AudioSocketFrame.silence().encode()));
            }
        });
        guardTimer = v.setTimer(wallClockLimit.toMillis(), t -> audio.offer(GUARD));
        Thread.ofPlatform().daemon().name("speech-" + id).start(this::recognise);
        log("speech session {} started ({}, {})", id, request.language(),
                request.phrases().isEmpty() ? "free text" : request.phrases().size() + " phrase(s)");
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: the connection's event loop; others only read it
    void onAudio(byte[] slin) {
        framesReceived++;
        if (audio.size() >= MAX_QUEUED) {
            end(ListenResult.error("the recognizer cannot keep up with the audio"));
            return;
        }
        audio.offer(slin);
    }

    void onDtmf(char key) {
        if (request.keys().indexOf(key) >= 0) {
            end(ListenResult.key(key));
        } else {
            log("key {} ignored while listening (not one of '{}')", key, request.keys());
        }
    }

    /** The connection closed without the server ending the session: the caller hung up. */
    void onClosed() {
        if (!result.isDone()) {
            log("AudioSocket closed by Asterisk during session {}: the caller hung up", id);
        }
        finish(ListenResult.hangup());
    }

    /** Ends the session with this result (first one wins), telling Asterisk. */
    void end(ListenResult r) {
        if (finish(r)) {
            NetSocket s = socket;
            if (s != null) {
                s.write(Buffer.buffer(AudioSocketFrame.hangup().encode()));
                s.end();
            }
        }
    }

    /** Ends without a word to Asterisk (it is gone, or never came). */
    void abort(ListenResult r) {
        finish(r);
        NetSocket s = socket;
        if (s != null) {
            s.close();
        }
    }

    private boolean finish(ListenResult r) {
        boolean first = result.complete(r);
        if (first) {
            Vertx v = vertx;
            if (v != null) {
                if (silenceTimer >= 0) {
                    v.cancelTimer(silenceTimer);
                }
                if (guardTimer >= 0) {
                    v.cancelTimer(guardTimer);
                }
            }
            audio.offer(STOP);
            if (!attached) {
                recognizer.close();
            }
            log("speech session {} ended: {} {}", id, r.outcome(), describeForLog(r));
        }
        return first;
    }

    private void recognise() {
        MDC.put("call", callId); // this thread works for one call: every line it logs carries the call's id
        ArrayDeque<byte[]> preroll = new ArrayDeque<>();
        try (recognizer) {
            while (!result.isDone()) {
                byte[] frame = audio.take();
                if (frame == STOP) {
                    return;
                }
                if (frame == GUARD) { // audio stopped arriving: decide with what we have
                    end(vad.isSpeaking() ? match(recognizer.finish()) : ListenResult.noInput());
                    return;
                }
                EndOfSpeech.Event ev = vad.feed(frame, frame.length);
                switch (ev) {
                    case NONE -> {
                        if (vad.isSpeaking()) {
                            recognizer.accept(frame, frame.length);
                        } else {
                            preroll.addLast(frame);
                            if (preroll.size() > PREROLL_FRAMES) {
                                preroll.removeFirst();
                            }
                        }
                    }
                    case SPEECH_STARTED -> {
                        for (byte[] f : preroll) {
                            recognizer.accept(f, f.length);
                        }
                        preroll.clear();
                        recognizer.accept(frame, frame.length);
                    }
                    case SPEECH_ENDED, MAX_DURATION -> {
                        recognizer.accept(frame, frame.length);
                        end(match(recognizer.finish()));
                        return;
                    }
                    case NO_INPUT -> {
                        end(ListenResult.noInput());
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end(ListenResult.error("interrupted"));
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("speech recognition failed in session {}: {}", id, e.toString());
            end(ListenResult.error("recognition failed: " + e.getMessage()));
        }
    }

    /** The recognizer's text as a result: one of the phrases when there are any. */
    ListenResult match(Recognizer.Recognition r) {
        String heard = ListenRequest.normalise(r.text().replace("[unk]", ""));
        if (heard.isEmpty()) {
            return ListenResult.noMatch(r.text());
        }
        List<String> phrases = request.phrases();
        if (phrases.isEmpty()) {
            return ListenResult.speech(heard, r.confidence());
        }
        for (String p : phrases) {
            if (ListenRequest.normalise(p).equals(heard)) {
                return ListenResult.speech(p, r.confidence());
            }
        }
        return ListenResult.noMatch(heard);
    }

    /**
     * What the log may say about a result: a phrase of the node's grammar is the designer's
     * word and may be logged; free text or words outside the grammar are the caller's own and
     * may carry personal data (names, numbers), so only their length is logged.
     */
    private String describeForLog(ListenResult r) {
        boolean grammar = !request.phrases().isEmpty();
        return switch (r.outcome()) {
            case SPEECH -> (grammar ? "'" + r.text() + "'" : "free text of " + words(r.text()) + " word(s)")
                    + " (" + Math.round(r.confidence() * 100) + "%)";
            case NO_MATCH -> "not in the grammar: " + words(r.detail()) + " word(s)";
            default -> r.detail() == null ? "" : r.detail();
        };
    }

    private static int words(String s) {
        return s == null || s.isBlank() ? 0 : s.strip().split("\\s+").length;
    }

    private void log(String format, Object... args) {
        String previous = MDC.get("call");
        MDC.put("call", LogText.callId(callId));
        try {
            LOG.info(format, args);
        } finally {
            if (previous == null) {
                MDC.remove("call");
            } else {
                MDC.put("call", previous);
            }
        }
    }
}
