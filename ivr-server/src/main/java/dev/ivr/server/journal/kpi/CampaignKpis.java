package dev.ivr.server.journal.kpi;

/**
 * The figures of one campaign (or of every campaign, {@link #ALL}) in one interval. Definitions: docs/reporting.md
 * ("Per campaign").
 *
 * @param attempts     attempts dialled (a preview the agent skipped was never dialled: not an attempt)
 * @param answered     the phone was answered (by a person or a machine): results answered, abandoned and machine
 * @param busy         result busy
 * @param noAnswer     result no-answer
 * @param congestion   result congestion
 * @param failed       failed, node-lost (the dialing server died) and any other result
 * @param machine      answered by an answering machine (result machine)
 * @param dialing      attempts still under way (no result yet)
 * @param skipped      previews the agent skipped (not counted in attempts)
 * @param abandoned    answered with no agent free (result abandoned)
 * @param agentHandled answered attempts whose call an agent talked to, and the talk ended
 * @param talkMs       the agents' talk time on those calls
 * @param wrapUpMs     the agents' wrap-up after those calls
 * @param optOuts      customers who withdrew consent in the campaign's calls (do-not-call entries of the campaign
 *                     made by a flow)
 */
public record CampaignKpis(String campaign, long attempts, long answered, long busy, long noAnswer, long congestion,
                           long failed, long machine, long dialing, long skipped, long abandoned, long agentHandled,
                           long talkMs, long wrapUpMs, long optOuts) {
    /** The name of the row of every campaign. */
    public static final String ALL = "*";

    public static CampaignKpis zero(String campaign) {
        return new CampaignKpis(campaign, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** A person answered: answered − machine. */
    public long contacts() {
        return answered - machine;
    }

    /** contacts ÷ attempts, null without attempts. */
    public Double contactRate() {
        return ratio(contacts(), attempts);
    }

    /** abandoned ÷ answered, null without answered calls. */
    public Double abandonRate() {
        return ratio(abandoned, answered);
    }

    /** talk ÷ agent-handled calls. */
    public Long averageTalkMs() {
        return average(talkMs, agentHandled);
    }

    /** (talk + wrap-up) ÷ agent-handled calls. */
    public Long ahtMs() {
        return average(talkMs + wrapUpMs, agentHandled);
    }

    /** Whether anything was counted. */
    public boolean counted() {
        return attempts + skipped + optOuts > 0;
    }

    /** This and another's figures, under this one's name. */
    public CampaignKpis plus(CampaignKpis o) {
        return new CampaignKpis(campaign, attempts + o.attempts, answered + o.answered, busy + o.busy,
                noAnswer + o.noAnswer, congestion + o.congestion, failed + o.failed, machine + o.machine,
                dialing + o.dialing, skipped + o.skipped, abandoned + o.abandoned, agentHandled + o.agentHandled,
                talkMs + o.talkMs, wrapUpMs + o.wrapUpMs, optOuts + o.optOuts);
    }

    private static Double ratio(long part, long whole) {
        return whole <= 0 ? null : (double) part / whole;
    }

    private static Long average(long total, long n) {
        return n <= 0 ? null : Math.round((double) total / n);
    }
}
