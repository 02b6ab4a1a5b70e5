/**
 * Webhooks: journal events sent to other systems. Subscriptions ({@link dev.ivr.server.webhook.Subscription}),
 * how a delivery is signed ({@link dev.ivr.server.webhook.Signing}), retried ({@link dev.ivr.server.webhook.Backoff})
 * and where it may go ({@link dev.ivr.server.webhook.HostAllowlist}); secrets sealed at rest
 * ({@link dev.ivr.server.webhook.SecretBox}). The durable queue and the senders are in {@code webhook.store}, the
 * API and the event stream in {@code webhook.http}. Receivers' guide: docs/integration.md.
 */
package dev.ivr.server.webhook;
