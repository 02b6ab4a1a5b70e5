package dev.ivr.loadgen.baseline;

import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.fastagi.SimpleMappingStrategy;

import java.util.Map;

/**
 * The baseline: Asterisk-Java's stock {@link DefaultAgiServer} with its default thread pool
 * (10 core, at most 500 platform threads, a synchronous hand-off: a call that finds all 500
 * busy is refused), serving hand-written AgiScripts equivalent to the ivr scenarios.
 */
public final class BaselineServer {
    private BaselineServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int agents = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        long wrapUpMillis = args.length > 2 ? Long.parseLong(args[2]) : 3000;
        SimpleMappingStrategy mapping = new SimpleMappingStrategy();
        mapping.setMappings(Map.<String, AgiScript>of(
                "diag", new DiagScript(),
                "customer-service", new CustomerServiceScript(agents, wrapUpMillis)));
        DefaultAgiServer server = new DefaultAgiServer(mapping);
        server.setPort(port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        server.startup();
    }
}
