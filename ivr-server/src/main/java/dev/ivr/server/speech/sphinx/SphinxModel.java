package dev.ivr.server.speech.sphinx;

import java.util.Locale;

/**
 * A Sphinx4 model for one language: the acoustic model directory, the pronunciation
 * dictionary and the filler (noise) dictionary, as locations Sphinx4 reads
 * ({@code resource:/...} on the class path, or a file path).
 */
record SphinxModel(String language, Locale locale, String acousticModel, String dictionary, String fillerDictionary) {

    /** The US English model (CMU en-us, 16 kHz, semi-continuous) and CMUdict, inside the sphinx4-data jar. */
    static final SphinxModel BUNDLED_EN_US = new SphinxModel("en", Locale.US,
            "resource:/edu/cmu/sphinx/models/en-us/en-us",
            "resource:/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict",
            "resource:/edu/cmu/sphinx/models/en-us/en-us/noisedict");

    /** Whether the model's files are on the class path (the sphinx4-data jar). */
    boolean present() {
        return resource(dictionary) != null && resource(acousticModel + "/mdef") != null;
    }

    static java.net.URL resource(String location) {
        return location.startsWith("resource:") ? SphinxModel.class.getResource(location.substring("resource:".length())) : null;
    }

    @Override
    public String toString() {
        return "US English (CMU Sphinx en-us, bundled)";
    }
}
