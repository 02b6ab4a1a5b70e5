package dev.ivr.loadgen.baseline;

import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.fastagi.SimpleMappingStrategy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The baseline: Asterisk-Java's stock {@link DefaultAgiServer}, serving hand-written AgiScripts
 * that issue the same AGI commands as the ivr flows the load scenarios call.
 *
 * <p>Its thread pool, as the load generator runs it:
 * <ul>
 *   <li>{@code default}: as it ships (10 core threads, at most 500, a synchronous hand-off: a
 *       call that finds all 500 busy is refused at once);</li>
 *   <li>{@code N} (raised): at most N threads, {@link DefaultAgiServer#setMaximumPoolSize}: one
 *       platform thread per call in progress, the server's own model at its best for N calls.
 *       The core size stays 10: idle threads are reused through the hand-off, and one that
 *       stays idle for 50 s ends (a larger core would create a new thread for each call until
 *       it is full).</li>
 * </ul>
 *
 * <pre>
 * BaselineServer PORT POOL [AGENTS [WRAP_UP_MILLIS [NODE_NAME]]]     POOL: default | N
 * </pre>
 */
public final class BaselineServer {
    private BaselineServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String pool = args.length > 1 ? args[1] : "default";
        int agents = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        long wrapUpMillis = args.length > 3 ? Long.parseLong(args[3]) : 3000;
        String node = args.length > 4 ? args[4] : "bench";
        DefaultAgiServer server = create(port, pool, agents, Duration.ofMillis(wrapUpMillis), node);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        System.out.println("stock DefaultAgiServer on port " + port + ", pool " + pool + " (core " + server.getPoolSize()
                + ", max " + server.getMaximumPoolSize() + ")");
        server.startup();
    }

    /** The server with its scripts, not started; {@code pool} is {@code default} or the maximum number of threads. */
    public static DefaultAgiServer create(int port, String pool, int agents, Duration wrapUp, String nodeName) {
        ContextSignature signature = new ContextSignature();
        AgentPool agentPool = new AgentPool(agents, Duration.ofSeconds(30), wrapUp);
        Map<String, AgiScript> scripts = new LinkedHashMap<>();
        scripts.put("diag", new DiagScript());
        scripts.put("simple", new SimpleScript(nodeName));
        scripts.put("customer-service", new CustomerServiceScript(nodeName, agentPool, signature));
        scripts.put("agent-answered", new AgentAnsweredScript(nodeName, signature));
        SimpleMappingStrategy mapping = new SimpleMappingStrategy();
        mapping.setMappings(scripts);
        DefaultAgiServer server = new DefaultAgiServer(mapping);
        server.setPort(port);
        if (!pool.equals("default")) {
            server.setMaximumPoolSize(Integer.parseInt(pool));
        }
        return server;
    }
}
