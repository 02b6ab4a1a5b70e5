package dev.ivr.server.speech;

import dev.ivr.server.config.SpeechConfig;

/**
 * Which languages have a usable speech model: what flow validation asks about flows that
 * listen. Needs no running server: {@link #fromConfig} checks the model directories that
 * {@code speech.models} names (the same check {@link SpeechService#modelStatus} makes).
 */
@FunctionalInterface
public interface SpeechModels {

    /** No speech recognition at all (tools and tests that do not say otherwise). */
    SpeechModels NONE = language -> new RecognizerFactory.ModelStatus(language, false,
            "no speech recognition is configured here (speech.models)");

    /** Every language "recognised": the simulator and flow tests, where the caller's words are typed. */
    SpeechModels SIMULATED = language -> new RecognizerFactory.ModelStatus(language, true, "simulated");

    RecognizerFactory.ModelStatus status(String language);

    /** What a server with this configuration will have: {@code speech.enabled} and the model directories. */
    static SpeechModels fromConfig(SpeechConfig config) {
        if (!config.enabled()) {
            return language -> new RecognizerFactory.ModelStatus(language, false,
                    "speech input is disabled (speech.enabled: false)");
        }
        VoskRecognizers models = new VoskRecognizers(config.models());
        return models::status;
    }
}
