package dev.ivr.server.outbound.pacing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalDouble;

/**
 * What a campaign's calls measured: the answer rate and the connect time of the last dial results,
 * the handle time of the last connected calls, and answered / abandoned calls per minute over the
 * rolling abandon window (a call answered with no agent free is abandoned). Thread-safe.
 */
public final class PacingStats {
    /** Dial results the answer rate and connect time are taken from. */
    static final int RESULTS = 300;
    /** Connected calls the handle time is taken from. */
    static final int HANDLED = 200;

    private record Minute(long minute, int answered, int abandoned) {
    }

    private final Duration window;
    private final boolean[] answered = new boolean[RESULTS];
    private final double[] connectSeconds = new double[RESULTS];
    private int results;
    private final double[] handleSeconds = new double[HANDLED];
    private int handled;
    private final Deque<Minute> minutes = new ArrayDeque<>();

    public PacingStats(Duration abandonWindow) {
        this.window = abandonWindow;
    }

    /** A dial result: answered or not, after {@code connectTime} from the dial. */
    public synchronized void dialResult(boolean wasAnswered, Duration connectTime) {
        int i = results % RESULTS;
        answered[i] = wasAnswered;
        connectSeconds[i] = connectTime.toMillis() / 1000.0;
        results++;
    }

    /** An answered call reached an agent at {@code at}. */
    public void connected(Instant at) {
        count(at, false);
    }

    /** An answered call found no agent free at {@code at}: abandoned. */
    public void abandoned(Instant at) {
        count(at, true);
    }

    /** A connected call took {@code handleTime} of its agent. */
    public synchronized void handled(Duration handleTime) {
        handleSeconds[handled % HANDLED] = handleTime.toMillis() / 1000.0;
        handled++;
    }

    private synchronized void count(Instant at, boolean wasAbandoned) {
        long minute = Math.floorDiv(at.getEpochSecond(), 60);
        Minute last = minutes.peekLast();
        if (last != null && last.minute() == minute) {
            minutes.pollLast();
            minutes.addLast(new Minute(minute, last.answered() + 1, last.abandoned() + (wasAbandoned ? 1 : 0)));
        } else if (last == null || last.minute() < minute) {
            minutes.addLast(new Minute(minute, 1, wasAbandoned ? 1 : 0));
        } else { // a late report: fold it into the newest minute rather than reorder
            minutes.pollLast();
            minutes.addLast(new Minute(last.minute(), last.answered() + 1, last.abandoned() + (wasAbandoned ? 1 : 0)));
        }
        long oldest = minute - window.toMinutes();
        while (!minutes.isEmpty() && minutes.peekFirst().minute() <= oldest) {
            minutes.pollFirst();
        }
    }

    /** Dial results measured so far (all time). */
    public synchronized int samples() {
        return results;
    }

    /** Connected calls whose handle time was measured (all time). */
    public synchronized int handledCalls() {
        return handled;
    }

    /** Answered fraction of the last dial results; empty before any. */
    public synchronized OptionalDouble answerRate() {
        int n = Math.min(results, RESULTS);
        if (n == 0) {
            return OptionalDouble.empty();
        }
        int yes = 0;
        for (int i = 0; i < n; i++) {
            yes += answered[i] ? 1 : 0;
        }
        return OptionalDouble.of((double) yes / n);
    }

    /** Mean time from the dial to the answer of the last answered calls; empty before any. */
    public synchronized OptionalDouble connectSeconds() {
        int n = Math.min(results, RESULTS);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (answered[i]) {
                sum += connectSeconds[i];
                count++;
            }
        }
        return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / count);
    }

    /** Mean handle time of the last connected calls; empty before any. */
    public synchronized OptionalDouble handleSeconds() {
        int n = Math.min(handled, HANDLED);
        if (n == 0) {
            return OptionalDouble.empty();
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += handleSeconds[i];
        }
        return OptionalDouble.of(sum / n);
    }

    /** Answered calls in the {@code span} before {@code now} (at most the abandon window). */
    public synchronized long answered(Instant now, Duration span) {
        return sum(now, span, false);
    }

    /** Abandoned calls in the {@code span} before {@code now} (at most the abandon window). */
    public synchronized long abandoned(Instant now, Duration span) {
        return sum(now, span, true);
    }

    /** Abandoned / answered over the {@code span} before {@code now}; 0 when nothing was answered. */
    public synchronized double abandonRate(Instant now, Duration span) {
        long a = sum(now, span, false);
        return a == 0 ? 0 : (double) sum(now, span, true) / a;
    }

    private long sum(Instant now, Duration span, boolean ofAbandoned) {
        long to = Math.floorDiv(now.getEpochSecond(), 60);
        long from = to - Math.min(span.toMinutes(), window.toMinutes());
        long total = 0;
        for (Minute m : minutes) {
            if (m.minute() > from && m.minute() <= to) {
                total += ofAbandoned ? m.abandoned() : m.answered();
            }
        }
        return total;
    }
}
