package dev.ivr.server.callback;

import java.time.Instant;
import java.util.List;

/** Callbacks of the cluster, for the API and the dashboard. */
public interface CallbackService {

    /** Every callback the cluster holds (open ones, and finished ones for a while), soonest first. */
    List<StoredCallback> list();

    /** What a cancellation came to. */
    enum Cancel { CANCELLED, NOT_FOUND, ALREADY_OVER, DIALING }

    /** Cancels a callback that is scheduled or waiting in its queue (not one whose agent is being rung). */
    Cancel cancel(String id);

    /**
     * Schedules a callback: at {@code dueAt} it joins {@code queue} and the next agent calls {@code number}.
     *
     * @throws IllegalArgumentException for an unknown queue, a number the dialplan cannot take, callbacks being off
     */
    StoredCallback schedule(String number, String queue, Instant dueAt, int priority, String customerId, String language);
}
