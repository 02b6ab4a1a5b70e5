package dev.ivr.server.journal.kpi;

/**
 * The sums one queue's (or the center's) figures are made of, over a stretch of time: what the KPIs of
 * {@link QueueKpis} divide. Sums of two stretches add up ({@link #plus}), so a report can be summed per short bucket
 * (in SQL) and put together per interval. Times in milliseconds.
 *
 * @param answerWait  total wait of answered calls
 * @param totalWait   total wait of answered and abandoned calls
 * @param waits       answered and abandoned calls (the average wait's denominator)
 * @param longestWait the longest of those waits
 * @param talk        talk time of the calls handled
 * @param wrap        wrap-up time of the calls handled
 * @param surveys     post-call surveys answered with a score (1-5)
 * @param satisfied   those scored 4 or 5
 */
public record QueueSums(long offered, long answered, long answeredInTime, long abandoned, long shortAbandoned,
                        long transferred, long callbacks, long answerWait, long totalWait, long waits, long longestWait,
                        long handled, long talk, long wrap, long surveys, long satisfied) {
    /** Nothing counted. */
    public static final QueueSums ZERO = new QueueSums(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The sums of both stretches. */
    public QueueSums plus(QueueSums o) {
        return new QueueSums(offered + o.offered, answered + o.answered, answeredInTime + o.answeredInTime,
                abandoned + o.abandoned, shortAbandoned + o.shortAbandoned, transferred + o.transferred,
                callbacks + o.callbacks, answerWait + o.answerWait, totalWait + o.totalWait, waits + o.waits,
                Math.max(longestWait, o.longestWait), handled + o.handled, talk + o.talk, wrap + o.wrap,
                surveys + o.surveys, satisfied + o.satisfied);
    }

    /** The KPIs (definitions: docs/reporting.md). */
    public QueueKpis kpis(String queue) {
        return new QueueKpis(queue, offered, answered, answeredInTime, abandoned, shortAbandoned, transferred,
                callbacks, ratio(answeredInTime, answered + abandoned - shortAbandoned),
                ratio(abandoned - shortAbandoned, offered - shortAbandoned), average(answerWait, answered),
                average(totalWait, waits), longestWait, average(talk + wrap, handled), talk, wrap, handled, surveys,
                ratio(satisfied, surveys));
    }

    static Double ratio(long part, long whole) {
        return whole <= 0 ? null : (double) part / whole;
    }

    static Long average(long total, long n) {
        return n <= 0 ? null : Math.round((double) total / n);
    }
}
