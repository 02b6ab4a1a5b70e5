package dev.ivr.server.pbx;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.routing.RoutingException;
import dev.ivr.routing.RoutingService;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.PJSipShowEndpointsAction;
import org.asteriskjava.manager.event.ContactStatusEvent;
import org.asteriskjava.manager.event.DeviceStateChangeEvent;
import org.asteriskjava.manager.event.EndpointList;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Keeps agent states true to their phones, from the PBX's point of view:
 * <ul>
 *   <li>a READY agent whose phone is in use, ringing or busy with a call the router did not
 *       give them goes NOT_READY ({@value #BUSY_ELSEWHERE}), and back to READY when the phone is
 *       idle again (a phone still ringing with an offer from here whose reservation ran out is no
 *       call from elsewhere: the agent may answer it late, see issue 17);</li>
 *   <li>a phone that is unavailable (not registered) or whose contact is removed or unreachable
 *       makes a READY agent NOT_READY ({@value #UNREGISTERED}), READY again once it registers;</li>
 *   <li>after every AMI login (start, reconnection) {@code PJSIPShowEndpoints} is compared with
 *       every logged-in agent and the same corrections are made; an agent who becomes READY
 *       with a phone known to be unavailable or busy is corrected at once.</li>
 * </ul>
 * An agent kept in wrap-up because the node of its call left the cluster
 * ({@link RoutingEvent#OWNER_LEFT}: the PBX may still bridge that call) is made ready as soon
 * as its phone is idle. Agents the router has RESERVED or ON_CALL, and agents NOT_READY for
 * their own reasons, are never touched. Every server with AMI does this; the corrections are idempotent.
 */
public final class AgentPhones implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentPhones.class);
    public static final String BUSY_ELSEWHERE = "busy-elsewhere";
    public static final String UNREGISTERED = "phone-unregistered";
    private static final Set<String> OURS = Set.of(BUSY_ELSEWHERE, UNREGISTERED);
    private static final Set<String> BUSY = Set.of("INUSE", "BUSY", "RINGING", "RINGINUSE", "ONHOLD");
    private static final Set<String> UNAVAILABLE = Set.of("UNAVAILABLE", "INVALID");
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(10);

    private final AmiConnection ami;
    private final RoutingService router;
    private final AmiOriginator originator;
    /** Whether an agent's endpoint is on this PBX (with several PBXs, each keeps its own agents true). */
    private final Predicate<String> mine;
    /** Whether an agent's phone rings with an unanswered offer from here (see {@link #start}). */
    private final Predicate<String> offerRinging;
    /** Last known device state per endpoint (upper case, e.g. PJSIP/1001). */
    private final Map<String, String> devices = new ConcurrentHashMap<>();
    private final ExecutorService work = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("agent-phones").factory());
    private final RoutingService.Subscription subscription;

    private AgentPhones(AmiConnection ami, RoutingService router, AmiOriginator originator, Predicate<String> mine,
                        Predicate<String> offerRinging) {
        this.offerRinging = offerRinging;
        this.ami = ami;
        this.router = router;
        this.originator = originator;
        this.mine = mine;
        ami.addListener(this::onEvent);
        ami.onLogin(this::reconcile);
        this.subscription = router.subscribe(e -> {
            if (e instanceof RoutingEvent.AgentStateChanged c && (c.to() == AgentState.READY
                    || c.to() == AgentState.WRAP_UP && RoutingEvent.OWNER_LEFT.equals(c.reasonCode()))) {
                work.execute(() -> checkAgent(c.agentId()));
            }
        });
    }

    /** @param originator told when callback channels ended while the connection was down; may be null */
    public static AgentPhones start(AmiConnection ami, RoutingService router, AmiOriginator originator) {
        return start(ami, router, originator, endpoint -> true);
    }

    /**
     * @param originator told when callback channels ended while the connection was down; may be null
     * @param mine       whether an agent's endpoint is on this PBX: only those agents are corrected
     */
    public static AgentPhones start(AmiConnection ami, RoutingService router, AmiOriginator originator,
                                    Predicate<String> mine) {
        return start(ami, router, originator, mine, agentId -> false);
    }

    /**
     * @param offerRinging whether the agent's phone rings with a call offered from here that is not answered yet
     *                     (also once its reservation ran out, the agent READY again): that phone is not busy with a
     *                     call from elsewhere, and the agent may still answer it late
     */
    public static AgentPhones start(AmiConnection ami, RoutingService router, AmiOriginator originator,
                                    Predicate<String> mine, Predicate<String> offerRinging) {
        AgentPhones phones = new AgentPhones(ami, router, originator, mine, offerRinging);
        if (ami.available()) {
            phones.work.execute(phones::reconcile); // logged in before the hook was registered
        }
        return phones;
    }

    /** Whether this PBX listed the endpoint or reported its state (upper or lower case alike). */
    public boolean knows(String endpoint) {
        return endpoint != null && devices.containsKey(key(endpoint));
    }

    /** The last known state of a device (e.g. NOT_INUSE, INUSE, UNAVAILABLE), if any was reported. */
    public Optional<String> deviceState(String endpoint) {
        return Optional.ofNullable(devices.get(key(endpoint)));
    }

    private void onEvent(ManagerEvent e) {
        if (e instanceof DeviceStateChangeEvent d && d.getDevice() != null && d.getState() != null) {
            String state = d.getState().toUpperCase(Locale.ROOT);
            devices.put(key(d.getDevice()), state);
            apply(d.getDevice(), state);
        } else if (e instanceof ContactStatusEvent c) {
            String name = c.getEndpointName() != null ? c.getEndpointName() : c.getAor();
            if (name == null || c.getContactStatus() == null) {
                return;
            }
            String endpoint = "PJSIP/" + name;
            switch (c.getContactStatus()) {
                case "Removed", "Unreachable" -> {
                    devices.put(key(endpoint), "UNAVAILABLE");
                    apply(endpoint, "UNAVAILABLE");
                }
                case "Created", "Reachable" -> {
                    String before = devices.get(key(endpoint));
                    if (before == null || UNAVAILABLE.contains(before)) {
                        devices.put(key(endpoint), "NOT_INUSE");
                        apply(endpoint, "NOT_INUSE");
                    }
                }
                default -> {
                    // Updated, Unknown: nothing to conclude
                }
            }
        }
    }

    /** Compares every logged-in agent with the PBX's endpoints; returns the idle endpoints. */
    Set<String> reconcile() {
        ResponseEvents r;
        try {
            r = ami.send(new PJSipShowEndpointsAction(), LIST_TIMEOUT);
        } catch (Exception e) {
            LOG.warn("AMI: PJSIPShowEndpoints failed ({}): agent states not reconciled with the phones", e.getMessage());
            return Set.of();
        }
        Map<String, String> states = new HashMap<>();
        for (ResponseEvent e : r.getEvents()) {
            if (e instanceof EndpointList l && l.getObjectName() != null) {
                states.put(key("PJSIP/" + l.getObjectName()), stateOf(l.getDevicestate()));
            }
        }
        devices.putAll(states);
        int corrected = 0;
        for (Agent a : router.agents()) {
            if (a.state() == AgentState.LOGGED_OUT || !a.endpoint().regionMatches(true, 0, "PJSIP/", 0, 6)
                    || !mine.test(a.endpoint())) {
                continue; // only PJSIP endpoints are listed; another PBX's agents are that PBX's
            }
            String state = states.getOrDefault(key(a.endpoint()), "UNAVAILABLE"); // unknown to the PBX: cannot ring
            if (correct(a.id(), state)) {
                corrected++;
            }
        }
        Set<String> idle = new HashSet<>();
        states.forEach((endpoint, state) -> {
            if (!BUSY.contains(state)) {
                idle.add(endpoint);
            }
        });
        if (originator != null) {
            originator.endpointsIdle(idle);
        }
        LOG.info("AMI: reconciled {} endpoint(s) with the agents: {} agent state(s) corrected", states.size(), corrected);
        return idle;
    }

    /** An agent became ready, or is held after its call's node left: the phone's known state may correct it. */
    private void checkAgent(String agentId) {
        try {
            router.agent(agentId).filter(a -> mine.test(a.endpoint())).ifPresent(a -> {
                String state = devices.get(key(a.endpoint()));
                if (state != null) {
                    correct(agentId, state);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("agent {}: phone check failed: {}", agentId, e.toString());
        }
    }

    private void apply(String device, String state) {
        for (Agent a : router.agents()) {
            if (a.state() != AgentState.LOGGED_OUT && a.endpoint().equalsIgnoreCase(device) && mine.test(a.endpoint())) {
                correct(a.id(), state);
            }
        }
    }

    /** @return whether the agent's state was changed */
    private boolean correct(String agentId, String deviceState) {
        Agent a = router.agent(agentId).orElse(null);
        if (a == null) {
            return false;
        }
        try {
            if (BUSY.contains(deviceState) && a.state() == AgentState.READY) {
                if (offerRinging.test(agentId)) {
                    LOG.info("agent {}: phone {} is {} with a call offered here whose reservation ran out: left "
                            + "ready (the agent may still answer it)", agentId, a.endpoint(), deviceState);
                    return false;
                }
                router.notReady(agentId, BUSY_ELSEWHERE);
                LOG.info("agent {}: phone {} is {} with a call not routed here: not ready ({})", agentId, a.endpoint(),
                        deviceState, BUSY_ELSEWHERE);
                return true;
            }
            if (UNAVAILABLE.contains(deviceState) && (a.state() == AgentState.READY
                    || a.state() == AgentState.NOT_READY && BUSY_ELSEWHERE.equals(a.reasonCode()))) {
                router.notReady(agentId, UNREGISTERED);
                LOG.warn("agent {}: phone {} is unavailable (not registered): not ready ({})", agentId, a.endpoint(),
                        UNREGISTERED);
                return true;
            }
            if (deviceState.equals("NOT_INUSE") && a.state() == AgentState.WRAP_UP
                    && RoutingEvent.OWNER_LEFT.equals(a.reasonCode())) {
                router.wrapUpDone(agentId);
                LOG.info("agent {}: phone {} is idle: the call of a node that left is over, ready", agentId, a.endpoint());
                return true;
            }
            if (deviceState.equals("NOT_INUSE") && a.state() == AgentState.NOT_READY && OURS.contains(a.reasonCode())) {
                router.ready(agentId);
                LOG.info("agent {}: phone {} is idle again: ready", agentId, a.endpoint());
                return true;
            }
        } catch (RoutingException e) {
            LOG.debug("agent {}: state changed meanwhile ({})", agentId, e.getMessage());
        }
        return false;
    }

    /** Asterisk's device state text (PJSIPShowEndpoints) as the DeviceStateChange constant. */
    static String stateOf(String text) {
        if (text == null) {
            return "UNKNOWN";
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "not in use" -> "NOT_INUSE";
            case "in use" -> "INUSE";
            case "busy" -> "BUSY";
            case "ringing" -> "RINGING";
            case "ring+inuse" -> "RINGINUSE";
            case "on hold" -> "ONHOLD";
            case "unavailable" -> "UNAVAILABLE";
            case "invalid" -> "INVALID";
            default -> "UNKNOWN";
        };
    }

    private static String key(String endpoint) {
        return endpoint.toUpperCase(Locale.ROOT);
    }

    @Override
    public void close() {
        subscription.close();
        work.shutdownNow();
    }
}
