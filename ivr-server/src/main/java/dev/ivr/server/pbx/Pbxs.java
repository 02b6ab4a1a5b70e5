package dev.ivr.server.pbx;

import dev.ivr.server.call.CallRecorder;

import dev.ivr.routing.RoutingService;
import dev.ivr.server.call.AgentLegControl;
import dev.ivr.server.call.Supervision;
import dev.ivr.server.config.AmiConfig;
import dev.ivr.server.config.PbxConfig;
import dev.ivr.server.health.Health;
import dev.ivr.server.health.HealthRegistry;
import dev.ivr.server.logging.LogText;
import dev.ivr.server.routing.Originator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Predicate;
import java.util.Map;
import java.util.Optional;

/**
 * The PBXs this server talks to over AMI (one, or {@code ami.pbxs}): a connection, an originator and the agents'
 * phones per PBX, and the one place that says which PBX an AMI action goes to. Everything that acts on a PBX goes
 * through here, so the callers need not know there are several:
 * <ul>
 *   <li>{@link Originator}: a callback or campaign call is placed on the PBX of the channel's endpoint (the agent's
 *       phone), else on the PBX of the call it is for, else on the first;</li>
 *   <li>{@link AgentLegControl}: an agent's leg is hung up on the PBX of the agent's endpoint (on every connected
 *       PBX when no PBX is known to have it: the expression matches that endpoint's channels only);</li>
 *   <li>{@link Supervision}: the spy call is placed on the PBX of the agent's endpoint; a supervisor's phone on
 *       another PBX is refused (ChanSpy sees the channels of its own PBX only).</li>
 * </ul>
 * Each PBX keeps its own agents true to their phones ({@link AgentPhones}, reconciled at each of its logins), and
 * has its own health check: {@code ami} for the single {@code ami} block, {@code ami.<id>} for each of
 * {@code ami.pbxs}.
 */
