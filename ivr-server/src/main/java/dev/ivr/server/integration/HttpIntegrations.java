package dev.ivr.server.integration;

import dev.ivr.server.config.EndpointConfig;
import dev.ivr.server.config.IntegrationsConfig;
import dev.ivr.server.flow.integration.IntegrationRequest;
import dev.ivr.server.flow.integration.IntegrationResult;
import dev.ivr.server.flow.integration.Integrations;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The endpoints of {@code integrations.endpoints}, asked over HTTP with the JDK's client: base
 * URL, headers and secrets from the configuration, the node's path and query appended, a
 * time-out per request, and a circuit breaker (resilience4j) per endpoint that, once requests
 * keep failing, answers {@link IntegrationResult.BreakerOpen} at once for a while so calls do not
 * each wait the time-out. Called on the call's virtual thread, which parks while it waits.
 * Secret header values are never logged; the log names the endpoint only.
 */
public final class HttpIntegrations implements Integrations, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpIntegrations.class);
    /** Largest answer read; a longer one is a failure (a flow maps a few fields, not files). */
    static final int MAX_BODY = 1 << 20;

    /** Sends one request; tests give their own. */
    @FunctionalInterface
    interface Transport {
        /** @throws HttpTimeoutException when no answer came in time */
        Answer send(HttpRequest request) throws IOException, InterruptedException;
    }

    record Answer(int status, String body) {
    }

    private record Endpoint(EndpointConfig config, URI base, Map<String, String> headers, CircuitBreaker breaker,
                            Timer timer) {
    }

    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final Transport transport;
    private final AutoCloseable resources;
    private final MeterRegistry metrics;

    /** The production client: the JDK's HttpClient on virtual threads, no redirects followed. */
    public static HttpIntegrations start(IntegrationsConfig config, MeterRegistry metrics) {
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("integration-http-", 0).factory());
        Duration connect = config.endpoints().stream().filter(java.util.Objects::nonNull)
                .map(EndpointConfig::effectiveTimeout).max(Duration::compareTo).orElse(Duration.ofSeconds(2));
        HttpClient client = HttpClient.newBuilder()
                .executor(executor)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connect)
                .build();
        return new HttpIntegrations(config, metrics, request -> exchange(client, executor, request), () -> {
            client.shutdownNow(); // its selector thread
            executor.shutdownNow();
        });
    }

    /**
     * One exchange, the whole of it (connect, headers and body) within the request's time-out: an
     * endpoint that answers its headers at once and then trickles the body holds the caller no longer.
     */
    private static Answer exchange(HttpClient client, ExecutorService executor, HttpRequest request)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + request.timeout().orElse(Duration.ofSeconds(2)).toNanos();
        java.util.concurrent.CompletableFuture<HttpResponse<InputStream>> sent =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> r;
        try {
            r = sent.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            sent.cancel(true);
            throw new HttpTimeoutException("no answer in time");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        InputStream in = r.body();
        java.util.concurrent.Future<byte[]> body = executor.submit(() -> in.readNBytes(MAX_BODY + 1));
        try {
            byte[] bytes = body.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (bytes.length > MAX_BODY) {
                throw new IOException("the answer is larger than " + (MAX_BODY >> 10) + " KiB");
            }
            return new Answer(r.statusCode(), new String(bytes, StandardCharsets.UTF_8));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new HttpTimeoutException("the answer's body did not arrive in time");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            body.cancel(true);
            in.close();
        }
    }

    /** @param resources closed with this (the client and its threads); null: none */
    HttpIntegrations(IntegrationsConfig config, MeterRegistry metrics, Transport transport, AutoCloseable resources) {
        this.transport = transport;
        this.resources = resources;
        this.metrics = metrics;
        for (EndpointConfig e : config.endpoints()) {
            Map<String, String> headers = new LinkedHashMap<>(e.headers());
            headers.putAll(e.secretHeaders());
            e.secretHeaderFiles().forEach((h, f) -> {
                try {
                    headers.put(h, Files.readString(f).strip());
                } catch (IOException ex) {
                    throw new UncheckedIOException("integrations: endpoint " + e.name() + ": cannot read the secret"
                            + " header file of " + h, ex);
                }
            });
            String url = e.url().endsWith("/") ? e.url().substring(0, e.url().length() - 1) : e.url();
            CircuitBreaker breaker = CircuitBreaker.of("integration-" + e.name(), CircuitBreakerConfig.custom()
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(e.effectiveBreakerWindow())
                    .minimumNumberOfCalls(Math.min(e.effectiveBreakerMinimumCalls(), e.effectiveBreakerWindow()))
                    .failureRateThreshold(e.effectiveBreakerFailureRate())
                    .waitDurationInOpenState(e.effectiveBreakerOpenFor())
                    .permittedNumberOfCallsInHalfOpenState(1)
                    .recordExceptions(IOException.class, Failure.class)
                    .build());
            breaker.getEventPublisher().onStateTransition(ev -> {
                switch (ev.getStateTransition().getToState()) {
                    case OPEN -> LOG.warn("integration endpoint {}: circuit breaker open: http nodes take on-error at once"
                            + " for {}s", e.name(), e.effectiveBreakerOpenFor().toSeconds());
                    case CLOSED -> LOG.info("integration endpoint {}: answering again, circuit breaker closed", e.name());
                    default -> LOG.info("integration endpoint {}: circuit breaker {}", e.name(), ev.getStateTransition());
                }
            });
            Timer timer = metrics == null ? null : Timer.builder("ivr.integration.request")
                    .description("Time of answered requests of http nodes, by endpoint")
                    .tag("endpoint", e.name()).register(metrics);
            if (metrics != null) {
                Gauge.builder("ivr.integration.breaker.open", breaker,
                                b -> b.getState() == CircuitBreaker.State.OPEN ? 1 : 0)
                        .description("1 while the endpoint's circuit breaker is open").tag("endpoint", e.name())
                        .register(metrics);
                for (String outcome : OUTCOMES) {
                    counter(e.name(), outcome); // every series from the start: dashboards show zeros, not gaps
                }
            }
            endpoints.put(e.name(), new Endpoint(e, URI.create(url), Map.copyOf(headers), breaker, timer));
        }
    }

    private static final java.util.List<String> OUTCOMES = java.util.List.of("ok", "status", "timeout", "breaker_open",
            "failed");

    private Counter counter(String endpoint, String outcome) {
        return Counter.builder("ivr.integration.requests")
                .description("Requests of http nodes, by endpoint and outcome (ok: 2xx; status: another answer;"
                        + " timeout; breaker_open: not sent; failed: no answer)")
                .tag("endpoint", endpoint).tag("outcome", outcome).register(metrics);
    }

    private void count(String endpoint, String outcome) {
        if (metrics != null) {
            counter(endpoint, outcome).increment();
        }
    }

    /** A 5xx answer, as the breaker counts it. */
    private static final class Failure extends Exception {
        Failure(int status) {
            super("answered " + status, null, false, false);
        }
    }

    @Override
    public IntegrationResult call(IntegrationRequest r) {
        Endpoint e = endpoints.get(r.endpoint());
        if (e == null) {
            return Integrations.NONE.call(r);
        }
        if (!e.breaker().tryAcquirePermission()) {
            count(r.endpoint(), "breaker_open");
            return new IntegrationResult.BreakerOpen();
        }
        HttpRequest request;
        try {
            request = request(e, r);
        } catch (IllegalArgumentException ex) {
            e.breaker().releasePermission();
            count(r.endpoint(), "failed");
            return new IntegrationResult.Failed("the request's URL is not valid");
        }
        long start = System.nanoTime();
        try {
            Answer a = transport.send(request);
            long took = System.nanoTime() - start;
            if (e.timer() != null) {
                e.timer().record(took, TimeUnit.NANOSECONDS);
            }
            if (a.status() >= 500) {
                e.breaker().onError(took, TimeUnit.NANOSECONDS, new Failure(a.status()));
            } else {
                e.breaker().onSuccess(took, TimeUnit.NANOSECONDS);
            }
            count(r.endpoint(), a.status() >= 200 && a.status() <= 299 ? "ok" : "status");
            return new IntegrationResult.Answered(a.status(), a.body());
        } catch (HttpTimeoutException ex) {
            e.breaker().onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, ex);
            count(r.endpoint(), "timeout");
            return new IntegrationResult.TimedOut();
        } catch (IOException ex) {
            e.breaker().onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, ex);
            count(r.endpoint(), "failed");
            return new IntegrationResult.Failed(ex.getClass().getSimpleName()
                    + (ex.getMessage() != null && ex.getMessage().startsWith("the answer") ? ": " + ex.getMessage() : ""));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            e.breaker().releasePermission();
            count(r.endpoint(), "failed");
            return new IntegrationResult.Failed("interrupted");
        }
    }

    /** Base URL + the node's path (already encoded) + the query (encoded here); configured headers. */
    static HttpRequest request(EndpointConfig config, URI base, Map<String, String> headers, IntegrationRequest r) {
        StringBuilder uri = new StringBuilder(base.toString()).append(r.path() == null ? "" : r.path());
        String sep = "?";
        for (Map.Entry<String, String> q : r.query().entrySet()) {
            uri.append(sep).append(URLEncoder.encode(q.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8));
            sep = "&";
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri.toString()))
                .timeout(r.timeout() != null ? r.timeout() : config.effectiveTimeout())
                .header("Accept", "application/json");
        if (r.callId() != null && r.callId().matches("[A-Za-z0-9._:-]{1,64}")) {
            b.header("X-Request-Id", r.callId());
        }
        headers.forEach(b::header);
        if ("POST".equals(r.method())) {
            b.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(r.body() == null ? "{}" : r.body(), StandardCharsets.UTF_8));
        } else {
            b.GET();
        }
        return b.build();
    }

    private static HttpRequest request(Endpoint e, IntegrationRequest r) {
        return request(e.config(), e.base(), e.headers(), r);
    }

    @Override
    public void close() {
        if (resources != null) {
            try {
                resources.close();
            } catch (Exception e) {
                LOG.debug("closing the integrations' HTTP client: {}", e.toString());
            }
        }
    }
}
