/** Sending webhooks: the senders that take due deliveries from the queue by lease, sign and POST them, retry and dead-letter. */
package dev.ivr.server.webhook.delivery;
