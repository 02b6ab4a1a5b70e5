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
import java.util.concurrent.TimeUnit;

/**
 * The cluster's prompt audio in a Hazelcast map, bounded by memory per member (least
 * recently used entries go first). Failures only cost a re-synthesis, so they are logged and
 * swallowed.
 */
public final class HazelcastSharedAudio implements SharedAudio {
    public static final String MAP = "ivr-prompt-audio";
    /** Who renders a prompt ahead of calls: the member's id, for {@link #CLAIM_FOR}. */
    public static final String CLAIMS = "ivr-prompt-claims";
    /** Far longer than one render (1-3 s); a claim of a server that stopped lapses after it. */
    static final java.time.Duration CLAIM_FOR = java.time.Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(HazelcastSharedAudio.class);

    /** Rendered audio as kept in the cluster: sealed (a dynamic prompt may say a customer's name), bound to its name. */
    record SharedPrompt(String name, byte[] audio) implements ClusterValue {
        @Override
        public String key() {
            return name;
        }
    }

    /** A server's claim to render a prompt ahead of calls. */
    record Claim(String name, String member) implements ClusterValue {
        @Override
        public String key() {
            return name;
        }
    }

    private final IMap<String, SharedPrompt> map;
    private final IMap<String, Claim> claims;
    private final String member;

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
        this.claims = hz.getMap(CLAIMS);
        this.member = hz.getCluster().getLocalMember().getUuid().toString();
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

    @Override
    public boolean claim(String name) {
        try {
            Claim held = claims.putIfAbsent(name, new Claim(name, member), CLAIM_FOR.toSeconds(), TimeUnit.SECONDS);
            return held == null || !held.belongsTo(name) || member.equals(held.member());
        } catch (RuntimeException e) {
            LOG.warn("shared prompt cache unavailable ({}): rendering {} here", e.toString(), name);
            return true;
        }
    }
}
