package dev.ivr.server.routing;

import dev.ivr.routing.Reservation;
import dev.ivr.server.callcontext.CallContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AgentLegTest {
    static Reservation reservation(String endpoint, Duration ring) {
        return new Reservation("1763843012.7", "billing", "bea", "Bea", endpoint, 1, Instant.EPOCH, ring);
    }

    @Test
    void dialArgumentsCarryTheEndpointTheRingTimeAndTheHandlers() {
        AgentLeg leg = new AgentLeg("ivr-agent-leg", "ivr-agent-answered");
        assertThat(leg.dialArguments(reservation("PJSIP/1001", Duration.ofMillis(14_500))))
                .isEqualTo("PJSIP/1001,15,b(ivr-agent-leg^s^1)U(ivr-agent-answered^s^1)");
        assertThat(new AgentLeg("", "").dialArguments(reservation("PJSIP/1001", Duration.ofSeconds(20))))
                .isEqualTo("PJSIP/1001,20");
    }

    @Test
    void onlyASingleDialTargetIsAccepted() {
        assertThat(AgentLeg.dialable("PJSIP/1001")).isTrue();
        assertThat(AgentLeg.dialable("PJSIP/agent-7@example.com")).isTrue();
        assertThat(AgentLeg.dialable("PJSIP/1001&PJSIP/1002")).isFalse();
        assertThat(AgentLeg.dialable("PJSIP/1001,1,G(evil)")).isFalse();
        assertThat(AgentLeg.dialable("PJSIP/1001)")).isFalse();
        assertThat(AgentLeg.dialable("1001")).isFalse();
        assertThat(AgentLeg.dialable(null)).isFalse();
    }

    @Test
    void variablesAreOneLineWithoutSeparators() {
        CallContext c = new CallContext("1763843012.7", "+3612345678", "customer-service", "C-1001", "Kovacs,\nAnna|x",
                "gold", Map.of(), "OK", "billing", Map.of(), List.of(), Map.of(), null, null, "billing", "bea",
                Instant.EPOCH, false);
        Map<String, String> v = AgentLeg.variables(c, "1763843012.7;sig=abc");
        assertThat(v).containsEntry("IVR_CUSTOMER_NAME", "Kovacs  Anna x").containsEntry("IVR_CONTEXT", "1763843012.7;sig=abc")
                .containsEntry("IVR_AUTH", "OK").containsEntry("IVR_AGENT_ID", "bea").containsEntry("IVR_CALL_ID", "1763843012.7");
        assertThat(AgentLeg.clean("x".repeat(300))).hasSize(200);
    }
}
