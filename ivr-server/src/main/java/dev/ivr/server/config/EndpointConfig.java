package dev.ivr.server.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** One endpoint of {@code integrations.endpoints}: what a flow's {@code http} node may ask, by name. */
public record EndpointConfig(
        @Doc("The name http nodes give (endpoint: NAME): letters, digits, '_', '-', '.'.")
        String name,
        @Doc("Base URL (http or https, no credentials, query or fragment), e.g. https://orders.example.com/api; a node's path is appended.")
        String url,
        @Doc("Headers sent with every request (not secret: they may be shown), e.g. {Accept-Language: en}.")
        Map<String, String> headers,
        @Doc("Secret headers, e.g. {Authorization: \"Bearer ${ORDERS_TOKEN}\"}: write ${ENV_VAR} rather than the secret. Never logged.")
        Map<String, String> secretHeaders,
        @Doc("Secret headers read from files at start (header → file; the file's content, trimmed, is the value), e.g. {X-Api-Key: /run/secrets/orders-key}. Never logged.")
        Map<String, Path> secretHeaderFiles,
        @Doc("How long a request may take (connect and answer) unless the node says otherwise. Default 2s.")
        Duration timeout,
        @Doc("Circuit breaker: the share of failed requests (percent; time-outs, refused connections, 5xx answers) over the last breaker-window requests that opens it. Default 50.")
        Integer breakerFailureRate,
        @Doc("Circuit breaker: how many recent requests it judges by. Default 10.")
        Integer breakerWindow,
        @Doc("Circuit breaker: fewest requests before it may open. Default 5.")
        Integer breakerMinimumCalls,
        @Doc("Circuit breaker: how long it stays open (requests take on-error at once) before one request tries again. Default 30s.")
        Duration breakerOpenFor) {

    /** Headers the HTTP client sets itself. */
    private static final Set<String> RESERVED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "content-type", "x-request-id");

    public EndpointConfig {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        secretHeaders = secretHeaders == null ? Map.of() : Map.copyOf(secretHeaders);
        secretHeaderFiles = secretHeaderFiles == null ? Map.of() : Map.copyOf(secretHeaderFiles);
    }

    public Duration effectiveTimeout() {
        return timeout == null ? Duration.ofSeconds(2) : timeout;
    }

    public int effectiveBreakerFailureRate() {
        return breakerFailureRate == null ? 50 : breakerFailureRate;
    }

    public int effectiveBreakerWindow() {
        return breakerWindow == null ? 10 : breakerWindow;
    }

    public int effectiveBreakerMinimumCalls() {
        return breakerMinimumCalls == null ? 5 : breakerMinimumCalls;
    }

    public Duration effectiveBreakerOpenFor() {
        return breakerOpenFor == null ? Duration.ofSeconds(30) : breakerOpenFor;
    }

    /** Plain http to a host other than this one (by name or loopback address; no DNS lookup). */
    public boolean plainHttpOffHost() {
        try {
            URI u = new URI(url);
            String host = u.getHost();
            if (!"http".equalsIgnoreCase(u.getScheme()) || host == null) {
                return false;
            }
            String h = host.replace("[", "").replace("]", "").toLowerCase(Locale.ROOT);
            return !(h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1"));
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return false; // validate() reports it
        }
    }

    void validate(Problems p, String at) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            p.add(at + "name", "must be letters, digits, '_', '-', '.' (got '" + name + "')");
        }
        checkUrl(p, at);
        headers.forEach((k, v) -> checkHeader(p, at + "headers", k, v));
        secretHeaders.forEach((k, v) -> checkHeader(p, at + "secret-headers", k, v));
        secretHeaderFiles.forEach((k, f) -> {
            checkHeader(p, at + "secret-header-files", k, "");
            if (f == null || !Files.isReadable(f)) {
                p.add(at + "secret-header-files." + k, "cannot read the file " + f);
            }
        });
        if (timeout != null) {
            p.positive(at + "timeout", timeout);
        }
        if (breakerFailureRate != null && (breakerFailureRate < 1 || breakerFailureRate > 100)) {
            p.add(at + "breaker-failure-rate", "must be a percentage from 1 to 100 (got " + breakerFailureRate + ")");
        }
        if (breakerWindow != null) {
            p.positive(at + "breaker-window", breakerWindow);
        }
        if (breakerMinimumCalls != null) {
            p.positive(at + "breaker-minimum-calls", breakerMinimumCalls);
        }
        if (breakerOpenFor != null) {
            p.positive(at + "breaker-open-for", breakerOpenFor);
        }
    }

    private void checkUrl(Problems p, String at) {
        URI u;
        try {
            u = url == null ? null : new URI(url);
        } catch (java.net.URISyntaxException e) {
            u = null;
        }
        if (u == null || u.getScheme() == null || !Set.of("http", "https").contains(u.getScheme().toLowerCase(Locale.ROOT))
                || u.getHost() == null) {
            p.add(at + "url", "must be an http or https URL with a host, e.g. https://orders.example.com/api");
        } else if (u.getRawUserInfo() != null) {
            p.add(at + "url", "must not carry credentials: put them in secret-headers (they would be shown with the URL)");
        } else if (u.getRawQuery() != null || u.getRawFragment() != null) {
            p.add(at + "url", "must not have a query or fragment: nodes give query parameters");
        }
    }

    private static void checkHeader(Problems p, String at, String header, String value) {
        if (header == null || !header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")) {
            p.add(at, "'" + header + "' is not a header name");
        } else if (RESERVED.contains(header.toLowerCase(Locale.ROOT))) {
            p.add(at + "." + header, "is set by the server and cannot be configured");
        } else if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            p.add(at + "." + header, "must be a single line of text");
        }
    }

    /** Without the secret headers' values ({@link Redaction#MASK} for each). */
    @Override
    public String toString() {
        Map<String, String> masked = new java.util.TreeMap<>();
        secretHeaders.forEach((k, v) -> masked.put(k, Redaction.secret(v)));
        return "EndpointConfig[name=" + name + ", url=" + Redaction.url(url) + ", headers=" + headers + ", secretHeaders="
                + masked + ", secretHeaderFiles=" + secretHeaderFiles + ", timeout=" + timeout + ", breakerFailureRate="
                + breakerFailureRate + ", breakerWindow=" + breakerWindow + ", breakerMinimumCalls=" + breakerMinimumCalls
                + ", breakerOpenFor=" + breakerOpenFor + "]";
    }
}
