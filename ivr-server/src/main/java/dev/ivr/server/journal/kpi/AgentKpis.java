package dev.ivr.server.journal.kpi;

import java.util.Map;

/**
 * One agent's figures over a period. Times in milliseconds.
 *
 * @param handled      calls answered (whose talk ended in the period)
 * @param ringNoAnswer offers the agent did not answer
 * @param talkMs       time on calls
 * @param wrapUpMs     after-call work
 * @param ahtMs        (talk + wrap-up) / handled, null without calls
 * @param stateMs      time in each state (READY, NOT_READY, RESERVED, ON_CALL, WRAP_UP)
 * @param reasonMs     time NOT_READY per reason code ("" when none was given)
 * @param signedInMs   time signed in (every state but LOGGED_OUT)
 * @param occupancy    (talk + ringing + wrap-up) / (that + ready): how busy the agent was while available
 * @param utilization  (talk + ringing + wrap-up) / signed-in time
 * @param surveys      post-call surveys of the agent's calls with a satisfaction score (1-5)
 * @param csat         customer satisfaction: the share of those scores that are 4 or 5
 */
public record AgentKpis(String agent, long handled, long ringNoAnswer, long talkMs, long wrapUpMs, Long ahtMs,
                        Map<String, Long> stateMs, Map<String, Long> reasonMs, long signedInMs, Double occupancy,
                        Double utilization, long surveys, Double csat) {
}
