package dev.ivr.server.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import ch.qos.logback.classic.LoggerContext;
import dev.ivr.server.IvrServer;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.config.WeakSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ivr-server run}: starts the server and serves until SIGTERM/SIGINT, then drains and stops. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the server (FastAGI, HTTP, cluster member, database, TTS) until stopped.")
public final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        IvrConfig cfg = config.loadOrReport(new PrintWriter(System.err, true, UTF_8));
        if (cfg == null) {
            return 2;
        }
        List<WeakSettings.Weakness> refused = WeakSettings.refused(cfg);
        if (!refused.isEmpty()) {
            System.err.println("ivr-server: refusing to start with weak settings:");
            refused.forEach(w -> System.err.println("  " + w));
            System.err.println("  to run with them anyway, accept each by name: node.accept-weak-settings: "
                    + refused.stream().map(WeakSettings.Weakness::key).toList()
                    + " (or IVR_NODE_ACCEPT_WEAK_SETTINGS=" + String.join(",",
                    refused.stream().map(WeakSettings.Weakness::key).toList()) + ")");
            return 2;
        }
        List<String> cannot = Preflight.forRun(cfg);
        if (!cannot.isEmpty()) {
            cannot.forEach(p -> System.err.println("ivr-server: cannot start: " + p));
            return 2;
        }
        for (WeakSettings.Weakness w : WeakSettings.accepted(cfg)) {
            LOG.warn("WEAK SETTING accepted by node.accept-weak-settings: {}", w);
        }
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        IvrServer server;
        try {
            server = IvrServer.start(cfg, RunCommand::exitAfterFatal);
        } catch (Exception e) {
            LOG.error("cannot start: {}", e.getMessage());
            stopLogging();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> {
            try {
                server.stop();
            } finally {
                stopped.countDown();
                stopLogging();
            }
        }));
        stopped.await();
        return 0;
    }

    /**
     * The server cannot work on (its cluster member is gone): exit with status {@value #FATAL_EXIT} so that the
     * supervisor (systemd's Restart=on-failure, a container runtime) starts a healthy process. Calls in progress
     * get the usual drain on the way out; if that hangs, the process is halted.
     */
    static final int FATAL_EXIT = 70;

    private static void exitAfterFatal(String reason) {
        Thread.ofPlatform().name("fatal-exit").start(() -> {
            LOG.error("exiting ({}) so that the service manager restarts the server", reason);
            Thread.ofPlatform().daemon(true).name("fatal-halt").start(() -> {
                try {
                    Thread.sleep(120_000);
                } catch (InterruptedException e) {
                    return;
                }
                Runtime.getRuntime().halt(FATAL_EXIT);
            });
            System.exit(FATAL_EXIT);
        });
    }

    static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ctx.stop();
        }
    }
}
