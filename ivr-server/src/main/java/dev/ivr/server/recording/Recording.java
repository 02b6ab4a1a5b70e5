package dev.ivr.server.recording;

import java.time.Instant;

/**
 * One recording of a call: a row of {@code recordings} (migration V85).
 *
 * @param id        its id (also in the file's name)
 * @param callId    the call (the interaction's call id)
 * @param reason    why it was made: {@code always}, {@code NN%}, {@code on-demand}
 * @param fileName  the file's name under {@code recording.directory} (relative)
 * @param state     {@link State}
 * @param encrypted whether the file is encrypted at rest (a {@code .enc} file)
 * @param bytes     the stored file's size once sealed, else null
 */
public record Recording(String id, String callId, String queue, String agentId, String reason, String fileName,
                        State state, boolean encrypted, Long bytes, Instant startedAt, Instant endedAt,
                        Instant deletedAt) {
    public enum State {
        /** MixMonitor is writing it */
        RECORDING,
        /** the call ended; waiting to be sealed (sized, encrypted when configured) */
        ENDED,
        /** sealed: ready for playback */
        STORED,
        /** the file was not there when it was sealed (the PBX did not write it) */
        MISSING,
        /** deleted by the retention purge */
        DELETED
    }
}
