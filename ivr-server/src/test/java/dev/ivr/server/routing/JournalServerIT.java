package dev.ivr.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.routing.AgentProfile;
import dev.ivr.server.IvrServer;
import dev.ivr.server.testing.TestConfigs;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A routed call through the whole server leaves its events in the journal, each once and in order. */
@Tag("integration")
class JournalServerIT {
    static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path data;

    @Test
    void aRoutedCallAndItsAgentAreJournaledOnceInOrder() throws Exception {
        try (FakeAmi ami = new FakeAmi("ivr", "manager-secret-for-tests")) {
            ami.endpoint("PJSIP/1001", "NOT_INUSE");
            try (IvrServer server = IvrServer.start(TestConfigs.server(data, Map.of(
                    "IVR_FLOWS_DIR", RoutingHarness.testFlows().toString(),
                    "IVR_PROMPTS_DIR", RoutingHarness.testPrompts().toString(),
                    "IVR_AMI_ENABLED", "true", "IVR_AMI_PORT", Integer.toString(ami.port()),
                    "IVR_AMI_SECRET", "manager-secret-for-tests")))) {
                var agents = server.routing().service();
                agents.login(new AgentProfile("bea", "Bea", "PJSIP/1001", Map.of("technical", 4), Set.of("en")));
                agents.ready("bea");
                FakePbx pbx = new FakePbx("127.0.0.1", server.agiPort()).answerGosub("ivr-agent-answered", "agent-answered");
                CallResult r = pbx.call("queue-test").callerId("+3612345678")
                        .caller(Caller.script().dial(Caller.DialOutcome.ANSWER)).run(T);
                assertThat(r.variable("IVR_OUTCOME")).isEqualTo("ROUTED");

                await().atMost(T).until(() -> types(server, r.uniqueId()).contains("CALL_ENDED")
                        && server.journal().pending() == 0);
                List<String> call = types(server, r.uniqueId());
                assertThat(call.get(0)).isEqualTo("CALL_ENTERED");
                assertThat(call).contains("CALL_NODE").containsSubsequence("CALL_ENTERED", "CALL_QUEUED", "CALL_OFFERED",
                        "CALL_ANSWERED", "CALL_ENDED");
                assertThat(call.stream().filter(t -> t.equals("CALL_QUEUED") || t.equals("CALL_ANSWERED")
                        || t.equals("CALL_ENDED") || t.equals("CALL_ENTERED"))).hasSize(4);
                assertThat(agentTypes(server, "bea")).startsWith("AGENT_SIGNED_IN", "AGENT_STATE");
            }
        }
    }

    private static List<String> types(IvrServer server, String callId) throws Exception {
        return column(server, "select event_type from journal_all where call_id = ? order by seq", callId);
    }

    private static List<String> agentTypes(IvrServer server, String agent) throws Exception {
        return column(server, "select event_type from journal_events where agent_id = ? and event_type like 'AGENT%'"
                + " order by seq", agent);
    }

    private static List<String> column(IvrServer server, String sql, String arg) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = server.database().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
