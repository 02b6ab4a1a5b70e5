package dev.ivr.server.speech;

import dev.ivr.server.call.CallChannel;
import dev.ivr.server.speech.audiosocket.SpeechService;

/**
 * Speech input as the flow engine uses it: whether a language can be listened to now, and
 * listening to one answer of the caller. {@link SpeechService} is the real one (AudioSocket and
 * Vosk); the simulator and flow tests have one that reads what the scripted caller "says".
 */
public interface SpeechInput {

    /** Speech input that is never available (a server or tool without it). */
    SpeechInput NONE = new SpeechInput() {
        @Override
        public RecognizerFactory.ModelStatus modelStatus(String language) {
            return new RecognizerFactory.ModelStatus(language, false, "no speech input here");
        }

        @Override
        public ListenResult listen(CallChannel channel, ListenRequest request) {
            return ListenResult.error("no speech input here");
        }
    };

    /** Whether speech in this language can be recognised now, and if not, why. */
    RecognizerFactory.ModelStatus modelStatus(String language);

    /**
     * Listens to the caller until a result is known (blocks the call's thread).
     *
     * @throws dev.ivr.server.call.CallerHungUpException when the caller hangs up while listening
     */
    ListenResult listen(CallChannel channel, ListenRequest request);
}
