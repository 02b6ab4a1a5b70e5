package dev.ivr.loadgen.baseline;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The stock scripts' in-memory routing: who gets the agent, places in line, the estimated wait. */
class AgentPoolTest {
    @Test
    void aCallGetsAFreeAgentAtOnceTheLongestIdleFirst() {
        AgentPool pool = new AgentPool(2, Duration.ofSeconds(30), Duration.ZERO);
        assertThat(pool.enqueue("c1", "support", 3).offered).isEqualTo("PJSIP/a00001");
        assertThat(pool.enqueue("c2", "sales", 1).offered).isEqualTo("PJSIP/a00002");
        AgentPool.Waiting third = pool.enqueue("c3", "sales", 1);
        assertThat(third.offered).isNull();
        assertThat(pool.position(third)).isEqualTo(1);
        assertThat(AgentPool.agentId("PJSIP/a00002")).isEqualTo("agent00002");
    }

    @Test
    void placesCountTheCallsAheadInTheSameQueue() {
        AgentPool pool = new AgentPool(0, Duration.ofSeconds(30), Duration.ZERO);
        AgentPool.Waiting s1 = pool.enqueue("s1", "support", 3);
        AgentPool.Waiting x1 = pool.enqueue("x1", "sales", 1);
        AgentPool.Waiting s2 = pool.enqueue("s2", "support", 3);
        AgentPool.Waiting s3 = pool.enqueue("s3", "support", 3);
        assertThat(pool.position(s3)).isEqualTo(3);
        assertThat(pool.position(x1)).isEqualTo(1);
        pool.cancel(s2);
        assertThat(pool.position(s3)).isEqualTo(2);
        assertThat(pool.position(s1)).isEqualTo(1);
    }

    @Test
    void aFreedAgentTakesTheHigherPriorityCallFirst() throws Exception {
        AgentPool pool = new AgentPool(1, Duration.ofSeconds(30), Duration.ZERO);
        AgentPool.Waiting first = pool.enqueue("c0", "sales", 1);
        AgentPool.Waiting sales = pool.enqueue("c1", "sales", 1);
        AgentPool.Waiting support = pool.enqueue("c2", "support", 3);
        pool.callEnded(first.offered, Duration.ofSeconds(10)); // wrap-up of zero: ready again at once
        assertThat(pool.awaitOffer(support, 10_000)).isEqualTo("PJSIP/a00001");
        assertThat(sales.offered).isNull();
        assertThat(pool.position(sales)).isEqualTo(1);
    }

    @Test
    void aReservedCallThatLeavesFreesItsAgentForTheNext() {
        AgentPool pool = new AgentPool(1, Duration.ofSeconds(30), Duration.ZERO);
        AgentPool.Waiting gone = pool.enqueue("c1", "support", 3);
        AgentPool.Waiting next = pool.enqueue("c2", "support", 3);
        pool.cancel(gone);
        assertThat(next.offered).isEqualTo("PJSIP/a00001");
    }

    @Test
    void notAnsweredTakesTheAgentOutAndPutsTheCallBackInItsPlace() {
        AgentPool pool = new AgentPool(1, Duration.ofSeconds(30), Duration.ZERO);
        AgentPool.Waiting c1 = pool.enqueue("c1", "support", 3);
        AgentPool.Waiting c2 = pool.enqueue("c2", "support", 3);
        pool.notAnswered(c1);
        assertThat(c1.offered).isNull();
        assertThat(pool.position(c1)).isEqualTo(1);
        assertThat(pool.position(c2)).isEqualTo(2);
    }

    @Test
    void theEstimatedWaitIsPlaceTimesHandleTimeOverAgents() {
        AgentPool pool = new AgentPool(4, Duration.ofSeconds(30), Duration.ZERO);
        assertThat(pool.estimatedWait(8)).isEqualTo(Duration.ofSeconds(60)); // 8 × 30 s ÷ 4, no call handled yet
    }
}
