/** The webhooks API ({@code /api/webhooks}, admin) and the live event stream ({@code /api/events/stream}, supervisor). */
package dev.ivr.server.webhook.http;
