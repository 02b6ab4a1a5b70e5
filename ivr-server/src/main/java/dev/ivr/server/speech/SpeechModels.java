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

    /**
     * Phrases of a language its recogniser can never hear, each with why (a word its
     * pronunciation dictionary lacks); empty when all can be heard, or when this cannot be known.
     */
    default java.util.List<String> unrecognisable(String language, java.util.List<String> phrases) {
        return java.util.List.of();
    }

}
