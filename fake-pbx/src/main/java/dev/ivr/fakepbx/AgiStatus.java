package dev.ivr.fakepbx;

/** What Asterisk's dialplan sees in {@code AGISTATUS} after the AGI application returns. */
public enum AgiStatus {
    /**
     * The server ended the script while the channel was up: closed the socket, or the connection broke (reset, the
     * server killed) after Asterisk sent the AGI environment, even before any command.
     */
    SUCCESS,
    /** The channel hung up (caller, or the server's HANGUP command). */
    HANGUP,
    /** The connection could not be made (refused, no route), or broke before Asterisk could send the environment. */
    FAILURE
}
