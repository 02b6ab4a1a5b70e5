package dev.ivr.server.pbx;

import dev.ivr.server.call.AgentLegControl;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.HangupAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.asteriskjava.manager.event.ChannelsHungupListComplete;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.response.ManagerResponse;
import dev.ivr.server.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * {@link AgentLegControl} over AMI: {@code Hangup} with {@code Channel: /^ENDPOINT-[0-9a-f]+$/},
 * Asterisk's regular-expression form (main/manager.c: it answers "Channels hung up will follow",
 * one {@code ChannelHungup} event per channel, then {@code ChannelsHungupListComplete} with
 * {@code ListItems}: the count returned).
 */
public final class AmiAgentLegs implements AgentLegControl {
    private static final Logger LOG = LoggerFactory.getLogger(AmiAgentLegs.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final AmiConnection ami;

    public AmiAgentLegs(AmiConnection ami) {
        this.ami = ami;
    }

    /** The channel-name expression of an endpoint's channels ("PJSIP/1001" -> /^PJSIP\/1001-[0-9a-f]+$/). */
    static String channelsOf(String endpoint) {
        if (endpoint == null || !endpoint.matches("[A-Za-z0-9]+/[A-Za-z0-9_.@+-]+")) {
            throw new IllegalArgumentException("not an endpoint whose channels can be named: " + endpoint);
        }
        String escaped = endpoint.replaceAll("([./+@])", "\\\\$1");
        return "/^" + escaped + "-[0-9a-f]+$/";
    }

    @Override
    public int hangUpAgentLeg(String endpoint) {
        HangupAction hangup = new HangupAction(channelsOf(endpoint));
        ResponseEvents events;
        try {
            events = ami.send(hangup, TIMEOUT);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("AMI Hangup failed: " + e.getMessage(), e);
        }
        ManagerResponse r = events.getResponse();
        if (r == null || "Error".equalsIgnoreCase(r.getResponse())) {
            throw new IllegalStateException("AMI Hangup refused: " + (r == null ? "no answer" : r.getMessage()));
        }
        int count = 0;
        for (ResponseEvent e : events.getEvents()) {
            if (e instanceof ChannelsHungupListComplete done && done.getListItems() != null) {
                count = done.getListItems();
            }
        }
        LOG.info("AMI: hung up {} channel(s) of {}", count, endpoint);
        return count;
    }

    /** AMI {@code Redirect} of the exact channel (Asterisk answers "Redirect successful" or "Channel does not exist: ..."). */
    @Override
    public void redirectLeg(String channel, String context, String exten) {
        new AmiRedirect(ami).redirect(channel, context, exten);
        LOG.info("AMI: moved {} to {},{},1", LogText.escape(channel), context, exten);
    }

    /** AMI {@code Setvar} on the exact channel (Asterisk answers "Variable Set" or "No such channel"). */
    @Override
    public void setChannelVariable(String channel, String name, String value) {
        ManagerResponse r;
        try {
            r = ami.request(new SetVarAction(channel, name, value), TIMEOUT);
        } catch (IllegalStateException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("AMI Setvar interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("AMI Setvar failed: " + e.getMessage(), e);
        }
        if (r == null || "Error".equalsIgnoreCase(r.getResponse())) {
            throw new IllegalStateException("AMI Setvar refused: " + (r == null ? "no answer" : r.getMessage()));
        }
    }
}
