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
        String pbx,
        @Doc("Event types other systems send to POST /api/events, each with the campaign that calls the customer (docs/outbound.md).")
        List<EventConfig> events) implements Validated {

    public OutboundConfig {
        campaigns = campaigns == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(campaigns));
        pbx = pbx == null || pbx.isBlank() ? null : pbx.trim();
        events = events == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(events));
    }

    /** Campaigns dialled through the first PBX, without events. */
    public OutboundConfig(boolean enabled, String channel, String context, Duration pollInterval, Duration ringTimeout,
                          Duration maxCallTime, List<CampaignConfig> campaigns) {
        this(enabled, channel, context, pollInterval, ringTimeout, maxCallTime, campaigns, null, null);
    }

    /** The campaigns' names, as flows' {@code remind} nodes name them (checked when the flows load). */
    public java.util.Set<String> campaignNames() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        campaigns.stream().filter(c -> c != null && c.name() != null).forEach(c -> out.add(c.name()));
        return out;
    }

    /** The configuration of an event type, if any. */
    public java.util.Optional<EventConfig> event(String type) {
        return events.stream().filter(e -> e != null && e.type() != null && e.type().equals(type)).findFirst();
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
        Set<String> types = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            EventConfig e = events.get(i);
            if (e == null) {
                p.add("events[" + i + "]", "is empty");
                continue;
            }
            if (e.type() != null && !types.add(e.type())) {
                p.add("events[" + i + "].type", "'" + e.type() + "' is configured twice");
            }
            e.validate(p, "events[" + i + "].", names);
        }
    }
}
