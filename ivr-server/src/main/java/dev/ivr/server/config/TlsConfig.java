package dev.ivr.server.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** HTTPS for the HTTP server: a certificate and its key in PEM files. */
public record TlsConfig(
        @Doc("PEM file with the server certificate, then its chain. Set with key-file: the HTTP port then speaks HTTPS only (plain HTTP on it is refused).")
        String certFile,
        @Doc("PEM file with the certificate's private key (PKCS#8, or PKCS#1 RSA / SEC1 EC), readable by the service user only.")
        String keyFile,
        @Doc("With TLS on: a second port on the same address that answers plain HTTP with a redirect to HTTPS (308, for browsers), never serving anything; -1: none.")
        int redirectPort) implements Validated {

    /** Whether HTTPS is configured. */
    public boolean enabled() {
        return certFile != null && !certFile.isBlank();
    }

    @Override
    public void validate(Problems p) {
        boolean cert = certFile != null && !certFile.isBlank();
        boolean key = keyFile != null && !keyFile.isBlank();
        if (cert != key) {
            p.add(cert ? "key-file" : "cert-file", "cert-file and key-file go together: set both, or neither");
            return;
        }
        if (cert && !Files.isReadable(Path.of(certFile))) {
            p.add("cert-file", "cannot read " + certFile);
        }
        if (key && !Files.isReadable(Path.of(keyFile))) {
            p.add("key-file", "cannot read " + keyFile);
        }
        if (redirectPort < -1 || redirectPort > 65535) {
            p.add("redirect-port", "must be a TCP port, 0 for any free port, or -1 for none (got " + redirectPort + ")");
        }
        if (redirectPort != -1 && !cert) {
            p.add("redirect-port", "only with TLS (cert-file and key-file)");
        }
    }
}
