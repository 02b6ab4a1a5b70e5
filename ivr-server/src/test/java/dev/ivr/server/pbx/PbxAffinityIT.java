package dev.ivr.server.pbx;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.DialedLeg;
import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.IvrServer;
import dev.ivr.server.testing.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routing's PBX affinity with two PBXs (two fake Asterisks; PBX a's FastAGI connections come from 127.0.0.1, b's from
 * 127.0.0.2): ann's phone is on a, bob's on b, and ann is the better skilled. A call on b goes to bob while ann is
 * free too ({@code routing.pbx-affinity: prefer}, the default), and to ann when bob is not free; with
 * {@code require} it waits for bob.
 */
@Tag("integration")
class PbxAffinityIT {
    static final Duration T = Duration.ofSeconds(60);
    static final String SECRET = "manager-secret-for-tests";

    @TempDir
    Path data;
    FakeAmi a;
    FakeAmi b;
    IvrServer server;
    RoutingService agents;

    void start(String affinity) throws Exception {
        a = new FakeAmi("ivr", SECRET);
        b = new FakeAmi("ivr", SECRET);
        a.endpoint("PJSIP/1001", "NOT_INUSE");
        b.endpoint("PJSIP/2001", "NOT_INUSE");
        Path yaml = Files.writeString(data.resolve("ivr.yaml"), """
                agi:
                  allow: [127.0.0.0/8]
                ami:
                  enabled: true
                  secret: ${IVR_AMI_SECRET}
                  pbxs:
                    - id: a
                      host: 127.0.0.1
                      port: %d
                      agi-from: [127.0.0.1/32]
                    - id: b
                      host: 127.0.0.1
                      port: %d
                      agi-from: [127.0.0.2/32]
                routing:
                  pbx-affinity: %s
                """.formatted(a.port(), b.port(), affinity));
        server = IvrServer.start(TestConfigs.server(data, yaml, Map.of(
                "IVR_FLOWS_DIR", SeveralPbxsIT.resource("routing/flows").toString(),
                "IVR_PROMPTS_DIR", SeveralPbxsIT.resource("routing/prompts").toString(),
                "IVR_AMI_SECRET", SECRET)));
        agents = server.routing().service();
        await("both PBXs listed their endpoints").atMost(T).until(() ->
                server.pbxs().pbxOfEndpoint("PJSIP/1001").equals(Optional.of("a"))
                        && server.pbxs().pbxOfEndpoint("PJSIP/2001").equals(Optional.of("b")));
        agents.login(new AgentProfile("ann", "Ann", "PJSIP/1001", Map.of("technical", 9), Set.of("en")));
        agents.login(new AgentProfile("bob", "Bob", "PJSIP/2001", Map.of("technical", 3), Set.of("en")));
        agents.ready("ann");
        agents.ready("bob");
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    /** A call into the routing test flow from {@code address} (its PBX); the agent answers and talks briefly. */
    FakePbx.CallBuilder callFrom(String address) {
        return new FakePbx("127.0.0.1", server.agiPort()).from(address).call("queue-test").callerId("+3612345678")
                .caller(Caller.script().dial(Caller.DialOutcome.ANSWER, Duration.ofMillis(300)));
    }

    static String dialled(CallResult r) {
        assertThat(r.dials()).as("the agent's leg").hasSize(1);
        DialedLeg leg = r.dials().get(0);
        return leg.target();
    }

    @Test
    void preferGivesACallOnBToBobThoughAnnIsBetterSkilledAndFreeThenFallsBackToAnn() throws Exception {
        start("prefer");
        CallResult onB = callFrom("127.0.0.2").run(T);
        assertThat(dialled(onB)).as("b's agent, not the better skilled ann on a").isEqualTo("PJSIP/2001");
        assertThat(agents.agent("ann").orElseThrow().state()).isEqualTo(AgentState.READY);

        // a call on a goes to ann (on a, and better skilled anyway)
        await().atMost(T).until(() -> agents.agent("bob").orElseThrow().state() != AgentState.ON_CALL);
        CallResult onA = callFrom("127.0.0.1").run(T);
        assertThat(dialled(onA)).isEqualTo("PJSIP/1001");

        // nobody on b is free: the next call on b is not kept from ann
        agents.notReady("bob", "break");
        await().atMost(T).until(() -> Set.of(AgentState.READY, AgentState.WRAP_UP)
                .contains(agents.agent("ann").orElseThrow().state()));
        agents.ready("ann"); // her wrap-up after the call on a ends
        CallResult fallback = callFrom("127.0.0.2").run(T);
        assertThat(dialled(fallback)).as("a's agent when none on b is free").isEqualTo("PJSIP/1001");
    }

    @Test
    void requireKeepsACallOnBForBob() throws Exception {
        start("require");
        agents.notReady("bob", "break");
        FakePbx.CallBuilder call = callFrom("127.0.0.2");
        dev.ivr.fakepbx.FakeCall running = call.start();
        await().atMost(T).until(() -> agents.waitingCalls("support").size() == 1);
        Thread.sleep(1500); // ann stays free all along: the call is not offered to her
        assertThat(agents.agent("ann").orElseThrow().state()).isEqualTo(AgentState.READY);
        agents.ready("bob");
        CallResult r = running.await(T);
        assertThat(dialled(r)).isEqualTo("PJSIP/2001");
    }
}
