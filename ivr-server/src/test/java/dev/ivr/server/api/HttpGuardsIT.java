package dev.ivr.server.api;

import dev.ivr.server.IvrServer;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP listener against clients that do not play fair, and with TLS: idle and half-sent connections are
 * closed, connections over the cap are refused as they come, /health gives details only to a token, and with a
 * certificate the port speaks HTTPS only.
 */
@Tag("integration")
class HttpGuardsIT {

    @Test
    void idleAndHalfSentConnectionsAreClosedAndHealthKeepsItsDetailsForTokens(@TempDir Path dir) throws Exception {
        try (IvrServer server = IvrServer.start(TestConfigs.server(dir.resolve("data"), Map.of(
                "IVR_HTTP_IDLE_TIMEOUT", "1s", "IVR_HTTP_HEADER_TIMEOUT", "2s", "IVR_AGI_DRAIN_TIME", "1s")))) {
            int port = server.httpPort();
            // nothing sent at all
            try (Socket idle = connect(port)) {
                assertThat(idle.getInputStream().read()).as("closed by the server").isEqualTo(-1);
            }
            // a request answered, then the keep-alive connection left idle
            try (Socket keptAlive = connect(port)) {
                keptAlive.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String answer = readUntilClosed(keptAlive.getInputStream());
                assertThat(answer).startsWith("HTTP/1.1 200");
            }
            // a request head trickling in a byte at a time, never finished: the head deadline cuts it off
            try (Socket slow = connect(port)) {
                slow.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                boolean cut = false;
                for (int i = 0; i < 200 && !cut; i++) {
                    try {
                        slow.getOutputStream().write('X');
                        slow.getOutputStream().flush();
                        slow.setSoTimeout(250);
                        cut = slow.getInputStream().read() == -1;
                    } catch (SocketTimeoutException e) {
                        // still open: one more byte
                    } catch (IOException e) {
                        cut = true;
                    }
                }
                assertThat(cut).as("a never-ending request head is cut off").isTrue();
            }

            String admin = Files.readString(dir.resolve("data/admin-token")).strip();
            JsonObject open = new JsonObject(get(port, "/health", null).body());
            assertThat(open.getString("status")).isIn("UP", "DEGRADED");
            assertThat(open.getJsonObject("components").getJsonObject("hazelcast").getString("status")).isEqualTo("UP");
            assertThat(open.encode()).doesNotContain("detail", server.config().cluster().name(), "127.0.0.1", "member");
            JsonObject detailed = new JsonObject(get(port, "/health", admin).body());
            assertThat(detailed.getJsonObject("components").getJsonObject("hazelcast").getString("detail"))
                    .contains(server.config().cluster().name());
            assertThat(detailed.getJsonObject("components").getJsonObject("process").getString("detail"))
                    .contains("file descriptors");
        }
    }

    @Test
    void connectionsOverTheCapAreClosedAsTheyArrive(@TempDir Path dir) throws Exception {
        try (IvrServer server = IvrServer.start(TestConfigs.server(dir.resolve("data"), Map.of(
                "IVR_HTTP_MAX_CONNECTIONS", "3", "IVR_HTTP_IDLE_TIMEOUT", "10m", "IVR_HTTP_HEADER_TIMEOUT", "10m",
                "IVR_AGI_DRAIN_TIME", "1s")))) {
            int port = server.httpPort();
            List<Socket> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(connect(port));
            }
            try (Socket over = connect(port)) {
                assertThat(over.getInputStream().read()).as("the fourth connection is closed").isEqualTo(-1);
            }
            for (Socket s : held) {
                s.setSoTimeout(200);
                try {
                    assertThat(s.getInputStream().read()).isNotEqualTo(-1);
                } catch (SocketTimeoutException e) {
                    // still open, as it should be
                }
            }
            held.remove(0).close();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> server.http().openConnections() < 3);
            try (Socket again = connect(port)) { // room again: served
                again.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(readUntilClosed(again.getInputStream())).startsWith("HTTP/1.1 200");
            }
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void withACertificateThePortSpeaksHttpsOnlyAndThePlainPortRedirects(@TempDir Path dir) throws Exception {
        Path p12 = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "ivr", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", p12.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit").redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, "changeit".toCharArray());
        }
        Key key = store.getKey("ivr", "changeit".toCharArray());
        Path keyPem = dir.resolve("key.pem");
        Path certPem = dir.resolve("cert.pem");
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
        Files.writeString(certPem, pem("CERTIFICATE", store.getCertificate("ivr").getEncoded()));

        try (IvrServer server = IvrServer.start(TestConfigs.server(dir.resolve("data"), Map.of(
                "IVR_HTTP_TLS_CERT_FILE", certPem.toString(), "IVR_HTTP_TLS_KEY_FILE", keyPem.toString(),
                "IVR_HTTP_TLS_REDIRECT_PORT", "0", "IVR_AGI_DRAIN_TIME", "1s")))) {
            int port = server.httpPort();
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(tls).build();
            HttpResponse<String> ok = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);

            // plain HTTP on the HTTPS port: no HTTP answer, nothing served
            try (Socket plain = connect(port)) {
                plain.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String answer;
                try {
                    answer = readUntilClosed(plain.getInputStream());
                } catch (IOException e) {
                    answer = "";
                }
                assertThat(answer).doesNotContain("HTTP/1.1 200").doesNotContain("\"status\"");
            }

            int redirect = server.http().redirectPort();
            assertThat(redirect).isPositive();
            HttpResponse<String> moved = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + redirect + "/agent/?x=1")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(moved.statusCode()).isEqualTo(308);
            assertThat(moved.headers().firstValue("Location")).contains("https://127.0.0.1:" + port + "/agent/?x=1");
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + redirect + "/api/login")).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"a\",\"password\":\"b\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("HTTPS");
        }
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(60_000); // a bound for the test, not a measurement: the server closes long before
        return s;
    }

    static String readUntilClosed(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    static HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
