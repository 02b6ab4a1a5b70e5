package dev.ivr.server.crm;

import java.util.Collection;
import java.util.Map;

/**
 * The campaign attempts behind calls, for the contact history: which campaign placed a call, its
 * attempt number, dial result and answering machine detection. Throws
 * {@link CrmUnavailableException} while the database cannot answer.
 */
public interface CampaignCalls {
    /** No campaign calls (no outbound on this server). */
    CampaignCalls NONE = ids -> Map.of();

    /**
     * One call's campaign attempt.
     *
     * @param amd      AMD()'s status: HUMAN, MACHINE, NOTSURE, HANGUP; null when not detected
     * @param amdCause AMD()'s cause, e.g. TOOLONG-5000; null when not given
     */
    record Call(String campaign, int attempt, String result, String amd, String amdCause) {
    }

    /** The campaign attempts of these calls by call id (calls not placed by a campaign are absent). */
    Map<String, Call> forCalls(Collection<String> callIds);
}
