package dev.ivr.fakepbx;

import java.util.UUID;

/**
 * What happened in one {@code EXEC AudioSocket} of a call, as the fake PBX saw it.
 *
 * @param uuid               the session id the server asked for
 * @param address            host:port the PBX connected to
 * @param connected          whether the TCP connection was made
 * @param audioFramesSent    caller audio frames (20 ms each) streamed to the server
 * @param audioFramesFromServer audio frames the server sent back (played to the caller)
 * @param dtmfSent           the key sent as a DTMF frame, or null
 * @param endedByServer      the server sent a hangup frame or closed the connection
 * @param callerHungUp       the caller hung up (the PBX closed the connection abruptly)
 * @param error              what went wrong, or null
 */
public record AudioSocketSession(UUID uuid, String address, boolean connected, int audioFramesSent,
                                 int audioFramesFromServer, Character dtmfSent, boolean endedByServer,
                                 boolean callerHungUp, String error) {
}
