package dev.ivr.server.speech;

/**
 * Which languages have a usable speech model: what flow validation asks about flows that
 * listen. A server's configuration gives one without running anything
 * ({@code SpeechEngines.models}: Vosk's model directories, Sphinx4's bundled model).
 */
@FunctionalInterface
public interface SpeechModels {

    /** No speech recognition at all (tools and tests that do not say otherwise). */
    SpeechModels NONE = language -> new RecognizerFactory.ModelStatus(language, false,
            "no speech recognition is configured here (speech.models)");

    /** Every language "recognised": the simulator and flow tests, where the caller's words are typed. */
    SpeechModels SIMULATED = language -> new RecognizerFactory.ModelStatus(language, true, "simulated");

    RecognizerFactory.ModelStatus status(String language);

}
