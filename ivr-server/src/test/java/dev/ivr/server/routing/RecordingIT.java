package dev.ivr.server.routing;

import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.routing.AgentState;
import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpApi;
import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.config.AmiConfig;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.config.RecordingConfig;
import dev.ivr.server.config.RoutingConfig;
import dev.ivr.server.config.TokenConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.health.HealthRegistry;
import dev.ivr.server.metrics.Metrics;
import dev.ivr.server.pbx.AmiCallRecorder;
import dev.ivr.server.pbx.AmiConnection;
import dev.ivr.server.recording.Recording;
import dev.ivr.server.recording.RecordingCipher;
import dev.ivr.server.recording.http.RecordingRoutes;
import dev.ivr.server.recording.store.JdbcRecordings;
import dev.ivr.server.recording.store.Recordings;
import dev.ivr.server.testing.Closer;
import dev.ivr.server.testing.TestConfigs;
import dev.ivr.testsupport.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ivr.server.routing.RoutingHarness.config;
import static dev.ivr.server.routing.RoutingHarness.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Call recording end to end over the fake PBX and its AMI, as the server wires it: the agent answers (the answer
 * subroutine's report) and the server starts MixMonitor on the caller's channel (billing: always); the agent leaves,
 * the caller types a card number while the recording is muted (MixMonitorMute both 1, then 0) and a rating while it
 * is not; the caller's hang-up (AMI Hangup event) ends the recording, which is sealed encrypted; over HTTP an agent
 * is refused the audio (403, logged) and a supervisor hears it, decrypted (200, logged).
 */
@Tag("integration")
class RecordingIT {
    static final Duration T = Duration.ofSeconds(60);
    final Closer open = new Closer();

    @AfterEach
    void stop() {
        open.close();
    }

    @Test
    void anAnsweredCallIsRecordedMutedDuringTheCardNumberSealedAndHeardOnlyBySupervisors(@TempDir Path dir)
            throws Exception {
        IvrConfig cfg = TestConfigs.server(dir.resolve("data"));
        ClusterMember member = ClusterMember.start(cfg.cluster(), "recording", cfg.dataDir());
        open.add(member);
        Database db = Database.open(cfg.database(), cfg.dataDir());
        open.add(db);
        assertThat(db.awaitReady(T)).isTrue();
        RoutingConfig routing = config("exec", queue("billing", Map.of("billing", 1), Duration.ofSeconds(20),
                Duration.ZERO));
        RoutingHarness h = new RoutingHarness(member.hazelcast(), RoutingHarness.resource("recording/flows"),
                RoutingHarness.resource("recording/prompts"), dir.resolve("no-calendars.yaml"), routing,
                new ScriptedCrm(List.of(), false), null, Clock.systemUTC());
        open.add(h);
        FakeAmi ami = new FakeAmi("ivr", "ami-secret").channelsOf(h.pbx);
        open.add(ami);
        AmiConnection connection = AmiConnection.start(new AmiConfig(true, "127.0.0.1", ami.port(), "ivr", "ami-secret"));
        open.add(connection);
        await().atMost(T).until(connection::available);

        // ---- the recording service as IvrServer wires it: answer -> MixMonitor, secrets -> mute, Hangup -> ended
        Path recDir = dir.resolve("recordings");
        byte[] key = new byte[32];
        new java.util.Random(5).nextBytes(key);
        Path keyFile = Files.writeString(dir.resolve("recording.key"), Base64.getEncoder().encodeToString(key));
        MutableClock clock = new MutableClock(java.time.Instant.now());
        RecordingConfig rc = new RecordingConfig(true, "never", List.of("billing=always"), recDir, "", "wav",
                Duration.ofDays(90), Duration.ofDays(1), List.of("supervisor"), keyFile.toString(), Duration.ofSeconds(10));
        Recordings recordings = new Recordings(rc, recDir, new JdbcRecordings(db.dataSource()),
                new AmiCallRecorder(connection), RecordingCipher.fromKeyFile(keyFile), new SplittableRandom(1), clock);
        h.routing.onAgentAnswered(recordings::agentAnswered);
        h.engine.recordingPauses(recordings);
        AmiCallRecorder.onHangup(connection, recordings::callEnded);

        h.ready("bea", "PJSIP/3001", Map.of("billing", 3));
        CompletableFuture<Void> talk = new CompletableFuture<>();
        FakeCall call = h.pbx.call("recording-test").callerId("+3612345678")
                .caller(Caller.script().dial(Caller.DialOutcome.ANSWER, talk).press("4111111111111111#").press("4"))
                .start();
        String callId = call.uniqueId();
        String channel = h.pbx.liveChannel(callId).orElseThrow();

        // ---- the agent answered: MixMonitor on the caller's channel, by its unique id, into the directory
        await().atMost(T).until(() -> h.service().agent("bea").orElseThrow().state() == AgentState.ON_CALL);
        await().atMost(T).until(() -> ami.recordingAudible(channel));
        assertThat(ami.actions("MixMonitor")).singleElement().satisfies(a -> {
            assertThat(a.get("Channel")).isEqualTo(callId);
            assertThat(a.get("File")).startsWith(recDir + "/").endsWith(".wav").contains(callId);
        });
        Recording running = recordings.store().forCall(callId).get(0);
        assertThat(running.state()).isEqualTo(Recording.State.RECORDING);
        assertThat(running.agentId()).isEqualTo("bea");

        // ---- the agent leaves; the card number is typed while muted, the rating is not
        talk.complete(null);
        call.await(T);
        assertThat(ami.actions("MixMonitorMute")).hasSize(2).allSatisfy(a -> {
            assertThat(a.get("Channel")).isEqualTo(channel);
            assertThat(a.get("Direction")).isEqualTo("both");
        });
        assertThat(ami.actions("MixMonitorMute")).extracting(a -> a.get("State")).containsExactly("1", "0");
        assertThat(ami.mixMonitorHistory(channel)).hasSize(4).endsWith("mute both", "unmute both", "hangup");

        // ---- the hang-up ends it; sealed (encrypted) after the delay
        await().atMost(T).until(() -> recordings.store().get(running.id()).orElseThrow().state() == Recording.State.ENDED);
        clock.advance(Duration.ofSeconds(11));
        assertThat(recordings.seal()).isEqualTo(1);
        Recording stored = recordings.store().get(running.id()).orElseThrow();
        assertThat(stored.state()).isEqualTo(Recording.State.STORED);
        assertThat(stored.encrypted()).isTrue();
        assertThat(recDir.resolve(running.fileName())).as("no plain file left").doesNotExist();

        // ---- over HTTP: agents refused, supervisors allowed, every access logged
        Vertx vertx = Vertx.vertx();
        open.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        Metrics metrics = new Metrics("ivr-1");
        open.add(metrics);
        Auth auth = Auth.of(List.of(new TokenConfig("bea", List.of("agent"), "agent-token-0123456789", null, null),
                new TokenConfig("sam", List.of("supervisor"), "supervisor-token-0123456789", null, null)));
        HttpApi http = HttpApi.start(vertx, cfg.http(), auth, new HealthRegistry(), metrics,
                List.of(new RecordingRoutes(recordings, h.service(), Clock.systemUTC())));
        open.add(http);
        String base = "http://127.0.0.1:" + http.port();
        HttpClient client = HttpClient.newHttpClient();

        assertThat(get(client, base + "/api/calls/" + callId + "/recordings", "agent-token-0123456789").statusCode())
                .as("which recordings there are: shown to agents too").isEqualTo(200);
        assertThat(get(client, base + "/api/recordings/" + running.id() + "/access-log", "agent-token-0123456789")
                .statusCode()).isEqualTo(403);
        HttpResponse<String> list = get(client, base + "/api/calls/" + callId + "/recordings", "supervisor-token-0123456789");
        assertThat(list.statusCode()).isEqualTo(200);
        JsonObject item = new JsonObject(list.body()).getJsonArray("recordings").getJsonObject(0);
        assertThat(item.getString("state")).isEqualTo("stored");
        String audio = item.getString("audio");
        assertThat(audio).isEqualTo("/api/recordings/" + running.id() + "/audio");

        HttpResponse<byte[]> refused = client.send(request(base + audio, "agent-token-0123456789"),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(refused.statusCode()).isEqualTo(403);
        HttpResponse<byte[]> heard = client.send(request(base + audio, "supervisor-token-0123456789"),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(heard.statusCode()).isEqualTo(200);
        assertThat(heard.headers().firstValue("Content-Type")).hasValue("audio/wav");
        assertThat(new String(heard.body(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(heard.body()).hasSize(44 + 16_000); // what the fake PBX wrote, decrypted
        HttpResponse<byte[]> download = client.send(request(base + audio + "?download=true", "supervisor-token-0123456789"),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                v -> assertThat(v).startsWith("attachment;"));
        assertThat(get(client, base + "/api/recordings/" + running.id() + "/audio", null).statusCode()).isEqualTo(401);

        List<JdbcRecordings.Access> log = recordings.store().accessLog(running.id());
        assertThat(log).extracting(JdbcRecordings.Access::user, JdbcRecordings.Access::kind, JdbcRecordings.Access::allowed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("sam", "download", true),
                        org.assertj.core.groups.Tuple.tuple("sam", "play", true),
                        org.assertj.core.groups.Tuple.tuple("bea", "play", false));
        assertThat(log).allSatisfy(a -> {
            assertThat(a.callId()).isEqualTo(callId);
            assertThat(a.address()).isNotBlank();
            assertThat(a.at()).isNotNull();
        });
        HttpResponse<String> accessLog = get(client, base + "/api/recordings/" + running.id() + "/access-log",
                "supervisor-token-0123456789");
        assertThat(new JsonObject(accessLog.body()).getJsonArray("access")).hasSize(3);
    }

    private static HttpRequest request(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }

    private static HttpResponse<String> get(HttpClient client, String url, String token) throws Exception {
        return client.send(request(url, token), HttpResponse.BodyHandlers.ofString());
    }
}
