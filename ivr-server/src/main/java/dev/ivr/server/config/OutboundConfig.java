package dev.ivr.server.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Outbound campaigns: what is dialled, how, and when (docs/outbound.md). */
public record OutboundConfig(
        @Doc("Whether this server dials running campaigns (it needs ami.enabled). Every server with it on dials; the database hands each attempt to one of them.")
        boolean enabled,
        @Doc("The channel Asterisk calls the customer on; {number} is the customer's E.164 number. E.g. PJSIP/{number}@trunk.")
        String channel,
        @Doc("The dialplan context the answered call continues in (config/asterisk/extensions.conf: ivr-outbound runs AMD() and the campaign's flow).")
        String context,
        @Doc("How often each server looks for contacts to dial.")
        Duration pollInterval,
        @Doc("How long the customer's phone may ring.")
        Duration ringTimeout,
        @Doc("Longest time an answered call holds its place in max-concurrent (in case its hang-up is never seen).")
        Duration maxCallTime,
        @Doc("The campaigns.")
        List<CampaignConfig> campaigns,
        @Doc("With several PBXs (ami.pbxs): the id of the PBX campaigns dial through; empty: the first.")
        String pbx) implements Validated {

    public OutboundConfig {
        campaigns = campaigns == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(campaigns));
        pbx = pbx == null || pbx.isBlank() ? null : pbx.trim();
    }

    /** Campaigns dialled through the first PBX. */
    public OutboundConfig(boolean enabled, String channel, String context, Duration pollInterval, Duration ringTimeout,
                          Duration maxCallTime, List<CampaignConfig> campaigns) {
        this(enabled, channel, context, pollInterval, ringTimeout, maxCallTime, campaigns, null);
    }

    @Override
    public void validate(Problems p) {
        if (enabled && (channel == null || !channel.contains("{number}"))) {
            p.add("channel", "must contain {number}, e.g. PJSIP/{number}@trunk (got '" + channel + "')");
        }
        if (context == null || !context.matches("[A-Za-z0-9_-]{1,79}")) {
            p.add("context", "must be a dialplan context name (got '" + context + "')");
        }
        p.positive("poll-interval", pollInterval);
        p.positive("ring-timeout", ringTimeout);
        p.positive("max-call-time", maxCallTime);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < campaigns.size(); i++) {
            CampaignConfig c = campaigns.get(i);
            if (c == null) {
                p.add("campaigns[" + i + "]", "is empty");
                continue;
            }
            if (c.name() != null && !names.add(c.name())) {
                p.add("campaigns[" + i + "].name", "'" + c.name() + "' is configured twice");
            }
            c.validate(p, "campaigns[" + i + "].");
        }
    }
}
