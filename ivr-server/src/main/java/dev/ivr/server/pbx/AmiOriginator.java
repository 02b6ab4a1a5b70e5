package dev.ivr.server.pbx;

import dev.ivr.server.routing.Originator;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.StatusAction;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.event.StatusEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Callbacks through AMI: an asynchronous {@code Originate} rings the agent's endpoint, and the
 * agent answering sends the new channel into the callback context with the customer's number
 * as extension (the dialplan dials the customer there). The outcome is Asterisk's
 * {@code OriginateResponse} (reason 4 answered, 3 no answer, 5 busy, 8 congestion, 0/1 failed);
 * the end of the call is the {@code Hangup} event of the channel it created, or, when that was
 * missed during a reconnection, its endpoint found idle afterwards.
 */
public final class AmiOriginator implements Originator {
    private static final Logger LOG = LoggerFactory.getLogger(AmiOriginator.class);
    private static final Duration RESPONSE_MARGIN = Duration.ofSeconds(15);
    /** The longest the channel list ({@code Status}) is waited for. */
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(5);

    private record Active(String endpoint, CompletableFuture<Instant> hangup) {
    }

    private final AmiConnection ami;
    private final Clock clock;
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    /**
     * Hang-ups of the last {@link #EARLY_HANGUP_MEMORY}, by unique id: the {@code OriginateResponse} reaches the sending
     * thread while the {@code Hangup} that follows it on the wire comes through the event thread, so a call that ends
     * at once (a short message, a machine) can be seen ended before it is known as ours.
     */
    private final Map<String, Instant> recentHangups = new ConcurrentHashMap<>();
    private static final Duration EARLY_HANGUP_MEMORY = Duration.ofMinutes(2);
    private volatile int pruneAt = 1024;

    public AmiOriginator(AmiConnection ami, Clock clock) {
        this.ami = ami;
        this.clock = clock;
        ami.addListener(this::onEvent);
    }

    @Override
    public boolean available() {
        return ami.available();
    }

    @Override
    public Result originate(Request request) throws InterruptedException {
        OriginateAction a = new OriginateAction();
        a.setChannel(request.channel());
        a.setContext(request.context());
        a.setExten(request.exten());
        a.setPriority(1);
        a.setTimeout(request.timeout().toMillis());
        a.setCallerId(request.callerId());
        a.setAsync(true);
        a.setVariables(request.variables());
        ResponseEvents r;
        try {
            r = ami.send(a, request.timeout().plus(RESPONSE_MARGIN));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new OriginateException(e.getMessage(), e);
        }
        if (r.getResponse() != null && "Error".equalsIgnoreCase(r.getResponse().getResponse())) {
            throw new OriginateException("Originate refused: " + r.getResponse().getMessage(), null);
        }
        for (ResponseEvent e : r.getEvents()) {
            if (e instanceof OriginateResponseEvent o) {
                if (o.isSuccess() || "Success".equalsIgnoreCase(o.getResponse())) {
                    CompletableFuture<Instant> hangup = new CompletableFuture<>();
                    active.put(o.getUniqueId(), new Active(request.channel(), hangup));
                    hangup.whenComplete((t, x) -> active.remove(o.getUniqueId()));
                    Instant early = recentHangups.remove(o.getUniqueId());
                    if (early != null) {
                        hangup.complete(early); // it hung up before this thread had the response
                    }
                    return new Result(true, null, o.getUniqueId(), hangup, o.getChannel());
                }
                return new Result(false, reason(o.getReason()), null, new CompletableFuture<>());
            }
        }
        throw new OriginateException("no OriginateResponse within " + request.timeout().plus(RESPONSE_MARGIN), null);
    }

    /**
     * AMI {@code Status} with {@code Variables: <variable>}: Asterisk answers one {@code Status} event per channel,
     * each with a {@code Variable: NAME=value} line per variable asked for, then {@code StatusComplete}.
     */
    @Override
    public Optional<Boolean> hasChannel(String variable, String value) throws InterruptedException {
        if (!ami.available()) {
            return Optional.empty();
        }
        StatusAction a = new StatusAction();
        a.setVariables(variable);
        try {
            ResponseEvents r = ami.send(a, STATUS_TIMEOUT);
            if (r.getResponse() != null && "Error".equalsIgnoreCase(r.getResponse().getResponse())) {
                LOG.warn("AMI Status refused: {}", r.getResponse().getMessage());
                return Optional.empty();
            }
            for (ResponseEvent e : r.getEvents()) {
                if (e instanceof StatusEvent status && status.getVariables() != null
                        && value.equals(status.getVariables().get(variable))) {
                    return Optional.of(true);
                }
            }
            return Optional.of(false);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            LOG.warn("AMI Status failed: {}", e.toString());
            return Optional.empty();
        }
    }

    static String reason(Integer code) {
        if (code == null) {
            return "failed";
        }
        return switch (code) {
            case 3 -> "no-answer";
            case 5 -> "busy";
            case 8 -> "congestion";
            default -> "failed";
        };
    }

    private void onEvent(ManagerEvent e) {
        if (e instanceof HangupEvent h && h.getUniqueId() != null) {
            Instant now = clock.instant();
            if (recentHangups.size() > pruneAt) { // amortised: a sweep only when the map has doubled
                recentHangups.values().removeIf(t -> t.isBefore(now.minus(EARLY_HANGUP_MEMORY)));
                pruneAt = Math.max(1024, 2 * recentHangups.size());
            }
            recentHangups.put(h.getUniqueId(), now);
            Active a = active.get(h.getUniqueId());
            if (a != null) {
                recentHangups.remove(h.getUniqueId());
                a.hangup().complete(now);
            }
        }
    }

    /** After a reconnection: calls whose endpoint is idle now ended while the connection was down. */
    void endpointsIdle(java.util.Set<String> idleEndpoints) {
        active.values().forEach(a -> {
            if (idleEndpoints.contains(a.endpoint().toUpperCase(java.util.Locale.ROOT))) {
                LOG.info("callback channel on {} ended while AMI was away", a.endpoint());
                a.hangup().complete(clock.instant());
            }
        });
    }
}
