package dev.ivr.server.pbx;

import dev.ivr.server.config.PbxConfig;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Which PBX a call or an agent's endpoint is on. */
class PbxSelectionTest {
    static final Map<String, List<InetAddress>> DNS = Map.of(
            "pbx-a.example", List.of(ip("10.0.0.1")),
            "pbx-b.example", List.of(ip("10.0.0.2"), ip("fd00::2")),
            "pbx-c.example", List.of(ip("10.0.0.3")));

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static PbxConfig pbx(String id, String host, List<String> agiFrom, List<String> endpoints) {
        return new PbxConfig(id, host, null, null, null, agiFrom, endpoints);
    }

    static final PbxSelection THREE = PbxSelection.of(List.of(
            pbx("a", "pbx-a.example", List.of(), List.of()),
            pbx("b", "pbx-b.example", List.of(), List.of()),
            pbx("c", "pbx-c.example", List.of("192.168.7.0/24"), List.of("PJSIP/7*", "SIP/old-*"))),
            host -> DNS.getOrDefault(host, List.of()));

    /** What each PBX listed (upper case, as AgentPhones keeps them). */
    static BiPredicate<String, String> listed(Map<String, Set<String>> known) {
        return (id, endpoint) -> known.getOrDefault(id, Set.of()).contains(endpoint);
    }

    @Test
    void aCallIsOnThePbxItNamesElseTheOneItsAgiConnectionCameFrom() {
        assertThat(THREE.ofCall("b")).contains("b");
        assertThat(THREE.ofCall("10.0.0.1")).contains("a");
        assertThat(THREE.ofCall("10.0.0.2")).contains("b");
        assertThat(THREE.ofCall("fd00:0:0:0:0:0:0:2")).contains("b");
        assertThat(THREE.ofCall("::ffff:10.0.0.2")).as("IPv4-mapped").contains("b");
        assertThat(THREE.ofCall("192.168.7.40")).as("agi-from").contains("c");
        assertThat(THREE.ofCall("10.0.0.3")).as("agi-from given: the host's address does not count").isEmpty();
        assertThat(THREE.ofCall("10.9.9.9")).isEmpty();
        assertThat(THREE.ofCall("zzz")).as("an unknown id").isEmpty();
        assertThat(THREE.ofCall(null)).isEmpty();
        assertThat(THREE.ofCall("")).isEmpty();
    }

    @Test
    void anEndpointIsOnThePbxWhosePatternsMatchElseTheOneThatKnowsIt() {
        var known = listed(Map.of("a", Set.of("PJSIP/1001", "PJSIP/1500"), "b", Set.of("PJSIP/2001", "PJSIP/1500"),
                "c", Set.of("PJSIP/1001")));
        assertThat(THREE.ofEndpoint("PJSIP/7001", known)).contains("c");
        assertThat(THREE.ofEndpoint("sip/old-12", known)).as("patterns ignore case").contains("c");
        assertThat(THREE.ofEndpoint("PJSIP/1001", known)).as("c has patterns: what it lists does not count").contains("a");
        assertThat(THREE.ofEndpoint("pjsip/2001", known)).contains("b");
        assertThat(THREE.ofEndpoint("PJSIP/1500", known)).as("on two PBXs: unknown").isEmpty();
        assertThat(THREE.ofEndpoint("PJSIP/9999", known)).isEmpty();
        assertThat(THREE.ofEndpoint(null, known)).isEmpty();
    }

    @Test
    void aPlacedCallGoesToTheEndpointsPbxElseTheCallsElseTheFirst() {
        var known = listed(Map.of("a", Set.of("PJSIP/1001"), "b", Set.of("PJSIP/2001")));
        assertThat(THREE.choose("PJSIP/2001", "a", known)).as("the agent's phone is on b").isEqualTo("b");
        assertThat(THREE.choose("PJSIP/3001", "10.0.0.2", known)).as("unknown phone: the call's PBX").isEqualTo("b");
        assertThat(THREE.choose("PJSIP/3001", null, known)).as("neither: the first").isEqualTo("a");
        assertThat(THREE.choose("PJSIP/+3612345@trunk", "c", known)).isEqualTo("c");
    }

    @Test
    void withOnePbxEverythingIsOnIt() {
        PbxSelection one = PbxSelection.of(List.of(pbx("default", "unresolvable.invalid", List.of(), List.of())),
                host -> List.of());
        assertThat(one.ofCall("10.1.2.3")).contains("default");
        assertThat(one.ofCall(null)).contains("default");
        assertThat(one.ofEndpoint("PJSIP/1001", (id, e) -> false)).contains("default");
        assertThat(one.ids()).containsExactly("default");
    }

    @Test
    void patternsAreLiteralApartFromTheStar() {
        assertThat(PbxSelection.pattern("PJSIP/1.0*").matcher("PJSIP/1x01").matches()).isFalse();
        assertThat(PbxSelection.pattern("PJSIP/1.0*").matcher("PJSIP/1.01").matches()).isTrue();
        assertThat(PbxSelection.pattern("PJSIP/*-desk").matcher("PJSIP/ann-desk").matches()).isTrue();
    }
}
