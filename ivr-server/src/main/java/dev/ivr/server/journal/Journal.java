package dev.ivr.server.journal;

import java.util.List;
import java.util.function.Consumer;

/**
 * The event journal: every call, queue and agent event, written once. {@link #emit} keeps the
 * event durably (on local disk at least, the database once it is there) and then hands it to the
 * live subscribers (KPIs, webhooks, the event stream), which must not block.
 */
public interface Journal {
    /** A journal that keeps nothing (simulations, servers without a database). */
    Journal NONE = new Journal() {
        @Override
        public void emit(JournalEvent event) {
        }

        @Override
        public AutoCloseable subscribe(Consumer<JournalEvent> listener) {
            return () -> {
            };
        }
    };

    /** Keeps the event; never throws (a failure to keep it is logged and counted). */
    void emit(JournalEvent event);

    /**
     * Keeps the event as {@link #emit} does, but a journal on disk does not wait for the device's flush: the event is
     * written (a killed server process loses nothing) and forced with the next event's force, or within moments
     * (see {@code Outbox.appendWritten}). For an event whose call goes on at once and tells nobody it was kept (a
     * call's first event); never throws.
     */
    default void emitWritten(JournalEvent event) {
        emit(event);
    }

    /**
     * Keeps these events, in this order, as {@link #emit} keeps one (a journal on disk writes them together: one
     * write and one force for all); never throws. The events of one call that could wait for each other.
     */
    default void emitAll(List<JournalEvent> events) {
        for (JournalEvent e : events) {
            emit(e);
        }
    }

    /**
     * Keeps these events as {@link #emitAll} does, in two parts: this writes them (a journal on disk: one write, not
     * waiting for the device's flush; a killed server process loses nothing from here on), and the result, run later
     * on the same thread, waits until they are forced to the device (shared with the forces of the events around
     * them) and then hands them to the listeners. For a call's last events, whose wait for the device can come after
     * the call's connection to the PBX is closed (see {@code call.CallEnd}). Neither part throws (a failure to keep the
     * events is logged and counted, as {@link #emitAll}'s).
     */
    default Runnable emitAllThen(List<JournalEvent> events) {
        emitAll(events);
        return () -> {
        };
    }

    /**
     * Hears every event this server emits, on the emitting thread, after it is kept. Keep the
     * listener short and non-blocking (hand over to a queue). Close the result to stop.
     */
    AutoCloseable subscribe(Consumer<JournalEvent> listener);
}
