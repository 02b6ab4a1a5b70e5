package dev.ivr.server.call;

/**
 * Keeps secrets out of call recordings: a flow step about to take a PIN or a card number pauses
 * the call's recording, if one runs, and resumes it when the secret is in.
 * <pre>{@code
 * try (RecordingPauses.Paused p = pauses.pause(call)) { ...read the digits... }
 * }</pre>
 */
public interface RecordingPauses {
    /** Nothing is ever recorded. */
    RecordingPauses NONE = call -> () -> { };

    /** Pauses the call's recording (if any) until the returned handle is closed. Never throws. */
    Paused pause(CallInfo call);

    /** A pause in progress: closing it resumes the recording. */
    interface Paused extends AutoCloseable {
        @Override
        void close();
    }
}
