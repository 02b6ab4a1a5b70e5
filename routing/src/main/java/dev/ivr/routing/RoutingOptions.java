package dev.ivr.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of a {@link RoutingService}; {@link #defaults()} suits production.
 *
 * @param name                prefix of the Hazelcast structures ({@code <name>.agents}, {@code <name>.calls},
 *                            {@code <name>.queues}, {@code <name>.stats}, {@code <name>.events}); services with
 *                            the same name in one cluster share agents and calls
 * @param clock               time source of every routing rule (relaxation, wrap-up, reservation expiry, stats)
 * @param strategy            how an agent is chosen for a call
 * @param reservationTtl      a reservation not answered, failed or released within this time is released
 *                            (agent back to ready, call back to the head of its queue); keep it above
 *                            the ring time plus the longest announcement
 * @param maintenanceInterval how often timed rules run: wrap-up end, reservation expiry, relaxation steps,
 *                            calls of departed nodes
 * @param maxAttempts         reservation attempts per decision when other nodes win the race for candidates
 * @param ownerLostHold       how long an agent whose call's node left the cluster while the agent's phone rang
 *                            or talked is kept in wrap-up (at least the queue's wrap-up time): the PBX may still
 *                            bridge that call, and no node will hear of its end; the agent, or a component that
 *                            sees the phone idle, ends the wrap-up sooner. Zero: ready at once
 * @param pbxAffinity         whether calls go first to agents on their own PBX ({@link PbxAffinity#NONE}: no)
 */
public record RoutingOptions(String name, Clock clock, MatchingStrategy strategy, Duration reservationTtl,
                             Duration maintenanceInterval, int maxAttempts, Duration ownerLostHold,
                             Duration ownerLeftGrace, PbxAffinity pbxAffinity) {

    public RoutingOptions {
        Skills.require(name, "name");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(reservationTtl, "reservationTtl");
        Objects.requireNonNull(maintenanceInterval, "maintenanceInterval");
        if (reservationTtl.isNegative() || reservationTtl.isZero()
                || maintenanceInterval.isNegative() || maintenanceInterval.isZero()) {
            throw new IllegalArgumentException("durations must be positive");
        }
        Objects.requireNonNull(ownerLostHold, "ownerLostHold");
        if (ownerLostHold.isNegative()) {
            throw new IllegalArgumentException("ownerLostHold must not be negative");
        }
        Objects.requireNonNull(ownerLeftGrace, "ownerLeftGrace");
        if (ownerLeftGrace.isNegative()) {
            throw new IllegalArgumentException("ownerLeftGrace must not be negative");
        }
        Objects.requireNonNull(pbxAffinity, "pbxAffinity");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
    }

    public static RoutingOptions defaults() {
        return new RoutingOptions("ivr.routing", Clock.systemUTC(), MatchingStrategy.bestSkillThenLongestIdle(),
                Duration.ofSeconds(120), Duration.ofSeconds(1), 8, Duration.ofMinutes(2), Duration.ZERO, PbxAffinity.NONE);
    }

    public RoutingOptions withName(String name) {
        return new RoutingOptions(name, clock, strategy, reservationTtl, maintenanceInterval, maxAttempts, ownerLostHold, ownerLeftGrace, pbxAffinity);
    }

    public RoutingOptions withClock(Clock clock) {
        return new RoutingOptions(name, clock, strategy, reservationTtl, maintenanceInterval, maxAttempts, ownerLostHold, ownerLeftGrace, pbxAffinity);
    }

    public RoutingOptions withStrategy(MatchingStrategy strategy) {
        return new RoutingOptions(name, clock, strategy, reservationTtl, maintenanceInterval, maxAttempts, ownerLostHold, ownerLeftGrace, pbxAffinity);
    }

    public RoutingOptions withReservationTtl(Duration ttl) {
        return new RoutingOptions(name, clock, strategy, ttl, maintenanceInterval, maxAttempts, ownerLostHold, ownerLeftGrace, pbxAffinity);
    }

    public RoutingOptions withMaintenanceInterval(Duration interval) {
        return new RoutingOptions(name, clock, strategy, reservationTtl, interval, maxAttempts, ownerLostHold, ownerLeftGrace, pbxAffinity);
    }

    public RoutingOptions withMaxAttempts(int attempts) {
        return new RoutingOptions(name, clock, strategy, reservationTtl, maintenanceInterval, attempts, ownerLostHold, ownerLeftGrace, pbxAffinity);
    }

    public RoutingOptions withOwnerLostHold(Duration hold) {
        return new RoutingOptions(name, clock, strategy, reservationTtl, maintenanceInterval, maxAttempts, hold, ownerLeftGrace, pbxAffinity);
    }

    public RoutingOptions withOwnerLeftGrace(Duration grace) {
        return new RoutingOptions(name, clock, strategy, reservationTtl, maintenanceInterval, maxAttempts, ownerLostHold,
                grace, pbxAffinity);
    }

    public RoutingOptions withPbxAffinity(PbxAffinity affinity) {
        return new RoutingOptions(name, clock, strategy, reservationTtl, maintenanceInterval, maxAttempts, ownerLostHold,
                ownerLeftGrace, affinity);
    }
}
