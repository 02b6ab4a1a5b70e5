package dev.ivr.server.journal.kpi;

/**
 * One queue's (or the whole center's, {@code queue} = "*") figures over a period. Times in milliseconds; rates as
 * fractions (0..1), null when there is nothing to divide by.
 *
 * @param offered           calls that entered the queue
 * @param answered          calls an agent answered
 * @param answeredInTime    calls answered within the service-level threshold
 * @param abandoned         callers who hung up while queued (short abandons included)
 * @param shortAbandoned    abandons within the short-abandon time
 * @param transferred       calls of the queue that a flow transferred
 * @param callbacks         callbacks requested while queued
 * @param serviceLevel      answeredInTime / (answered + abandoned - shortAbandoned)
 * @param abandonRate       (abandoned - shortAbandoned) / (offered - shortAbandoned)
 * @param asaMs             average speed of answer: total wait of answered calls / answered
 * @param averageWaitMs     total wait of answered and abandoned calls / their number
 * @param longestWaitMs     the longest wait of an answered or abandoned call
 * @param ahtMs             average handle time: (talk + hold + wrap-up) / handled calls
 * @param talkMs            total talk time of the queue's answered calls
 * @param wrapUpMs          total after-call work of them
 * @param handled           answered calls whose talk has ended (the AHT's denominator)
 * @param surveys           post-call surveys with a satisfaction score (1-5)
 * @param csat              customer satisfaction: the share of those scores that are 4 or 5
 */
public record QueueKpis(String queue, long offered, long answered, long answeredInTime, long abandoned,
                        long shortAbandoned, long transferred, long callbacks, Double serviceLevel, Double abandonRate,
                        Long asaMs, Long averageWaitMs, long longestWaitMs, Long ahtMs, long talkMs, long wrapUpMs,
                        long handled, long surveys, Double csat) {
    /** The center as a whole, in {@link #queue}. */
    public static final String ALL = "*";

    /** The same figures under another name. */
    public QueueKpis withQueue(String name) {
        return new QueueKpis(name, offered, answered, answeredInTime, abandoned, shortAbandoned, transferred, callbacks,
                serviceLevel, abandonRate, asaMs, averageWaitMs, longestWaitMs, ahtMs, talkMs, wrapUpMs, handled, surveys, csat);
    }
}
