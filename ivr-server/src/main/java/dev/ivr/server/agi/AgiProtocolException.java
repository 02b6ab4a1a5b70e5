package dev.ivr.server.agi;

import java.io.IOException;

/** The PBX side sent something a FastAGI peer never sends, or nothing in time: the call ends. */
final class AgiProtocolException extends IOException {
    private final String kind;

    AgiProtocolException(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** A short metric label: idle_timeout, line_too_long, malformed_environment,
     * environment_too_large, malformed_reply. */
    String kind() {
        return kind;
    }
}
