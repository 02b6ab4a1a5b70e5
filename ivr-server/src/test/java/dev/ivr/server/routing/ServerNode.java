package dev.ivr.server.routing;

import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.routing.RoutingOptions;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.agi.AgiListener;
import dev.ivr.server.call.ScriptResolvers;
import dev.ivr.server.callback.CallbackService;
import dev.ivr.server.callback.CallbackStore;
import dev.ivr.server.callback.store.JdbcCallbackStore;
import dev.ivr.server.callcontext.TopicScreenPops;
import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.config.AgiConfig;
import dev.ivr.server.config.AmiConfig;
import dev.ivr.server.config.ClusterConfig;
import dev.ivr.server.config.RoutingConfig;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.db.Database;
import dev.ivr.server.flow.FlowRepository;
import dev.ivr.server.flow.FlowScripts;
import dev.ivr.server.flow.engine.Checkpoints;
import dev.ivr.server.flow.engine.FlowEngine;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.pbx.AmiConnection;
import dev.ivr.server.pbx.AmiOriginator;
import dev.ivr.server.wire.OffCallThread;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.ivr.server.routing.RoutingHarness.config;
import static dev.ivr.server.routing.RoutingHarness.queue;
import static org.awaitility.Awaitility.await;

/**
 * One server's call side for tests of a cluster: its Hazelcast member, routing (the queue {@code support}), AMI
 * connection (when a fake AMI is given), flows and FastAGI listener, as {@code IvrServer} wires them; and a way to
 * kill it as a crash would.
 */
final class ServerNode implements AutoCloseable {
    final String name;
    final ClusterMember member;
    final AmiConnection amiConnection;
    final RoutingModule routing;
    final FlowRepository flows;
    final AgiListener listener;
    /** This server's, as {@code IvrServer}'s is. */
    private final OffCallThread offCallThread = new OffCallThread();
    private boolean dead;

    ServerNode(String name, ClusterConfig cluster, Path dir, FakeAmi ami, Database db, String routingName, CrmStore crm,
               java.util.function.Function<com.hazelcast.core.HazelcastInstance, Checkpoints> checkpoints) throws Exception {
        this.name = name;
        this.member = ClusterMember.start(cluster, name, Files.createDirectories(dir.resolve(name)));
        this.amiConnection = ami == null ? null : AmiConnection.start(new AmiConfig(true, "127.0.0.1", ami.port(), "ivr",
                "manager-secret-for-tests"));
        RoutingConfig config = config("exec", queue("support", Map.of("technical", 1), Duration.ofSeconds(20),
                Duration.ZERO));
        this.routing = RoutingModule.start(member.hazelcast(), config, RoutingOptions.defaults().withName(routingName),
                crm, db == null ? CallbackStore.NONE : new JdbcCallbackStore(db), new TopicScreenPops(member.hazelcast()),
                RoutingHarness.VOICE, amiConnection == null ? null : new AmiOriginator(amiConnection, Clock.systemUTC()),
                Clock.systemUTC(), name, offCallThread);
        this.flows = FlowRepository.open(new FlowLoader.Sources(RoutingHarness.testFlows(),
                RoutingHarness.testPrompts(), dir.resolve("no-calendars.yaml")), Clock.systemUTC());
        FlowEngine engine = new FlowEngine(flows::current, RoutingHarness.AUDIO, crm, routing.router(),
                checkpoints.apply(member.hazelcast()),
                Clock.systemUTC(), name);
        this.listener = new AgiListener(new AgiConfig("127.0.0.1", 0, List.of("127.0.0.1/32"), Duration.ofSeconds(10),
                8192, 5000, Duration.ofSeconds(5)), name,
                ScriptResolvers.firstOf(List.of(routing.scripts(), new FlowScripts(flows, engine))),
                new SimpleMeterRegistry());
        listener.start();
        if (amiConnection != null) {
            await().atMost(Duration.ofSeconds(90)).until(amiConnection::available);
        }
    }

    RoutingService service() {
        return routing.service();
    }

    CallbackService callbacks() {
        return routing.callbacks();
    }

    /** The process dies: its member leaves without a word, its sockets close. */
    void kill() {
        dead = true;
        member.hazelcast().getLifecycleService().terminate();
        listener.close();
        if (amiConnection != null) {
            amiConnection.close();
        }
        try {
            routing.close(); // its threads find the member gone: nothing they do reaches the cluster or the PBX
        } catch (RuntimeException e) {
            // the member is gone
        }
        flows.close();
        offCallThread.close();
    }

    @Override
    public void close() {
        if (dead) {
            return;
        }
        listener.close();
        flows.close();
        routing.close();
        offCallThread.close();
        if (amiConnection != null) {
            amiConnection.close();
        }
        member.close();
    }
}
