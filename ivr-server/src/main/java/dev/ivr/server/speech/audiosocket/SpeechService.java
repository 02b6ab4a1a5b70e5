package dev.ivr.server.speech.audiosocket;

import dev.ivr.server.call.CallChannel;
import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.config.SpeechConfig;
import dev.ivr.server.speech.ListenRequest;
import dev.ivr.server.speech.ListenResult;
import dev.ivr.server.speech.Recognizer;
import dev.ivr.server.speech.RecognizerFactory;
import dev.ivr.server.speech.SpeechInput;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.Locale;

/**
 * Speech input for a call: what a {@code listen} node (or a menu that also takes speech)
 * calls. {@link #listen} asks Asterisk to stream the caller's audio here with
 * {@code EXEC AudioSocket <uuid>,<host:port>}, recognises it until the caller stops
 * speaking, presses an allowed key or hangs up, and returns the result; the AGI command
 * returns when the server ends the session.
 */
public final class SpeechService implements SpeechInput, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpeechService.class);

    private final SpeechConfig config;
    private final AudioSocketServer server;
    private final RecognizerFactory recognizers;
    private final String advertise;
    private final MeterRegistry registry;
    private final Map<ListenResult.Outcome, Counter> outcomes = new ConcurrentHashMap<>();

    /**
     * @param server    null when speech is disabled
     * @param advertise host:port that Asterisk connects to
     */
    public SpeechService(SpeechConfig config, AudioSocketServer server, RecognizerFactory recognizers, String advertise,
                         MeterRegistry registry) {
        this.config = config;
        this.server = server;
        this.recognizers = recognizers;
        this.advertise = advertise;
        this.registry = registry;
    }

    /** Whether a language can be listened to, and why not: for the flow validator. */
    @Override
    public RecognizerFactory.ModelStatus modelStatus(String language) {
        if (server == null) {
            return new RecognizerFactory.ModelStatus(language, false, "speech input is disabled (speech.enabled: false)");
        }
        return recognizers.status(language);
    }

    /** Where Asterisk connects, as given to EXEC AudioSocket. */
    public String advertise() {
        return advertise;
    }

    /**
     * Listens to the caller. Blocks the call's thread until the result is known.
     *
     * @throws CallerHungUpException when the caller hangs up while listening
     */
    @Override
    public ListenResult listen(CallChannel channel, ListenRequest request) {
        ListenResult r = doListen(channel, request);
        outcomes.computeIfAbsent(r.outcome(), o -> Counter.builder("ivr_speech_results_total")
                .description("Speech input results by outcome").tag("outcome", o.name().toLowerCase(Locale.ROOT)).register(registry))
                .increment();
        if (r.outcome() == ListenResult.Outcome.HANGUP) {
            throw new CallerHungUpException();
        }
        return r;
    }

    private ListenResult doListen(CallChannel channel, ListenRequest request) {
        RecognizerFactory.ModelStatus status = modelStatus(request.language());
        if (!status.available()) {
            LOG.warn("cannot listen in {}: {}", request.language(), status.detail());
            return ListenResult.error(status.detail());
        }
        Recognizer recognizer;
        try {
            recognizer = recognizers.open(request.language(), request.phrases());
        } catch (RecognizerFactory.SpeechUnavailableException e) {
            LOG.warn("cannot listen in {}: {}", request.language(), e.getMessage());
            return ListenResult.error(e.getMessage());
        }
        Duration noInput = request.noInputTimeout() != null ? request.noInputTimeout() : config.noInputTimeout();
        Duration endSilence = request.endSilence() != null ? request.endSilence() : config.endSilence();
        Duration maxDuration = request.maxDuration() != null ? request.maxDuration() : config.maxDuration();
        EndOfSpeech vad = new EndOfSpeech(noInput, endSilence, maxDuration, config.speechLevel());
        // a wall-clock guard in case Asterisk stops sending audio (no transmit_silence)
        Duration guard = noInput.plus(maxDuration).plus(endSilence).plusSeconds(2);
        SpeechSession session = new SpeechSession(UUID.randomUUID(), channel.info().uniqueId(), request, recognizer, vad, guard);
        server.expect(session);
        int code;
        try {
            code = channel.exec("AudioSocket", session.id() + "," + advertise);
        } catch (RuntimeException e) {
            server.forget(session.id());
            session.abort(ListenResult.hangup());
            throw e;
        }
        server.forget(session.id());
        if (code == -2) {
            session.abort(ListenResult.error("no AudioSocket application in Asterisk"));
            LOG.warn("Asterisk has no AudioSocket application: load app_audiosocket.so (and res_audiosocket.so)");
            return ListenResult.error("Asterisk has no AudioSocket application (load app_audiosocket.so)");
        }
        if (!session.isAttached()) {
            session.abort(ListenResult.error("Asterisk did not connect"));
            String detail = "Asterisk did not connect to AudioSocket at " + advertise + " (EXEC returned " + code
                    + "); check speech.advertise and the firewall";
            LOG.warn(detail);
            return ListenResult.error(detail);
        }
        ListenResult r;
        try {
            // normally complete already: Asterisk returns from EXEC after the session ended
            r = session.result().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            session.abort(ListenResult.error("no result"));
            r = session.result().getNow(ListenResult.error("no result from the speech session"));
        }
        if (code == -1 && r.outcome() != ListenResult.Outcome.SPEECH && r.outcome() != ListenResult.Outcome.KEY) {
            return ListenResult.hangup();
        }
        return r;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        try {
            recognizers.close();
        } catch (Exception e) {
            LOG.debug("closing recognizers: {}", e.toString());
        }
    }
}
