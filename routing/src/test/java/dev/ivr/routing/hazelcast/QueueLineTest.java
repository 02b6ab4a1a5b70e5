package dev.ivr.routing.hazelcast;

import dev.ivr.routing.QueueDefinition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.ivr.routing.hazelcast.Fixtures.T0;
import static dev.ivr.routing.hazelcast.Fixtures.call;
import static org.assertj.core.api.Assertions.assertThat;

class QueueLineTest {

    /** Waiting (not offered) calls of the same queue that come before {@code call}: the walk the line replaces. */
    private static int walk(LocalView view, CallEntry call) {
        int ahead = 0;
        for (CallEntry other : view.calls()) {
            if (other.record.queueId().equals(call.record.queueId()) && other != call && !other.record.isOffered()
                    && view.compare(other, call, T0) < 0) {
                ahead++;
            }
        }
        return ahead;
    }

    @Test
    void positionsStayExactThroughArrivalsOffersRequeuesAndDepartures() {
        LocalView view = new LocalView();
        view.applyQueue(QueueDefinition.builder("support").requireSkill("technical", 1).build());
        view.applyQueue(QueueDefinition.builder("sales").requireSkill("sales", 1).priority(2).build());
        Random random = new Random(7);
        List<String> live = new ArrayList<>();
        int next = 0;
        int checked = 0;
        // more changes than a snapshot keeps beside it, several times over: snapshots dropped and taken again
        for (int step = 0; step < 6 * QueueLine.MAX_CHANGES; step++) {
            int op = live.size() < 20 ? 0 : random.nextInt(10);
            if (op <= 3) {
                String id = "c" + next++;
                view.applyCall(call(id, random.nextInt(4) == 0 ? "sales" : "support", T0 + random.nextInt(1000),
                        random.nextInt(3)));
                live.add(id);
            } else if (op <= 5) {
                CallEntry e = view.call(live.get(random.nextInt(live.size())));
                CallRecord offered = e.record.offer("agent", "Agent", "PJSIP/1", T0);
                if (offered != null) {
                    view.applyCall(offered);
                }
            } else if (op == 6) {
                CallEntry e = view.call(live.get(random.nextInt(live.size())));
                CallRecord back = e.record.isOffered() ? e.record.requeue(e.record.agentId()) : null;
                if (back != null) {
                    view.applyCall(back); // at the head of its queue: a new place
                }
            } else {
                String id = live.remove(random.nextInt(live.size()));
                view.removeCall(view.call(id).record);
            }
            // ask for a few positions now and then, as waiting callers do
            if (random.nextInt(3) == 0) {
                for (int k = 0; k < 5 && !live.isEmpty(); k++) {
                    CallEntry e = view.call(live.get(random.nextInt(live.size())));
                    assertThat(view.waitingAhead(e)).as("step %d, call %s", step, e.id()).isEqualTo(walk(view, e));
                    checked++;
                }
            }
        }
        for (String id : live) {
            CallEntry e = view.call(id);
            assertThat(view.waitingAhead(e)).isEqualTo(walk(view, e));
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void aPlaceNoLongerHeldCountsTheCallsBeforeIt() {
        LocalView view = new LocalView();
        view.applyQueue(QueueDefinition.builder("support").requireSkill("technical", 1).build());
        for (int i = 0; i < 5; i++) {
            view.applyCall(call("c" + i, "support", T0 + i, 0));
        }
        CallEntry third = view.call("c2");
        assertThat(view.waitingAhead(third)).isEqualTo(2);
        view.removeCall(third.record);
        view.applyCall(view.call("c0").record.offer("agent", "Agent", "PJSIP/1", T0));
        // the entry a caller still holds after its call left: the waiting calls that were before its place
        assertThat(view.waitingAhead(third)).isEqualTo(1);
        assertThat(view.waitingAhead(view.call("c4"))).isEqualTo(2);
    }

    @Test
    void anOfferedCallCountsForNobodyAndTheLineHoldsEveryCall() {
        QueueLine line = new QueueLine();
        LocalView view = new LocalView();
        view.applyQueue(QueueDefinition.builder("q").build());
        CallEntry a = view.applyCall(call("a", "q", T0, 0));
        CallEntry b = view.applyCall(call("b", "q", T0 + 1, 0));
        CallEntry c = view.applyCall(call("c", "q", T0 + 2, 0));
        line.add(a.orderKey, a);
        line.add(b.orderKey, b);
        assertThat(line.waitingAhead(c.orderKey)).isEqualTo(2); // snapshot taken
        CallEntry offeredA = new CallEntry(a.record.offer("agent", "Agent", "PJSIP/1", T0), null);
        assertThat(line.remove(a.orderKey, offeredA)).isFalse(); // not the entry at that place
        assertThat(line.remove(a.orderKey, a)).isTrue();
        line.add(a.orderKey, offeredA);
        line.add(c.orderKey, c);
        assertThat(line.waitingAhead(c.orderKey)).isEqualTo(1);
        assertThat(line.waitingAhead(b.orderKey)).isZero();
        assertThat(line.size()).isEqualTo(3);
    }
}