public final class Pbxs implements Originator, AgentLegControl, Supervision, CallRecorder,
        dev.ivr.server.outbound.CallRedirect, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pbxs.class);

    /** One PBX. */
    static final class Pbx {
        final String id;
        final AmiConnection ami;
        final AmiOriginator originator;
        volatile AgentPhones phones;

        Pbx(String id, AmiConnection ami, AmiOriginator originator) {
            this.id = id;
            this.ami = ami;
            this.originator = originator;
        }

        boolean knows(String endpoint) {
            AgentPhones p = phones;
            return p != null && p.knows(endpoint);
        }
    }

    private final boolean several;
    private final Map<String, Pbx> pbxs;
    private final PbxSelection selection;

    Pbxs(boolean several, Map<String, Pbx> pbxs, PbxSelection selection) {
        this.several = several;
        this.pbxs = pbxs;
        this.selection = selection;
    }

    /** Connects to every PBX in the background (each retries while its Asterisk is away). */
    public static Pbxs start(AmiConfig config, Clock clock) {
        List<PbxConfig> list = config.effectivePbxs();
        Map<String, Pbx> pbxs = new LinkedHashMap<>();
        try {
            for (PbxConfig c : list) {
                AmiConnection ami = AmiConnection.start(c.connection(config));
                pbxs.put(c.id(), new Pbx(c.id(), ami, new AmiOriginator(ami, clock)));
            }
        } catch (RuntimeException e) {
            pbxs.values().forEach(p -> p.ami.close());
            throw e;
        }
        Pbxs out = new Pbxs(config.several(), pbxs, PbxSelection.of(list, Pbxs::addresses));
        if (config.several()) {
            LOG.info("AMI: {} PBXs: {}", pbxs.size(), String.join(", ", pbxs.keySet()));
        }
        return out;
    }

    private static List<InetAddress> addresses(String host) {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            LOG.warn("AMI: cannot resolve {} ({}): its calls are told by ?pbx= or agi-from only", host, e.getMessage());
            return List.of();
        }
    }

    /** Registers each PBX's health check ({@code ami}, or {@code ami.<id>} with several), none of them critical. */
    public void register(HealthRegistry health) {
        pbxs.values().forEach(p -> health.register(checkName(p.id), false, p.ami::health));
    }

    /** The health check's name of a PBX. */
    public String checkName(String id) {
        return several ? "ami." + id : "ami";
    }

    /**
     * Keeps the agents of each PBX true to their phones on that PBX (reconciled at each of its logins).
     *
     * @return stops it (before the router closes)
     */
    public AutoCloseable keepAgentsTrue(RoutingService router) {
        return keepAgentsTrue(router, agentId -> false);
    }

    /** @param offerRinging whether an agent's phone rings with an offer from here (see {@link AgentPhones#start}) */
    public AutoCloseable keepAgentsTrue(RoutingService router, Predicate<String> offerRinging) {
        for (Pbx p : pbxs.values()) {
            p.phones = AgentPhones.start(p.ami, router, p.originator, endpoint -> p.id.equals(pbxOfEndpoint(endpoint)
                    .orElse(null)), offerRinging);
        }
        return this::closePhones;
    }

    /**
     * Journals the agents' holds ({@link AmiHolds}) on every PBX, each for the agents whose endpoint is on it.
     *
     * @return closes them
     */
    public AutoCloseable journalHolds(RoutingService router, dev.ivr.server.journal.Journal journal, String server) {
        List<AmiHolds> holds = new ArrayList<>();
        for (Pbx p : pbxs.values()) {
            holds.add(AmiHolds.start(p.ami, router, journal, server,
                    endpoint -> p.id.equals(pbxOfEndpoint(endpoint).orElse(null))));
        }
        return () -> holds.forEach(AmiHolds::close);
    }

    private void closePhones() {
        for (Pbx p : pbxs.values()) {
            AgentPhones phones = p.phones;
            if (phones != null) {
                phones.close();
            }
        }
    }

    /** The PBXs' ids, in configuration order. */
    public List<String> ids() {
        return List.copyOf(pbxs.keySet());
    }

    /** The PBX of an agent's endpoint, if known (always, with one PBX). */
    public Optional<String> pbxOfEndpoint(String endpoint) {
        return selection.ofEndpoint(endpoint, (id, e) -> pbxs.get(id).knows(e));
    }

    /** The PBX of a call, from its {@code CallInfo.pbxHint()}, if it can be told (always, with one PBX). */
    public Optional<String> pbxOfCall(String hint) {
        return selection.ofCall(hint);
    }

    /** The PBX for an action on {@code endpoint} on behalf of the call with {@code hint}. */
    Pbx choose(String endpoint, String hint) {
        String id = selection.choose(endpoint, hint, (x, e) -> pbxs.get(x).knows(e));
        if (several && hint != null && !hint.isBlank() && selection.ofCall(hint).isEmpty()
                && selection.ofEndpoint(endpoint, (x, e) -> pbxs.get(x).knows(e)).isEmpty()) {
            LOG.warn("AMI: the call's PBX '{}' is not one of ami.pbxs ({}) and no PBX knows {}: using {}",
                    LogText.escape(hint), String.join(", ", pbxs.keySet()), LogText.escape(endpoint), id);
        }
        return pbxs.get(id);
    }

    /** A PBX's connection health. */
    public Health health(String id) {
        Pbx p = pbxs.get(id);
        return p == null ? Health.down("no PBX '" + id + "'") : p.ami.health();
    }

    /** The agents' phones as a PBX sees them (null before {@link #keepAgentsTrue}). */
    public AgentPhones phones(String id) {
        Pbx p = pbxs.get(id);
        return p == null ? null : p.phones;
    }

    // ------------------------------------------------------------------ Originator

    @Override
    public boolean available() {
        return pbxs.values().stream().anyMatch(p -> p.ami.available());
    }

    @Override
    public Result originate(Request request) throws InterruptedException {
        Pbx p = choose(request.channel(), request.pbx());
        if (several) {
            LOG.info("AMI: Originate of {} on PBX {}", LogText.escape(request.channel()), p.id);
        }
        return p.originator.originate(request);
    }

    /**
     * Asks every PBX (the one a callback's Originate went to depends on the agent's phone): true as soon as one has
     * the channel; empty when none has it but one could not be asked.
     */
    @Override
    public Optional<Boolean> hasChannel(String variable, String value) throws InterruptedException {
        boolean unknown = false;
        for (Pbx p : pbxs.values()) {
            Optional<Boolean> has = p.originator.hasChannel(variable, value);
            if (has.orElse(false)) {
                return has;
            }
            unknown |= has.isEmpty();
        }
        return unknown ? Optional.empty() : Optional.of(false);
    }

    // ------------------------------------------------------------------ AgentLegControl

    @Override
    public int hangUpAgentLeg(String endpoint) {
        Optional<String> owner = pbxOfEndpoint(endpoint);
        if (owner.isPresent()) {
            return new AmiAgentLegs(pbxs.get(owner.get()).ami).hangUpAgentLeg(endpoint);
        }
        List<Pbx> up = new ArrayList<>(pbxs.values().stream().filter(p -> p.ami.available()).toList());
        if (up.isEmpty()) {
            throw new IllegalStateException("no PBX's manager interface is connected (" + String.join(", ", pbxs.keySet())
                    + ")");
        }
        int ended = 0;
        for (Pbx p : up) {
            ended += new AmiAgentLegs(p.ami).hangUpAgentLeg(endpoint);
        }
        return ended;
    }

    // ------------------------------------------------------------------ Supervision

    @Override
    public void spy(String supervisorPhone, String agentEndpoint, Mode mode) {
        Optional<String> agentPbx = pbxOfEndpoint(agentEndpoint);
        Optional<String> supervisorPbx = pbxOfEndpoint(supervisorPhone);
        if (agentPbx.isPresent() && supervisorPbx.isPresent() && !agentPbx.get().equals(supervisorPbx.get())) {
            throw new IllegalArgumentException("the supervisor's phone " + supervisorPhone + " is on PBX "
                    + supervisorPbx.get() + ", the agent's " + agentEndpoint + " on PBX " + agentPbx.get()
                    + ": listening in needs both on one PBX");
        }
        String id = agentPbx.or(() -> supervisorPbx).orElse(selection.first());
        new AmiSupervision(pbxs.get(id).ami).spy(supervisorPhone, agentEndpoint, mode);
    }

    // ------------------------------------------------------------------ CallRecorder

    /**
     * Starts recording on the PBX that has the channel: a unique id does not say which PBX it is on, so with
     * several the connected PBXs are asked in turn until one has it (the others answer "No such channel").
     */
    @Override
    public void start(String channel, String file) {
        onTheChannelsPbx(ami -> new AmiCallRecorder(ami).start(channel, file));
    }

    @Override
    public void mute(String channel, boolean muted) {
        onTheChannelsPbx(ami -> new AmiCallRecorder(ami).mute(channel, muted));
    }

    @Override
    public void stop(String channel) {
        onTheChannelsPbx(ami -> new AmiCallRecorder(ami).stop(channel));
    }

    private void onTheChannelsPbx(java.util.function.Consumer<AmiConnection> action) {
        IllegalStateException refused = null;
        for (Pbx p : pbxs.values()) {
            if (several && !p.ami.available()) {
                continue;
            }
            try {
                action.accept(p.ami);
                return;
            } catch (IllegalStateException e) {
                refused = e;
            }
        }
        throw refused != null ? refused
                : new IllegalStateException("no PBX's manager interface is connected (" + String.join(", ", pbxs.keySet()) + ")");
    }

    // ------------------------------------------------------------------ CallRedirect

    /** Redirects the channel on the PBX that has it (with several, the connected PBXs are asked in turn). */
    @Override
    public void redirect(String channel, String context, String exten) {
        onTheChannelsPbx(ami -> new AmiRedirect(ami).redirect(channel, context, exten));
    }

    @Override
    public void redirectLeg(String channel, String context, String exten) {
        onTheChannelsPbx(ami -> new AmiAgentLegs(ami).redirectLeg(channel, context, exten));
    }

    /** AMI {@code Setvar} on the PBX that has the channel (with several, the connected PBXs are asked in turn). */
    @Override
    public void setChannelVariable(String channel, String name, String value) {
        onTheChannelsPbx(ami -> new AmiAgentLegs(ami).setChannelVariable(channel, name, value));
    }

    /** Tells {@code callEnded} the unique id of every channel that hangs up on any PBX (AMI Hangup events). */
    public void onHangup(java.util.function.Consumer<String> callEnded) {
        pbxs.values().forEach(p -> AmiCallRecorder.onHangup(p.ami, callEnded));
    }

    @Override
    public void close() {
        closePhones();
        pbxs.values().forEach(p -> p.ami.close());
    }
}
