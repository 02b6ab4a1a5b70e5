package dev.ivr.server.call;

import java.util.Optional;

/**
 * Turns text into a sound file the PBX can play (a name for STREAM FILE or an http URL),
 * or empty when speech is not available for that language right now.
 */
@FunctionalInterface
public interface Speaker {
    Speaker NONE = (text, language) -> Optional.empty();

    Optional<String> fileFor(String text, String language);
}
