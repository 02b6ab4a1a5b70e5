package dev.ivr.server.pbx;

import dev.ivr.server.call.Supervision;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * {@link Supervision} over AMI: {@code Originate} of the supervisor's phone into the application
 * {@code ChanSpy} with {@code Data: PJSIP/1001-,qwE} (the agent's endpoint's channels, the mode's
 * options). Asynchronous originate: the answer comes as {@code OriginateResponse}, waited for up to
 * the ring time on a virtual thread so no request waits for a phone.
 */
public final class AmiSupervision implements Supervision {
    private static final Logger LOG = LoggerFactory.getLogger(AmiSupervision.class);
    static final Duration RING = Duration.ofSeconds(30);

    private final AmiConnection ami;

    public AmiSupervision(AmiConnection ami) {
        this.ami = ami;
    }

    /** The Originate of a spy call (Channel, Application, Data, CallerID). */
    static OriginateAction action(String supervisorPhone, String agentEndpoint, Mode mode) {
        if (!AgentPhonesSafe.endpoint(supervisorPhone) || !AgentPhonesSafe.endpoint(agentEndpoint)) {
            throw new IllegalArgumentException("not an endpoint: " + supervisorPhone + " / " + agentEndpoint);
        }
        OriginateAction a = new OriginateAction();
        a.setChannel(supervisorPhone);
        a.setApplication("ChanSpy");
        a.setData(agentEndpoint + "-," + mode.chanSpyOptions());
        a.setCallerId("\"" + mode.name().toLowerCase(java.util.Locale.ROOT) + " " + agentEndpoint.replace("\"", "")
                + "\" <spy>");
        a.setTimeout(RING.toMillis());
        a.setAsync(true);
        return a;
    }

    @Override
    public void spy(String supervisorPhone, String agentEndpoint, Mode mode) {
        OriginateAction a = action(supervisorPhone, agentEndpoint, mode);
        if (!ami.available()) {
            throw new IllegalStateException("not connected to the PBX's manager interface");
        }
        Thread.ofVirtual().name("spy-" + agentEndpoint).start(() -> {
            try {
                ResponseEvents r = ami.send(a, RING.plusSeconds(5));
                String outcome = r.getResponse() == null ? "no answer" : r.getResponse().getResponse();
                for (ResponseEvent e : r.getEvents()) {
                    if (e instanceof OriginateResponseEvent o) {
                        outcome = o.getResponse() + " (reason " + o.getReason() + ")";
                    }
                }
                LOG.info("AMI: {} of {} from {}: {}", mode, agentEndpoint, supervisorPhone, outcome);
            } catch (Exception e) {
                LOG.warn("AMI: {} of {} from {} failed: {}", mode, agentEndpoint, supervisorPhone, e.toString());
            }
        });
    }

    /** Endpoint names safe for Channel and ChanSpy's Data (no ',', '&', '|' or spaces). */
    static final class AgentPhonesSafe {
        private AgentPhonesSafe() {
        }

        static boolean endpoint(String s) {
            return s != null && s.matches("[A-Za-z0-9]+/[A-Za-z0-9_.@+-]+");
        }
    }
}
