package dev.ivr.routing.hazelcast;

import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static dev.ivr.routing.hazelcast.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** The agent state machine as the entry processors apply it. */
class AgentRecordTest {
    private final AgentRecord fresh = Fixtures.loggedIn("a1", Map.of("sales", 5), Set.of("en"));

    @Test
    void loginStartsNotReadyAndEachChangeIsTimeStampedAndVersioned() {
        assertThat(fresh.state()).isEqualTo(AgentState.NOT_READY);
        assertThat(fresh.reasonCode()).isEqualTo("login");
        assertThat(fresh.stateSince()).isEqualTo(T0);

        AgentRecord ready = fresh.ready(T0 + 1000);
        assertThat(ready.state()).isEqualTo(AgentState.READY);
        assertThat(ready.stateSince()).isEqualTo(T0 + 1000);
        assertThat(ready.version()).isGreaterThan(fresh.version());
        assertThat(ready.toAgent().idleSince()).isEqualTo(java.time.Instant.ofEpochMilli(T0 + 1000));
        // ready again changes nothing
        assertThat(ready.ready(T0 + 2000)).isSameAs(ready);
    }

    @Test
    void onlyAReadyAgentOfTheExpectedSessionCanBeReserved() {
        assertThat(fresh.reserve(42, "c1", "q", "n", T0 + 100, T0)).isNull();
        AgentRecord ready = fresh.ready(T0);
        assertThat(ready.reserve(7, "c1", "q", "n", T0 + 100, T0)).as("other login session").isNull();
        AgentRecord reserved = ready.reserve(42, "c1", "q", "n", T0 + 100, T0 + 5);
        assertThat(reserved.state()).isEqualTo(AgentState.RESERVED);
        assertThat(reserved.callId()).isEqualTo("c1");
        assertThat(reserved.reserve(42, "c2", "q", "n", T0 + 100, T0 + 6)).as("second call").isNull();
        assertThat(reserved.answer("c2", T0 + 7)).as("another call's answer").isNull();
    }

    @Test
    void releasedReservationKeepsTheIdleTime() {
        AgentRecord reserved = fresh.ready(T0 + 10).reserve(42, "c1", "q", "n", T0 + 100, T0 + 50);
        AgentRecord released = reserved.release("c1", T0 + 60);
        assertThat(released.state()).isEqualTo(AgentState.READY);
        assertThat(released.stateSince()).isEqualTo(T0 + 10);
        assertThat(reserved.release("other", T0 + 60)).isNull();
    }

    @Test
    void reservationExpiresOnlyAfterItsTimeToLive() {
        AgentRecord reserved = fresh.ready(T0).reserve(42, "c1", "q", "n", T0 + 100, T0);
        assertThat(reserved.expire("c1", T0 + 99)).isNull();
        assertThat(reserved.expire("c1", T0 + 100).state()).isEqualTo(AgentState.READY);
    }

    @Test
    void unansweredOfferMakesTheAgentNotReady() {
        AgentRecord reserved = fresh.ready(T0).reserve(42, "c1", "q", "n", T0 + 100, T0);
        AgentRecord failed = reserved.offerFailed("c1", "no-answer", T0 + 20);
        assertThat(failed.state()).isEqualTo(AgentState.NOT_READY);
        assertThat(failed.reasonCode()).isEqualTo("no-answer");
        assertThat(failed.callId()).isNull();
    }

    @Test
    void callEndsInTimedWrapUpThenReady() {
        AgentRecord onCall = fresh.ready(T0).reserve(42, "c1", "q", "n", T0 + 100, T0).answer("c1", T0 + 5);
        assertThat(onCall.state()).isEqualTo(AgentState.ON_CALL);
        assertThat(onCall.logout(T0 + 6)).as("no logout during a call").isNull();
        assertThat(onCall.ready(T0 + 6)).isNull();

        AgentRecord wrapUp = onCall.callEnded("c1", 30_000, T0 + 1000);
        assertThat(wrapUp.state()).isEqualTo(AgentState.WRAP_UP);
        assertThat(wrapUp.wrapUpUntil()).isEqualTo(T0 + 31_000);
        assertThat(wrapUp.callId()).isEqualTo("c1");
        assertThat(wrapUp.wrapUpExpired(T0 + 30_999)).isNull();
        AgentRecord ready = wrapUp.wrapUpExpired(T0 + 31_000);
        assertThat(ready.state()).isEqualTo(AgentState.READY);
        assertThat(ready.stateSince()).isEqualTo(T0 + 31_000);
    }

