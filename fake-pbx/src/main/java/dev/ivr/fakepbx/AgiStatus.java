package dev.ivr.fakepbx;

/** What Asterisk's dialplan sees in {@code AGISTATUS} after the AGI application returns. */
public enum AgiStatus {
    /** The server ended the script (closed the socket) while the channel was up. */
    SUCCESS,
    /** The channel hung up (caller, or the server's HANGUP command). */
    HANGUP,
    /** The connection failed (refused, reset) or broke before the script ended. */
    FAILURE
}
