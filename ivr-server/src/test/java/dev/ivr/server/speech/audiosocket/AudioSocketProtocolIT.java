package dev.ivr.server.speech.audiosocket;

import dev.ivr.server.net.Cidr;
import dev.ivr.server.speech.FakeRecognizers;
import dev.ivr.server.speech.ListenRequest;
import dev.ivr.server.speech.ListenResult;
import dev.ivr.server.speech.Speech;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The AudioSocket listener over real TCP, with a raw client speaking the protocol frame by frame. */
@Tag("integration")
class AudioSocketProtocolIT {
    static Vertx vertx;
    static AudioSocketServer server;
    static FakeRecognizers recognizers = new FakeRecognizers(Map.of("en", "yes"), 1000);

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        server = AudioSocketServer.start(vertx, "127.0.0.1", 0, Cidr.parseAll(List.of("127.0.0.1/32")), 10);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private SpeechSession expect(List<String> phrases, String keys) {
        FakeRecognizers.Fake rec = (FakeRecognizers.Fake) recognizers.open("en", phrases);
        SpeechSession s = new SpeechSession(UUID.randomUUID(), "test-call", new ListenRequest("en", phrases, null, keys), rec,
                new EndOfSpeech(Duration.ofSeconds(3), Duration.ofMillis(400), Duration.ofSeconds(10), 12),
                Duration.ofSeconds(60));
        server.expect(s);
        return s;
    }

    private static FakeRecognizers.Fake recognizerOf(int index) {
        return recognizers.opened.get(index);
    }

    /** A client as Asterisk: frames out, frames in on a reader thread. */
    static final class Client implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final List<Integer> kindsReceived = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile boolean closedByServer;

        Client() throws IOException {
            socket = new Socket("127.0.0.1", server.port());
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            Thread.ofVirtual().start(() -> {
                try {
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    while (true) {
                        int kind = in.readUnsignedByte();
                        in.skipNBytes(in.readUnsignedShort());
                        kindsReceived.add(kind);
                    }
                } catch (EOFException e) {
                    closedByServer = true;
                } catch (IOException e) {
                    closedByServer = !socket.isClosed();
                }
            });
        }

        void send(AudioSocketFrame f) throws IOException {
            out.write(f.encode());
            out.flush();
        }

        void sendAudio(byte[] slin) throws IOException {
            for (int off = 0; off < slin.length; off += 320) {
                send(new AudioSocketFrame(AudioSocketFrame.AUDIO, java.util.Arrays.copyOfRange(slin, off, off + 320)));
            }
        }

        void raw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void uuidAudioAndSilenceGiveTheRecognizersAnswerAndTheServerHangsUp() throws Exception {
        SpeechSession session = expect(List.of("yes", "no"), "");
        int index = recognizers.opened.size() - 1;
        byte[] word = Speech.word(600);
        try (Client c = new Client()) {
            c.send(AudioSocketFrame.uuid(session.id()));
            c.sendAudio(Speech.concat(Speech.silence(300), word, Speech.silence(1000)));
            ListenResult r = session.result().get(20, TimeUnit.SECONDS);
            assertThat(r.outcome()).isEqualTo(ListenResult.Outcome.SPEECH);
            assertThat(r.text()).isEqualTo("yes");
            assertThat(r.confidence()).isEqualTo(0.87);
            await().atMost(Duration.ofSeconds(10)).until(() -> c.closedByServer);
            // the server kept silence flowing to Asterisk, then sent the hangup frame and closed
            assertThat(c.kindsReceived).contains(AudioSocketFrame.AUDIO).endsWith(AudioSocketFrame.HANGUP);
        }
        FakeRecognizers.Fake rec = recognizerOf(index);
        assertThat(rec.phrases).containsExactly("yes", "no");
        // the whole word reached the recognizer (pre-roll included), and it was closed
        assertThat(rec.nonSilentBytes()).isGreaterThanOrEqualTo(word.length - 640);
        await().atMost(Duration.ofSeconds(10)).until(() -> rec.closed);
    }

