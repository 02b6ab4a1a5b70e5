package dev.ivr.server.prompt.render;

import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.ivr.server.wire.ClusterValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The cluster's prompt audio in a Hazelcast map, bounded by memory per member (least
 * recently used entries go first). Failures only cost a re-synthesis, so they are logged and
 * swallowed.
 */
public final class HazelcastSharedAudio implements SharedAudio {
    public static final String MAP = "ivr-prompt-audio";
    private static final Logger LOG = LoggerFactory.getLogger(HazelcastSharedAudio.class);

    /** Rendered audio as kept in the cluster: sealed (a dynamic prompt may say a customer's name), bound to its name. */
    record SharedPrompt(String name, byte[] audio) implements ClusterValue {
        @Override
        public String key() {
            return name;
        }
    }

    private final IMap<String, SharedPrompt> map;

    public HazelcastSharedAudio(HazelcastInstance hz, int maxMegabytesPerMember) {
        try {
            hz.getConfig().addMapConfig(new MapConfig(MAP)
                    .setEvictionConfig(new EvictionConfig()
                            .setEvictionPolicy(EvictionPolicy.LRU)
                            .setMaxSizePolicy(MaxSizePolicy.USED_HEAP_SIZE)
                            .setSize(maxMegabytesPerMember)));
        } catch (RuntimeException e) { // another member configured the map differently (another cluster-cache-mb)
            LOG.warn("shared prompt cache: keeping the cluster's existing settings for map {} ({})", MAP, e.getMessage());
        }
        this.map = hz.getMap(MAP);
    }

    @Override
    public Optional<byte[]> get(String name) {
        try {
            return Optional.ofNullable(map.get(name)).filter(p -> p.belongsTo(name)).map(SharedPrompt::audio);
        } catch (RuntimeException e) {
            LOG.warn("shared prompt cache unavailable ({}): rendering locally", e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void put(String name, byte[] bytes) {
        try {
            map.set(name, new SharedPrompt(name, bytes));
        } catch (RuntimeException e) {
            LOG.warn("could not share rendered prompt {}: {}", name, e.toString());
        }
    }
}
