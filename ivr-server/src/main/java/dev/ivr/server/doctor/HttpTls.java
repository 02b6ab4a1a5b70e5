package dev.ivr.server.doctor;

import dev.ivr.server.config.TlsConfig;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;

/**
 * The doctor's HTTP client: with TLS configured, one that trusts exactly the server's own certificate (read
 * from {@code http.tls.cert-file}), since it talks to this server on a local address that the certificate
 * does not name.
 */
public final class HttpTls {
    private HttpTls() {
    }

    public static HttpClient client(TlsConfig tls) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
        if (tls.enabled()) {
            // the certificate itself is pinned below: the local address it is reached on need not match its names
            System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
            b.sslContext(trusting(Path.of(tls.certFile())));
        }
        return b.build();
    }

    private static SSLContext trusting(Path certFile) {
        try (InputStream in = Files.newInputStream(certFile)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ivr-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the certificate " + certFile + ": " + e.getMessage(), e);
        }
    }
}
