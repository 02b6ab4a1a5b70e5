package dev.ivr.server.journal.kpi;

import java.time.Instant;

/**
 * One outbound campaign attempt as the campaign report reads it (table {@code campaign_attempts}).
 *
 * @param campaign  the campaign
 * @param startedAt when the attempt was claimed and dialled: the attempt counts in this interval
 * @param result    the dial result (answered, busy, no-answer, congestion, failed, abandoned, machine, skipped,
 *                  node-lost), null while it is dialling
 * @param callId    the answered call's id (the journal's and the contact history's), else null
 */
public record CampaignAttempt(String campaign, Instant startedAt, String result, String callId) {
}