    @Test
    void withoutWrapUpTimeTheAgentIsReadyAtOnce() {
        AgentRecord onCall = fresh.ready(T0).reserve(42, "c1", "q", "n", T0 + 100, T0).answer("c1", T0 + 5);
        assertThat(onCall.callEnded("c1", 0, T0 + 9).state()).isEqualTo(AgentState.READY);
        assertThat(onCall.callEnded("other", 0, T0 + 9)).isNull();
    }

    @Test
    void notReadyAskedDuringACallAppliesAfterWrapUp() {
        AgentRecord onCall = fresh.ready(T0).reserve(42, "c1", "q", "n", T0 + 100, T0).answer("c1", T0 + 5);
        AgentRecord pending = onCall.notReady("lunch", T0 + 6);
        assertThat(pending.state()).isEqualTo(AgentState.ON_CALL);
        assertThat(pending.pendingReason()).isEqualTo("lunch");

        AgentRecord wrapUp = pending.callEnded("c1", 10_000, T0 + 100);
        AgentRecord after = wrapUp.wrapUpExpired(T0 + 10_100);
        assertThat(after.state()).isEqualTo(AgentState.NOT_READY);
        assertThat(after.reasonCode()).isEqualTo("lunch");
        assertThat(wrapUp.wrapUpDone(T0 + 200).state()).isEqualTo(AgentState.NOT_READY);
    }

    @Test
    void departedOwnerReleasesReservationsAndEndsCalls() {
        AgentRecord reserved = fresh.ready(T0).reserve(42, "c1", "q", "node-x", T0 + 100, T0);
        assertThat(reserved.ownerLost("node-y", 0, T0 + 1)).isNull();
        assertThat(reserved.ownerLost("node-x", 0, T0 + 1).state()).isEqualTo(AgentState.READY);
        AgentRecord onCall = reserved.answer("c1", T0 + 2);
        AgentRecord held = onCall.ownerLost("node-x", 5000, T0 + 3);
        assertThat(held.state()).isEqualTo(AgentState.WRAP_UP);
        assertThat(held.reasonCode()).isEqualTo(AgentRecord.OWNER_LOST_REASON);
        assertThat(held.wrapUpUntil()).isEqualTo(T0 + 5003);
        assertThat(held.wrapUpExpired(T0 + 5002)).as("held until its time").isNull();
        assertThat(held.wrapUpExpired(T0 + 5003).state()).isEqualTo(AgentState.READY);
        assertThat(held.ownerLost("node-x", 5000, T0 + 4)).as("applied once").isNull();
        assertThat(onCall.ownerLost("node-x", 0, T0 + 3).state()).isEqualTo(AgentState.READY);
    }

    @Test
    void anOfferedAgentWhoseNodeLeftIsHeldBecauseItsPhoneMayStillRing() {
        AgentRecord reserved = fresh.ready(T0).reserve(42, "c1", "q", "node-x", T0 + 100, T0);
        AgentRecord held = reserved.ownerLost("node-x", 3000, T0 + 1);
        assertThat(held.state()).isEqualTo(AgentState.WRAP_UP);
        assertThat(held.callId()).isEqualTo("c1");
        assertThat(held.wrapUpDone(T0 + 2).state()).as("the agent may end it").isEqualTo(AgentState.READY);
    }

    @Test
    void theDecidingNodeIsKeptWhileReservedOnly() {
        AgentRecord reserved = fresh.ready(T0).reserve(42, "c1", "q", "owner", T0 + 100, T0, "decider");
        assertThat(reserved.reservedBy()).isEqualTo("decider");
        assertThat(reserved.notReady("break", T0 + 1).reservedBy()).as("pending keeps it").isEqualTo("decider");
        assertThat(reserved.answer("c1", T0 + 2).reservedBy()).isNull();
        assertThat(reserved.release("c1", T0 + 2).reservedBy()).isNull();
    }

