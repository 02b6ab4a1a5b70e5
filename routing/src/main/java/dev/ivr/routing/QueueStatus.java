package dev.ivr.routing;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A queue and its figures, for supervisors. Counters cover the service-level window.
 *
 * @param waiting             calls waiting (or being offered) now
 * @param longestWait         wait of the longest-waiting call, zero when none waits
 * @param serviceLevel        measured service level over the window, empty before any call counted
 * @param answered            calls answered in the window
 * @param answeredInTarget    of which within the service-level threshold
 * @param abandoned           calls whose caller hung up while waiting, in the window
 * @param maxWaitReached      calls sent to the max-wait target, in the window
 * @param averageHandleTime   measured talk time, or the queue's default before any call ended in the window
 * @param agents              agents meeting the queue's requirements, by state
 */
public record QueueStatus(QueueDefinition definition, int waiting, Duration longestWait, OptionalDouble serviceLevel,
                          long answered, long answeredInTarget, long abandoned, long maxWaitReached,
                          Duration averageHandleTime, Map<AgentState, Integer> agents) {

    public String queueId() {
        return definition.id();
    }
}
