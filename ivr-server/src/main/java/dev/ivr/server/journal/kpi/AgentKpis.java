package dev.ivr.server.journal.kpi;

import java.util.Map;

/**
 * One agent's figures over a period. Times in milliseconds.
 *
 * @param handled      calls answered (whose talk ended in the period)
 * @param ringNoAnswer offers the agent did not answer
 * @param talkMs       time on calls, from answer to the end of the talk: the time on hold included
 * @param wrapUpMs     after-call work
 * @param ahtMs        (talk + wrap-up) / handled, null without calls: talk + hold + wrap-up, hold counted once (inside
 *                     the talk)
 * @param stateMs      time in each state (READY, NOT_READY, RESERVED, ON_CALL, WRAP_UP)
 * @param reasonMs     time NOT_READY per reason code ("" when none was given)
 * @param signedInMs   time signed in (every state but LOGGED_OUT)
 * @param occupancy    (talk + ringing + wrap-up) / (that + ready): how busy the agent was while available
 * @param utilization  (talk + ringing + wrap-up) / signed-in time
 * @param surveys      post-call surveys of the agent's calls with a satisfaction score (1-5)
 * @param csat         customer satisfaction: the share of those scores that are 4 or 5
 * @param holdMs       time the agent's calls were on hold (a part of {@code talkMs}), counted when the hold ended
 */
public record AgentKpis(String agent, long handled, long ringNoAnswer, long talkMs, long wrapUpMs, Long ahtMs,
                        Map<String, Long> stateMs, Map<String, Long> reasonMs, long signedInMs, Double occupancy,
                        Double utilization, long surveys, Double csat, long holdMs) {

    /**
     * The figures from their sums: occupancy, utilization, AHT and CSAT worked out the one way both the in-memory
     * calculation and the report summed by the database use.
     *
     * @param stateMs   time per state (LOGGED_OUT left out)
     * @param satisfied surveys scored 4 or 5
     * @param holdMs    time on hold (inside the talk)
     */
    public static AgentKpis of(String agent, long handled, long ringNoAnswer, long talkMs, long wrapUpMs,
                               Map<String, Long> stateMs, Map<String, Long> reasonMs, long surveys, long satisfied,
                               long holdMs) {
        long busy = stateMs.getOrDefault("ON_CALL", 0L) + stateMs.getOrDefault("RESERVED", 0L)
                + stateMs.getOrDefault("WRAP_UP", 0L);
        long signedIn = stateMs.values().stream().mapToLong(Long::longValue).sum();
        return new AgentKpis(agent, handled, ringNoAnswer, talkMs, wrapUpMs,
                handled <= 0 ? null : Math.round((double) (talkMs + wrapUpMs) / handled),
                Map.copyOf(stateMs), Map.copyOf(reasonMs), signedIn, ratio(busy, busy + stateMs.getOrDefault("READY", 0L)),
                ratio(busy, signedIn), surveys, ratio(satisfied, surveys), holdMs);
    }

    private static Double ratio(long part, long whole) {
        return whole <= 0 ? null : (double) part / whole;
    }
}
