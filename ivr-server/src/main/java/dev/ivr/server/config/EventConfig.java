package dev.ivr.server.config;

import java.time.Duration;

/** One event type of {@code outbound.events}: what {@code POST /api/events} of this type does. */
public record EventConfig(
        @Doc("The event type as other systems send it (e.g. payment.missed): letters, digits, '.', '_', '-'.")
        String type,
        @Doc("The campaign (of outbound.campaigns) whose flow calls the customer.")
        String campaign,
        @Doc("How long after the event the call is due (then the campaign's calling window and rules apply). Default 0s.")
        Duration delay) {

    public Duration effectiveDelay() {
        return delay == null ? Duration.ZERO : delay;
    }

    void validate(Problems p, String key, java.util.Set<String> campaigns) {
        if (type == null || !type.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            p.add(key + "type", "must be 1-64 letters, digits, '.', '_' or '-' (got '" + type + "')");
        }
        if (campaign == null || !campaigns.contains(campaign)) {
            p.add(key + "campaign", "must name a campaign of outbound.campaigns (got '" + campaign + "')"
                    + (campaign == null ? "" : dev.ivr.server.text.DidYouMean.suffix(campaign, campaigns)));
        }
        if (delay != null && delay.isNegative()) {
            p.add(key + "delay", "must not be negative");
        }
    }
}
