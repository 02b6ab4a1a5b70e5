/** The webhook tables: subscriptions, and the durable delivery queue servers take work from by lease. */
package dev.ivr.server.webhook.store;
