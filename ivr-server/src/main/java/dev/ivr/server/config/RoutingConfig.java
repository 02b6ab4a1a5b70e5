package dev.ivr.server.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

public record RoutingConfig(
        @Doc("Whether this server routes calls to agents. Off: route nodes take their failure edge.")
        boolean enabled,
        @Doc("How the agent is dialled: exec (the server sends EXEC Dial through AGI and sees the outcome; no-answer is re-offered at once) or dialplan (the AGI ends with IVR_STATUS=ROUTE and IVR_DIAL_ENDPOINT, IVR_DIAL_TIMEOUT, IVR_DIAL_OPTIONS set, and the dialplan dials; see config/asterisk/extensions.conf).")
        String dialMode,
        @Doc("Dialplan context of the pre-dial handler run on the agent's channel before it rings (Dial option b): the sample sets the X-IVR-Context SIP header there. Empty: none.")
        String preDialHandler,
        @Doc("Dialplan context of the subroutine run on the agent's channel when the agent answers (Dial option U): the sample calls AGI(agi://.../agent-answered) there, which tells the router at once. Empty: none; the answer is then only known when Dial returns, so a conversation longer than reservation-ttl loses its agent.")
        String answerHandler,
        @Doc("Music-on-hold class callers hear while they wait (a route node's announcement.music overrides it).")
        String musicClass,
        @Doc("Time to live of an agent reservation: an offer not answered, failed or released within it is released (the agent is ready again, the call back at the head of its queue). Must exceed every queue's ring time.")
        Duration reservationTtl,
        @Doc("How long an agent is kept in wrap-up when the server that owned its call stops or dies while the agent's phone rang or talked (at least the queue's wrap-up time): Asterisk may still bridge that call and no server hears of its end. With AMI the agent is ready as soon as its phone is idle; the agent may also end the wrap-up. 0: ready at once (a busy phone may then be offered another call).")
        Duration ownerLostHold,
        @Doc("How long a call's context (the screen pop) stays in the cluster after the agent was offered the call.")
        Duration contextTtl,
        @Doc("Customer attributes (from the CRM) copied into the screen pop and the agent leg. Empty: all of them.")
        List<String> contextAttributes,
        @Doc("How long a callback keeps its place in the queue before it is given up (needs ami.enabled).")
        Duration callbackExpiry,
        @Doc("Dialplan context Asterisk runs, with the customer's number as extension, once the agent answered a callback (AMI Originate).")
        String callbackContext,
        @Doc("How many times a callback calls the customer at most: busy, no answer, congestion and an unavailable line (reported by the dialplan's callback-result script) are tried again.")
        int callbackAttempts,
        @Doc("How long after a busy or unanswered callback the next try joins the queue (first in line).")
        Duration callbackRetryDelay,
        @Doc("How long a server's claim on a callback holds without renewal (renewed every second while the server lives); a callback whose server left the cluster is taken over at once.")
        Duration callbackLease,
        @Doc("How long a waiting caller (or callback) of a server that died keeps its place in the queue, offered to nobody, for another server to take it over with its original enqueue time (the dialplan's fallback resumes the call there). Then it leaves the queue. 0: at once.")
        Duration ownerLeftGrace,
        @Doc("The queues route nodes name (the defaults serve the example flows).")
        List<QueueConfig> queues,
        @Doc("Dialplan context an agent's transfer to an outside number dials, as Dial(Local/NUMBER@context): the sample's ivr-transfer-out sends it to the trunk. Empty: no transfers to outside numbers.")
        String transferContext,
        @Doc("Outside numbers agents may transfer to: a regular expression the whole number must match (the allowlist). Default: 3 to 15 digits with an optional leading +.")
        String transferNumbers,
        @Doc("With several PBXs (ami.pbxs): whether a queued call goes first to agents whose phone is on the call's own PBX (the one that dials the agent's leg). prefer: those agents first, the others when none of them is free (after pbx-affinity-wait); require: only those agents; ignore: any eligible agent. An agent's PBX is the one its endpoint is on (ami.pbxs[].endpoints, else the PBX that lists it). One PBX: no effect.")
        String pbxAffinity,
        @Doc("With pbx-affinity prefer: how long a call waits for an agent on its own PBX before an agent on another PBX may take it. 0: at once when none on its PBX is free.")
        Duration pbxAffinityWait) implements Validated {

    public static final Set<String> DIAL_MODES = Set.of("exec", "dialplan");
    public static final Set<String> PBX_AFFINITIES = Set.of("prefer", "require", "ignore");

    /** Without the PBX affinity settings (their defaults: prefer, at once). */
    public RoutingConfig(boolean enabled, String dialMode, String preDialHandler, String answerHandler, String musicClass,
                         Duration reservationTtl, Duration ownerLostHold, Duration contextTtl,
                         List<String> contextAttributes, Duration callbackExpiry, String callbackContext,
                         int callbackAttempts, Duration callbackRetryDelay, Duration callbackLease,
                         Duration ownerLeftGrace, List<QueueConfig> queues, String transferContext,
                         String transferNumbers) {
        this(enabled, dialMode, preDialHandler, answerHandler, musicClass, reservationTtl, ownerLostHold, contextTtl,
                contextAttributes, callbackExpiry, callbackContext, callbackAttempts, callbackRetryDelay, callbackLease,
                ownerLeftGrace, queues, transferContext, transferNumbers, null, null);
    }

    public RoutingConfig {
        contextAttributes = contextAttributes == null ? List.of() : List.copyOf(contextAttributes);
        queues = queues == null ? List.of() : List.copyOf(queues);
        transferContext = transferContext == null ? "" : transferContext;
        transferNumbers = transferNumbers == null || transferNumbers.isBlank() ? "\\+?[0-9]{3,15}" : transferNumbers;
        pbxAffinity = pbxAffinity == null || pbxAffinity.isBlank() ? "prefer" : pbxAffinity;
        pbxAffinityWait = pbxAffinityWait == null ? Duration.ZERO : pbxAffinityWait;
    }

    @Override
    public void validate(Problems p) {
        if (!DIAL_MODES.contains(dialMode)) {
            p.add("dial-mode", "must be exec or dialplan (got " + dialMode + ")");
        }
        context(p, "pre-dial-handler", preDialHandler);
        context(p, "answer-handler", answerHandler);
        context(p, "callback-context", callbackContext);
        context(p, "transfer-context", transferContext);
        try {
            java.util.regex.Pattern.compile(transferNumbers);
        } catch (java.util.regex.PatternSyntaxException e) {
            p.add("transfer-numbers", "is not a regular expression: " + e.getDescription());
        }
        if (callbackContext == null || callbackContext.isBlank()) {
            p.add("callback-context", "must not be empty");
        }
        if (musicClass == null || !musicClass.matches("[A-Za-z0-9_-]+")) {
            p.add("music-class", "must be a music-on-hold class name such as default (got " + musicClass + ")");
        }
        p.positive("reservation-ttl", reservationTtl);
        p.positive("context-ttl", contextTtl);
        if (ownerLostHold == null || ownerLostHold.isNegative()) {
            p.add("owner-lost-hold", "must be 0 or a positive duration (got " + ownerLostHold + ")");
        }
        p.positive("callback-expiry", callbackExpiry);
        if (callbackAttempts < 1 || callbackAttempts > 20) {
            p.add("callback-attempts", "must be 1 to 20 (got " + callbackAttempts + ")");
        }
        p.positive("callback-retry-delay", callbackRetryDelay);
        p.positive("callback-lease", callbackLease);
        if (!PBX_AFFINITIES.contains(pbxAffinity)) {
            p.add("pbx-affinity", "must be prefer, require or ignore (got " + pbxAffinity + ")");
        }
        if (pbxAffinityWait.isNegative()) {
            p.add("pbx-affinity-wait", "must be 0 or a positive duration (got " + pbxAffinityWait + ")");
        }
        if (ownerLeftGrace == null || ownerLeftGrace.isNegative()) {
            p.add("owner-left-grace", "must be 0 or a positive duration (got " + ownerLeftGrace + ")");
        }
        Set<String> ids = new HashSet<>();
        for (QueueConfig q : queues) {
            if (q != null && q.id() != null) {
                ids.add(q.id());
            }
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < queues.size(); i++) {
            QueueConfig q = queues.get(i);
            p.section("queues[" + i + "]", q == null ? null : problems -> q.validate(problems, ids));
            if (q == null || q.id() == null) {
                continue;
            }
            if (!seen.add(q.id())) {
                p.add("queues[" + i + "].id", "'" + q.id() + "' is used twice");
            }
            if (reservationTtl != null && q.effectiveRingTime().plusSeconds(10).compareTo(reservationTtl) > 0) {
                p.add("queues[" + i + "].ring-time", "must be at least 10s shorter than routing.reservation-ttl ("
                        + DurationText.format(reservationTtl) + ")");
            }
        }
        if (enabled && queues.isEmpty()) {
            p.add("queues", "must list at least one queue when routing is enabled");
        }
    }

    private static void context(Problems p, String key, String value) {
        if (value != null && !value.isEmpty() && !value.matches("[A-Za-z0-9_.-]+")) {
            p.add(key, "must be a dialplan context name (letters, digits, '_', '-', '.'), got " + value);
        }
    }

    /** The queue of that id, if configured. */
    public java.util.Optional<QueueConfig> queue(String id) {
        return queues.stream().filter(q -> q.id().equals(id)).findFirst();
    }
}
