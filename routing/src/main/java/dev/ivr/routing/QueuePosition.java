package dev.ivr.routing;

import java.time.Duration;

/**
 * Where a waiting call stands, for announcements.
 *
 * @param position      1 for the next call to be served in its queue
 * @param waiting       calls waiting in the queue
 * @param waited        how long the call has waited
 * @param estimatedWait estimated remaining wait: position x average handle time / agents staffed for the queue
 */
public record QueuePosition(String callId, String queueId, int position, int waiting, Duration waited,
                            Duration estimatedWait) {
}
