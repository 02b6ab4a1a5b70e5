package dev.ivr.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** One error shape for everything the router answers: routes' own errors, failures, unknown paths and methods. */
@Tag("integration")
class HttpErrorsIT {
    static Vertx vertx;
    static HttpServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        HttpErrors.install(router);
        router.get("/conflict").handler(ctx -> {
            throw new HttpErrors.HttpError(409, "agent alice is on a call");
        });
        router.get("/bug").handler(ctx -> {
            throw new IllegalStateException("a bug");
        });
        router.get("/sent").handler(ctx -> HttpErrors.send(ctx, 503, "try again shortly"));
        router.get("/only-get").handler(ctx -> ctx.response().end("ok"));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    static HttpResponse<String> call(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void isJsonError(HttpResponse<String> r, int status, String message) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(r.body()).isEqualTo("{\"error\":\"" + message + "\"}");
    }

    @Test
    void aThrownHttpErrorIsAnsweredWithItsStatusAndMessage() throws Exception {
        isJsonError(call("GET", "/conflict"), 409, "agent alice is on a call");
    }

    @Test
    void anyOtherFailureIsAnInternalErrorWithoutItsDetails() throws Exception {
        isJsonError(call("GET", "/bug"), 500, "internal server error");
    }

    @Test
    void aRoutesOwnErrorHasTheSameShape() throws Exception {
        isJsonError(call("GET", "/sent"), 503, "try again shortly");
    }

    @Test
    void unknownPathsAndMethodsAreAnsweredInJson() throws Exception {
        isJsonError(call("GET", "/nowhere"), 404, "not found");
        isJsonError(call("POST", "/only-get"), 405, "method not allowed");
    }
}
