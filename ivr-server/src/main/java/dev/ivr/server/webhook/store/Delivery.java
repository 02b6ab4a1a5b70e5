package dev.ivr.server.webhook.store;

import java.time.Instant;

/**
 * One event for one subscription, as the delivery queue keeps it.
 *
 * @param id             the delivery's number (its order within the queue)
 * @param subscriptionId the subscription
 * @param eventId        the journal event (receivers deduplicate by it)
 * @param eventType      the event's wire type
 * @param occurredAt     when the event happened
 * @param payload        the JSON body sent
 * @param attempts       attempts made so far
 * @param lastStatus     the receiver's last HTTP status (null: no answer)
 * @param lastError      what went wrong last (null after success)
 */
public record Delivery(long id, String subscriptionId, String eventId, String eventType, Instant occurredAt,
                       String payload, int attempts, Integer lastStatus, String lastError) {
}