    @Test
    void aKeyEndsListeningAndTheHangupFrameFromAsteriskIsAHangup() throws Exception {
        SpeechSession keyed = expect(List.of(), "12");
        try (Client c = new Client()) {
            c.send(AudioSocketFrame.uuid(keyed.id()));
            c.sendAudio(Speech.silence(200));
            c.send(new AudioSocketFrame(AudioSocketFrame.DTMF, new byte[]{'9'})); // not allowed: ignored
            c.send(new AudioSocketFrame(AudioSocketFrame.DTMF, new byte[]{'2'}));
            ListenResult r = keyed.result().get(20, TimeUnit.SECONDS);
            assertThat(r.outcome()).isEqualTo(ListenResult.Outcome.KEY);
            assertThat(r.key()).isEqualTo("2");
        }
        SpeechSession hungUp = expect(List.of(), "");
        try (Client c = new Client()) {
            c.send(AudioSocketFrame.uuid(hungUp.id()));
            c.sendAudio(Speech.silence(100));
            c.send(AudioSocketFrame.hangup());
            assertThat(hungUp.result().get(20, TimeUnit.SECONDS).outcome()).isEqualTo(ListenResult.Outcome.HANGUP);
        }
    }

    @Test
    void malformedFramesAndAbruptClosesEndOnlyTheirOwnSession() throws Exception {
        SpeechSession healthy = expect(List.of("yes"), "");
        SpeechSession garbage = expect(List.of(), "");
        SpeechSession oversized = expect(List.of(), "");
        SpeechSession abrupt = expect(List.of(), "");
        try (Client ok = new Client(); Client bad = new Client(); Client big = new Client(); Client gone = new Client()) {
            ok.send(AudioSocketFrame.uuid(healthy.id()));
            bad.send(AudioSocketFrame.uuid(garbage.id()));
            big.send(AudioSocketFrame.uuid(oversized.id()));
            gone.send(AudioSocketFrame.uuid(abrupt.id()));
            ok.sendAudio(Speech.silence(200));

            bad.raw(new byte[]{0x42, 0x00, 0x01, 0x00});                 // unknown kind
            big.raw(new byte[]{0x10, (byte) 0x7f, (byte) 0xff});           // 32767-byte audio frame announced
            gone.sendAudio(Speech.word(200));
            gone.socket.setSoLinger(true, 0);
            gone.socket.close();                                           // the caller hung up: no hangup frame

            assertThat(garbage.result().get(20, TimeUnit.SECONDS).detail()).contains("unknown frame kind 0x42");
            assertThat(oversized.result().get(20, TimeUnit.SECONDS).detail()).contains("over the limit");
            assertThat(abrupt.result().get(20, TimeUnit.SECONDS).outcome()).isEqualTo(ListenResult.Outcome.HANGUP);
            await().atMost(Duration.ofSeconds(10)).until(() -> bad.closedByServer && big.closedByServer);

            // the healthy session goes on as if nothing happened
            assertThat(healthy.result()).isNotDone();
            ok.sendAudio(Speech.concat(Speech.word(600), Speech.silence(1000)));
            ListenResult r = healthy.result().get(20, TimeUnit.SECONDS);
            assertThat(r.outcome()).isEqualTo(ListenResult.Outcome.SPEECH);
            assertThat(r.text()).isEqualTo("yes");
        }
    }

    @Test
    void unknownSessionsAndMissingUuidsAreTurnedAway() throws Exception {
        try (Client c = new Client()) {
            c.send(AudioSocketFrame.uuid(UUID.randomUUID()));
            await().atMost(Duration.ofSeconds(10)).until(() -> c.closedByServer);
        }
        try (Client c = new Client()) {
            c.sendAudio(Speech.silence(20)); // audio before the UUID
            await().atMost(Duration.ofSeconds(10)).until(() -> c.closedByServer);
        }
    }

    @Test
    void addressesOutsideTheAllowlistAreClosedAtOnce() throws Exception {
        AudioSocketServer closedShop = AudioSocketServer.start(vertx, "127.0.0.1", 0,
                Cidr.parseAll(List.of("192.0.2.0/24")), 10);
        try (Socket s = new Socket("127.0.0.1", closedShop.port())) {
            s.setSoTimeout(10_000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        } finally {
            closedShop.close();
        }
    }
}
