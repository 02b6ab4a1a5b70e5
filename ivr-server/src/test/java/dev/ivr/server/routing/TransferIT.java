package dev.ivr.server.routing;

import dev.ivr.routing.AgentState;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.callcontext.DeskMessage;
import dev.ivr.server.callcontext.Transfer;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.crm.TransferLog;
import dev.ivr.server.crm.wrapup.JdbcTransferLog;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.DialedLeg;
import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.server.testing.Closer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.ivr.server.routing.RoutingHarness.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A blind transfer from the agent desktop's API over the fake PBX and its AMI: the agent on a support call transfers
 * it to the sales queue with a note; the server asks the PBX (AMI Hangup of the agent's channels, Asterisk's
 * regular-expression form) to end the agent's leg; the call's server sees Dial return with the caller still there
 * and offers the call anew in sales; the sales agent's screen pop shows the same caller, path and inputs plus who
 * transferred and why; the first agent's wrap-up starts as they leave; the interaction has the last agent and the
 * first wait, and the transfer log has the first leg.
 */
@Tag("integration")
class TransferIT {
    static final Duration T = Duration.ofSeconds(60);
    static final String PASSWORD = "correct horse battery";
    final Closer open = new Closer();

    @AfterEach
    void stop() {
        open.close();
    }

    @Test
    void aTransferToAQueueIsANewOfferWithTheContextAndTheNote(@TempDir Path dir) throws Exception {
        TransferRig rig = TransferRig.start(dir, true);
        open.add(rig);
        RoutingHarness h = rig.h;
        FakeAmi ami = rig.ami;
        JdbcTransferLog transferLog = rig.transferLog;
        List<DeskMessage> pops = rig.pops;
        String base = rig.base;
        String tess = rig.tess;
        String sid = rig.sid;

        // ---- the caller reaches tess in support
        CompletableFuture<Void> secondTalk = new CompletableFuture<>();
        FakeCall call = h.pbx.call("queue-test").callerId("+3612345678")
                .caller(Caller.script().dial(Caller.DialOutcome.ANSWER, new CompletableFuture<>())
                        .dial(Caller.DialOutcome.ANSWER, secondTalk))
                .start();
        String callId = call.uniqueId();
        await().atMost(T).until(() -> h.service().agent("tess").orElseThrow().state() == AgentState.ON_CALL);
        CallContext first = pops.stream().filter(m -> m.kind() == DeskMessage.Kind.OFFERED).findFirst().orElseThrow().context();

        // ---- refusals: not on a call, unknown queue, outside number not allowed, another agent's id
        assertThat(post(base, "/api/agents/sid/transfer", sid, new JsonObject().put("to", "queue").put("target", "support"))
                .statusCode()).as("sid is not on a call").isEqualTo(409);
        assertThat(post(base, "/api/agents/tess/transfer", sid, new JsonObject().put("to", "queue").put("target", "sales"))
                .statusCode()).as("another agent's id").isEqualTo(403);
        assertThat(post(base, "/api/agents/tess/transfer", tess, new JsonObject().put("to", "queue").put("target", "nowhere"))
                .statusCode()).isEqualTo(400);
        assertThat(post(base, "/api/agents/tess/transfer", tess, new JsonObject().put("to", "number").put("target", "0036;evil"))
                .statusCode()).isEqualTo(400);
        assertThat(post(base, "/api/agents/tess/transfer", tess, new JsonObject().put("to", "agent").put("target", "sid"))
                .statusCode()).as("support has no preferred-agent wait").isEqualTo(409);

        // ---- sid gets ready; tess transfers to sales with a note
        assertThat(post(base, "/api/agents/sid/ready", sid, null).statusCode()).isEqualTo(200);
        String note = "Wants to upgrade to <b>Premium</b>; already verified";
        HttpResponse<String> t = post(base, "/api/agents/tess/transfer", tess,
                new JsonObject().put("to", "queue").put("target", "sales").put("note", note));
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        assertThat(ami.actions("Hangup")).singleElement()
                .satisfies(a -> assertThat(a.get("Channel")).isEqualTo("/^PJSIP\\/2001-[0-9a-f]+$/"));

        // ---- the first agent's wrap-up starts as she leaves; sid is offered the call with the same context
        await().atMost(T).until(() -> h.service().agent("sid").orElseThrow().state() == AgentState.ON_CALL);
        assertThat(h.service().agent("tess").orElseThrow().state()).isEqualTo(AgentState.WRAP_UP);
        CallContext second = pops.stream().filter(m -> m.kind() == DeskMessage.Kind.OFFERED && "sid".equals(m.agentId()))
                .findFirst().orElseThrow().context();
        assertThat(second.callId()).isEqualTo(callId);
        assertThat(second.ani()).isEqualTo(first.ani());
        assertThat(second.ivrPath()).isEqualTo(first.ivrPath());
        assertThat(second.inputs()).isEqualTo(first.inputs());
        assertThat(second.queue()).isEqualTo("sales");
        assertThat(second.fields()).containsAllEntriesOf(first.fields())
                .containsEntry(Transfer.FIELD_BY, "tess").containsEntry(Transfer.FIELD_NOTE, note)
                .containsEntry(Transfer.FIELD_FROM_QUEUE, "support");

        secondTalk.complete(null);
        CallResult r = call.await(T);
        assertThat(r.dials()).extracting(DialedLeg::status).containsExactly("ANSWER", "ANSWER");
        assertThat(r.dials()).extracting(d -> d.inherited().get("IVR_AGENT_ID")).containsExactly("tess", "sid");
        // ---- both legs in the history: the interaction (last agent, first wait) and the transfer log
        Interaction i = h.interaction(callId);
        assertThat(i.agentId()).isEqualTo("sid");
        assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ROUTED);
        assertThat(i.waitTime()).isNotNull();
        List<TransferLog.Entry> legs = transferLog.forCalls(List.of(callId)).get(callId);
        assertThat(legs).singleElement().satisfies(e -> {
            assertThat(e.fromAgent()).isEqualTo("tess");
            assertThat(e.fromQueue()).isEqualTo("support");
            assertThat(e.kind()).isEqualTo("QUEUE");
            assertThat(e.target()).isEqualTo("sales");
            assertThat(e.note()).isEqualTo(note);
        });
    }

    static String login(String base, String id) throws Exception {
        HttpResponse<String> r = post(base, "/api/login", null, new JsonObject().put("id", id).put("password", PASSWORD));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body()).getString("token");
    }

    static HttpResponse<String> post(String base, String path, String token, JsonObject body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.encode()))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
