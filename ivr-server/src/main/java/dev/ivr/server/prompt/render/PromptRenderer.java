package dev.ivr.server.prompt.render;

import dev.ivr.server.audio.AsteriskFormat;
import dev.ivr.server.audio.Mastering;
import dev.ivr.server.audio.Pcm;
import dev.ivr.server.audio.Wav;
import dev.ivr.server.tts.Synthesizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes prompt audio in every configured {@link AsteriskFormat} and caches it by content:
 * text through the {@link Synthesizer} then {@link Mastering}; recordings converted the same
 * way; joined prompts (numbers, dates) concatenated from rendered parts without synthesis.
 *
 * <p>Each key is rendered once: concurrent requests for the same key share one job. Jobs
 * run on one background thread (the TTS engine speaks one text at a time anyway) with call
 * requests ahead of pre-rendering, so a caller never waits behind the start-up batch; a call that
 * asks for a key queued for pre-rendering moves it ahead of the batch.
 */
public final class PromptRenderer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PromptRenderer.class);

    /** Who is waiting for a render. */
    public enum Priority { CALL, PRERENDER }

    private final Synthesizer tts;
    private final PromptCache cache;
    private final Map<String, CompletableFuture<String>> inFlight = new ConcurrentHashMap<>();
    /** Keys in flight only for pre-rendering (behind every call's job), with their job's future. */
    private final Map<String, CompletableFuture<String>> queuedAhead = new ConcurrentHashMap<>();
    private final Map<Path, RecordingKey> recordingKeys = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor worker;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong syntheses = new AtomicLong();
    private final AtomicLong synthesisNanos = new AtomicLong();
    private final AtomicLong synthesisedMillisOfAudio = new AtomicLong();

    public PromptRenderer(Synthesizer tts, PromptCache cache) {
        this.tts = tts;
        this.cache = cache;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>(),
                Thread.ofPlatform().name("prompt-render").daemon(true).factory());
    }

    public PromptCache cache() {
        return cache;
    }

    public Synthesizer synthesizer() {
        return tts;
    }

    /** Texts synthesised so far (cache misses that reached the TTS engine). */
    public long synthesisCount() {
        return syntheses.get();
    }

    /** Total time spent in the TTS engine and the seconds of audio it made, for the benchmark and logs. */
    public double synthesisSecondsPerAudioSecond() {
        long audio = synthesisedMillisOfAudio.get();
        return audio == 0 ? 0 : synthesisNanos.get() / 1e9 / (audio / 1000.0);
    }

    /** Whether the key is rendered and on this server's disk (copied from the cluster if need be). */
    public boolean isCached(String key) {
        return cache.contains(key);
    }

    /** The key of a text spoken by a voice; rendered in the background unless cached. */
    public CompletableFuture<String> text(String text, String voice, Priority priority) {
        return text(text, voice, priority, false);
    }

    /**
     * A text rendered ahead of the calls that will say it (a greeting with a frequent first name), behind every
     * other job, and only if no other server of the cluster claimed it: that one renders it and this one copies it
     * when a call asks. Fails with {@link RenderedElsewhere} then.
     */
    public CompletableFuture<String> ahead(String text, String voice) {
        return text(text, voice, Priority.PRERENDER, true);
    }

    /** Another server of the cluster renders this text ahead of calls. */
    public static final class RenderedElsewhere extends RuntimeException {
        RenderedElsewhere(String key) {
            super("another server renders " + key, null, false, false);
        }
    }

    private CompletableFuture<String> text(String text, String voice, Priority priority, boolean claim) {
        String key = PromptKey.forText(voice, text);
        if (!tts.isReady(voice) && !cache.contains(key)) {
            return CompletableFuture.failedFuture(new IllegalStateException("text to speech is not available"));
        }
        return submit(key, priority, claim, () -> {
            if (!tts.isReady(voice)) {
                throw new IllegalStateException("text to speech is not available");
            }
            long t0 = System.nanoTime();
            Pcm spoken = tts.synthesize(PromptKey.normalise(text), voice);
            long nanos = System.nanoTime() - t0;
            syntheses.incrementAndGet();
            synthesisNanos.addAndGet(nanos);
            synthesisedMillisOfAudio.addAndGet(spoken.durationMillis());
            LOG.debug("synthesised {} ms of audio in {} ms: \"{}\"", spoken.durationMillis(), nanos / 1_000_000,
                    abbreviate(text));
            return spoken;
        });
    }

    /** The key of a recording (any WAV/AIFF/AU PCM file), converted to the formats Asterisk plays. */
    public CompletableFuture<String> recording(Path file, Priority priority) {
        byte[] content;
        String key;
        try {
            String stamp = Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file);
            RecordingKey known = recordingKeys.get(file);
            if (known != null && known.stamp().equals(stamp) && cache.contains(known.key())) {
                return CompletableFuture.completedFuture(known.key()); // no need to read and hash it again
            }
            content = Files.readAllBytes(file);
            key = PromptKey.forRecording(content);
            recordingKeys.put(file, new RecordingKey(stamp, key));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new UncheckedIOException("cannot read recording " + file, e));
        }
        return submit(key, priority, false, () -> {
            try {
                return Wav.read(content);
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": " + e.getMessage(), e);
            }
        });
    }

    private record RecordingKey(String stamp, String key) {
    }

    /** The key of a silent file of this length in every format, written now unless cached. */
    public String silence(int millis) {
        String key = PromptKey.forSilence(millis);
        if (!cache.contains(key)) {
            Map<AsteriskFormat, byte[]> files = new EnumMap<>(AsteriskFormat.class);
            for (AsteriskFormat f : cache.formats()) {
                files.put(f, f.encode(Pcm.silence(f.sampleRate(), millis)));
            }
            cache.put(key, files);
        }
        return key;
    }

    /**
     * One prompt made of rendered parts played in order with a short gap (numbers, amounts,
     * dates): concatenated per format, no synthesis and no resampling. Every part must be
     * cached already.
     */
    public String join(List<String> keys, int gapMillis) {
        if (keys.size() == 1) {
            return keys.get(0);
        }
        String key = PromptKey.forJoin(keys, gapMillis);
        if (cache.contains(key)) {
            return key;
        }
        Map<AsteriskFormat, byte[]> files = new EnumMap<>(AsteriskFormat.class);
        for (AsteriskFormat f : cache.formats()) {
            Pcm joined = new Pcm(new short[0], f.sampleRate());
            Pcm gap = Pcm.silence(f.sampleRate(), gapMillis);
            for (int i = 0; i < keys.size(); i++) {
                byte[] part = cache.read(keys.get(i), f)
                        .orElseThrow(() -> new IllegalStateException("a part of a joined prompt is not rendered"));
                try {
                    joined = joined.append(i == 0 ? f.decode(part) : gap.append(f.decode(part)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            files.put(f, f.encode(joined));
        }
        cache.put(key, files);
        return key;
    }

    private interface Source {
        Pcm audio();
    }

    private CompletableFuture<String> submit(String key, Priority priority, boolean claim, Source source) {
        while (true) {
            if (cache.contains(key)) {
                return CompletableFuture.completedFuture(key);
            }
            CompletableFuture<String> mine = new CompletableFuture<>();
            CompletableFuture<String> existing = inFlight.putIfAbsent(key, mine);
            if (existing == null) {
                if (priority == Priority.PRERENDER) {
                    queuedAhead.put(key, mine);
                }
                enqueue(key, priority, claim, source, mine);
                return mine;
            }
            if (priority != Priority.CALL) {
                return existing;
            }
            synchronized (existing) {
                if (existing.state() == java.util.concurrent.Future.State.FAILED
                        && existing.exceptionNow() instanceof RenderedElsewhere) {
                    inFlight.remove(key, existing); // gave way to another server just now: this call asks again
                    continue;
                }
                if (queuedAhead.remove(key, existing)) {
                    // a caller needs what was queued behind everything: rendered next, for everyone waiting on it
                    enqueue(key, Priority.CALL, false, source, existing);
                }
                return existing;
            }
        }
    }

    /** One job for a key; two when a call needs a key queued ahead of calls (whichever runs first renders it). */
    private void enqueue(String key, Priority priority, boolean claim, Source source, CompletableFuture<String> done) {
        try {
            worker.execute(new Job(priority, sequence.incrementAndGet(), () -> {
                try {
                    if (done.isDone()) {
                        return;
                    }
                    if (!cache.contains(key)) {
                        if (claim) {
                            synchronized (done) { // a call asking now either comes before this (and keeps it) or after
                                if (queuedAhead.get(key) == done && !cache.claim(key)) {
                                    done.completeExceptionally(new RenderedElsewhere(key));
                                    return;
                                }
                            }
                        }
                        cache.put(key, encode(source.audio()));
                    }
                    done.complete(key);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                } finally {
                    if (done.isDone()) {
                        inFlight.remove(key, done);
                        queuedAhead.remove(key, done);
                    }
                }
            }));
        } catch (RuntimeException e) { // rejected: shutting down
            inFlight.remove(key, done);
            queuedAhead.remove(key, done);
            done.completeExceptionally(e);
        }
    }

    private Map<AsteriskFormat, byte[]> encode(Pcm audio) {
        Map<AsteriskFormat, byte[]> files = new EnumMap<>(AsteriskFormat.class);
        for (AsteriskFormat f : cache.formats()) {
            Pcm mastered = Mastering.master(audio, f.sampleRate());
            if (mastered.length() == 0) {
                throw new IllegalStateException("the audio is silent");
            }
            files.put(f, f.encode(mastered));
        }
        return files;
    }

    /** Keys still waiting for the worker (for progress reporting). */
    public int queued() {
        return worker.getQueue().size();
    }

    @Override
    public void close() {
        worker.shutdownNow();
        List<CompletableFuture<String>> pending = new ArrayList<>(inFlight.values());
        pending.forEach(f -> f.completeExceptionally(new IllegalStateException("the server is stopping")));
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    private record Job(Priority priority, long seq, Runnable task) implements Runnable, Comparable<Job> {
        @Override
        public void run() {
            task.run();
        }

        @Override
        public int compareTo(Job o) {
            int c = priority.compareTo(o.priority);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