    @Test
    void reloginOnlyWhenNotHoldingACall() {
        AgentProfile profile = new AgentProfile("a1", "A", "PJSIP/2", Map.of("sales", 9), Set.of());
        AgentRecord reserved = fresh.ready(T0).reserve(42, "c1", "q", "n", T0 + 100, T0);
        assertThat(AgentRecord.login(reserved, profile, 43, T0 + 1)).isNull();
        AgentRecord again = AgentRecord.login(fresh.ready(T0), profile, 43, T0 + 1);
        assertThat(again.endpoint()).isEqualTo("PJSIP/2");
        assertThat(again.session()).isEqualTo(43);
        assertThat(again.state()).isEqualTo(AgentState.NOT_READY);
        assertThat(again.version()).isGreaterThan(fresh.version());
        AgentRecord out = again.logout(T0 + 2);
        assertThat(out.state()).isEqualTo(AgentState.LOGGED_OUT);
        assertThat(out.ready(T0 + 3)).as("ready needs a login first").isNull();
    }

    @Test
    void everyRecordTransitionIsOneTheStateMachineAccepts() {
        AgentRecord r = fresh;
        AgentRecord[] chain = {
                r = r.ready(T0 + 1),
                r = r.reserve(42, "c", "q", "n", T0 + 100, T0 + 2),
                r = r.answer("c", T0 + 3),
                r = r.callEnded("c", 1000, T0 + 4),
                r = r.notReady("break", T0 + 5),
                r = r.logout(T0 + 6)};
        AgentState previous = fresh.state();
        for (AgentRecord step : chain) {
            assertThat(previous.canTransitionTo(step.state())).as(previous + " -> " + step.state()).isTrue();
            previous = step.state();
        }
    }

    @Test
    void wrapUpIsExtendedFromItsEndOrFromNowAndOnlyInWrapUp() {
        AgentRecord onCall = fresh.ready(T0).reserve(42, "c1", "q", "n", T0 + 100, T0).answer("c1", T0 + 10);
        assertThat(onCall.extendWrapUp(30_000, T0 + 20)).as("not in wrap-up").isNull();
        AgentRecord wrap = onCall.callEnded("c1", 10_000, T0 + 1000);
        AgentRecord longer = wrap.extendWrapUp(30_000, T0 + 2000);
        assertThat(longer.state()).isEqualTo(AgentState.WRAP_UP);
        assertThat(longer.stateSince()).isEqualTo(wrap.stateSince());
        assertThat(longer.wrapUpUntil()).isEqualTo(T0 + 11_000 + 30_000);
        assertThat(longer.wrapUpExpired(T0 + 11_000)).as("the old end no longer ends it").isNull();
        assertThat(longer.callId()).isEqualTo("c1");
        // past its end (not yet expired by maintenance): counted from now
        assertThat(wrap.extendWrapUp(5_000, T0 + 20_000).wrapUpUntil()).isEqualTo(T0 + 25_000);
        assertThat(wrap.extendWrapUp(0, T0 + 2000)).isNull();
    }

    @Test
    void skillsChangeInAnyLoggedInStateAndKeepTheCall() {
        AgentRecord onCall = fresh.ready(T0).reserve(42, "c1", "q", "n", T0 + 100, T0).answer("c1", T0 + 10);
        AgentRecord changed = onCall.withSkills(Map.of("sales", 2, "support", 8));
        assertThat(changed.skills()).containsExactlyInAnyOrderEntriesOf(Map.of("sales", 2, "support", 8));
        assertThat(changed.state()).isEqualTo(AgentState.ON_CALL);
        assertThat(changed.callId()).isEqualTo("c1");
        assertThat(changed.version()).isGreaterThan(onCall.version());
        assertThat(fresh.logout(T0).withSkills(Map.of("sales", 1))).isNull();
    }
}
