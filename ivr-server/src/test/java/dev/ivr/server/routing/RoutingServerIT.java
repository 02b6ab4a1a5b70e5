package dev.ivr.server.routing;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import dev.ivr.server.IvrServer;
import dev.ivr.server.testing.TestConfigs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole server as ./ivr run starts it: routing with the default queues, the report scripts, AMI. */
@Tag("integration")
class RoutingServerIT {
    static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path data;

    @Test
    void theServerRoutesWithItsDefaultQueuesAndKeepsAgentsTrueToTheirPhones() throws Exception {
        try (FakeAmi ami = new FakeAmi("ivr", "manager-secret-for-tests")) {
            ami.endpoint("PJSIP/1001", "NOT_INUSE");
            ami.endpoint("PJSIP/1002", "UNAVAILABLE");
            try (IvrServer server = IvrServer.start(TestConfigs.server(data, Map.of(
                    "IVR_FLOWS_DIR", RoutingHarness.testFlows().toString(),
                    "IVR_PROMPTS_DIR", RoutingHarness.testPrompts().toString(),
                    "IVR_AMI_ENABLED", "true", "IVR_AMI_PORT", Integer.toString(ami.port()),
                    "IVR_AMI_SECRET", "manager-secret-for-tests")))) {
                var agents = server.routing().service();
                agents.login(new AgentProfile("bea", "Bea", "PJSIP/1001", Map.of("technical", 4), Set.of("en")));
                agents.login(new AgentProfile("cleo", "Cleo", "PJSIP/1002", Map.of("technical", 4), Set.of("en")));
                agents.ready("bea");
                agents.ready("cleo");
                // cleo's phone is not registered: the reconciliation at the AMI login makes her not ready
                await().atMost(T).until(() -> agents.agent("cleo").orElseThrow().state() == AgentState.NOT_READY);
                assertThat(agents.agent("cleo").orElseThrow().reasonCode()).isEqualTo("phone-unregistered");

                FakePbx pbx = new FakePbx("127.0.0.1", server.agiPort()).answerGosub("ivr-agent-answered", "agent-answered");
                CallResult r = pbx.call("queue-test").callerId("+3612345678")
                        .caller(Caller.script().dial(Caller.DialOutcome.ANSWER)).run(T);
                assertThat(r.execs("Dial")).singleElement().extracting(c -> c.arg(1, ""))
                        .isEqualTo("PJSIP/1001,20,b(ivr-agent-leg^s^1)U(ivr-agent-answered^s^1)");
                assertThat(r.dials().get(0).answerGosub().variable("IVR_STATUS")).isEqualTo("OK");
                assertThat(r.variable("IVR_OUTCOME")).isEqualTo("ROUTED");
                assertThat(server.routing().contexts().get(r.uniqueId())).hasValueSatisfying(c ->
                        assertThat(c.agentId()).isEqualTo("bea"));

                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(new io.vertx.core.json.JsonObject(health.body()).getJsonObject("components")
                        .getJsonObject("ami").getString("status")).isEqualTo("UP");
            }
        }
    }
}
