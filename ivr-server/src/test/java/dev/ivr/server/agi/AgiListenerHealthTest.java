package dev.ivr.server.agi;

import dev.ivr.server.call.ScriptResolvers;
import dev.ivr.server.config.AgiConfig;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.health.Health;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import javax.net.ServerSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The FastAGI listener's health follows whether calls can be accepted at all, not only whether the port is bound. */
class AgiListenerHealthTest {
    static final AgiConfig CONFIG = ConfigLoader.load(Map.of("IVR_AGI_PORT", "0")).agi();

    /** Server sockets whose accept does what {@code failure} says (null: accept for real). */
    static ServerSocketFactory failing(Supplier<Throwable> failure) {
        return new ServerSocketFactory() {
            @Override
            public ServerSocket createServerSocket() throws IOException {
                return new ServerSocket() {
                    @Override
                    public Socket accept() throws IOException {
                        Throwable t = failure.get();
                        if (t instanceof IOException io) {
                            throw io;
                        }
                        if (t instanceof Error err) {
                            throw err;
                        }
                        return super.accept();
                    }
                };
            }

            @Override
            public ServerSocket createServerSocket(int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog, InetAddress address) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void downWhileAcceptsFailAndUpAgainWhenTheyStop() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean exhausted = new java.util.concurrent.atomic.AtomicBoolean(true);
        AgiListener listener = new AgiListener(CONFIG, "test", ScriptResolvers.fixed(Map.of()), new SimpleMeterRegistry(),
                failing(() -> exhausted.get() ? new IOException("Too many open files") : null));
        listener.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> listener.health().status() == Health.Status.DOWN);
            assertThat(listener.health().detail()).contains("cannot accept calls", "Too many open files");
            exhausted.set(false);
            await().atMost(Duration.ofSeconds(20)).until(() -> listener.health().status() == Health.Status.UP);
        } finally {
            listener.close();
        }
    }

    @Test
    void downForGoodWhenTheAcceptLoopDies() throws Exception {
        AgiListener listener = new AgiListener(CONFIG, "test", ScriptResolvers.fixed(Map.of()), new SimpleMeterRegistry(),
                failing(() -> new NoClassDefFoundError("Could not initialize class sun.nio.ch.Poller")));
        listener.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> listener.health().status() == Health.Status.DOWN);
            assertThat(listener.health().detail()).contains("sun.nio.ch.Poller");
        } finally {
            listener.close();
        }
    }
}
