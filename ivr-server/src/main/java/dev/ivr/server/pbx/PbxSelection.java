package dev.ivr.server.pbx;

import dev.ivr.server.config.PbxConfig;
import dev.ivr.server.net.Cidr;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which PBX a call or an endpoint is on, when there are several (no I/O: addresses are resolved by whoever builds
 * it).
 * <ul>
 *   <li>A call: the PBX named by {@code ?pbx=ID} in its AGI URL; else the PBX whose {@code agi-from} blocks hold the
 *       address its FastAGI connection came from; else the PBX whose host has that address.</li>
 *   <li>An endpoint: the first PBX whose {@code endpoints} patterns match it; else the one PBX that knows it
 *       (listed it at login or reported its device state); unknown when none or several do.</li>
 * </ul>
 * With one PBX, every call and endpoint is on it.
 */
final class PbxSelection {

    /** One PBX as the selection sees it. */
    record Entry(String id, List<Cidr> agiFrom, List<Cidr> hostAddresses, List<Pattern> endpoints) {
        Entry {
            agiFrom = List.copyOf(agiFrom);
            hostAddresses = List.copyOf(hostAddresses);
            endpoints = List.copyOf(endpoints);
        }
    }

    private final List<Entry> entries;

    PbxSelection(List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no PBX");
        }
        this.entries = List.copyOf(entries);
    }

    /** @param resolve a host name's addresses (empty when it cannot be resolved) */
    static PbxSelection of(List<PbxConfig> configs, Function<String, List<InetAddress>> resolve) {
        List<Entry> entries = new ArrayList<>();
        for (PbxConfig c : configs) {
            List<Cidr> host = resolve.apply(c.host()).stream().map(a -> Cidr.parse(a.getHostAddress().replaceAll("%.*", "")))
                    .toList();
            entries.add(new Entry(c.id(), Cidr.parseAll(c.agiFrom()), host,
                    c.endpoints().stream().map(PbxSelection::pattern).toList()));
        }
        return new PbxSelection(entries);
    }

    /** An endpoint pattern ({@code PJSIP/1*}) as a case-insensitive expression. */
    static Pattern pattern(String glob) {
        StringBuilder re = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!re.isEmpty()) {
                re.append(".*");
            }
            re.append(Pattern.quote(part));
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
    }

    List<String> ids() {
        return entries.stream().map(Entry::id).toList();
    }

    /** The first PBX: where what belongs to no PBX in particular goes. */
    String first() {
        return entries.get(0).id();
    }

    /**
     * The PBX of a call.
     *
     * @param hint the call's {@code CallInfo.pbxHint()}: a PBX id, or the address its FastAGI connection came from
     */
    Optional<String> ofCall(String hint) {
        if (entries.size() == 1) {
            return Optional.of(first());
        }
        if (hint == null || hint.isBlank()) {
            return Optional.empty();
        }
        for (Entry e : entries) {
            if (e.id().equals(hint)) {
                return Optional.of(e.id());
            }
        }
        for (Entry e : entries) {
            if (Cidr.anyContains(e.agiFrom(), hint)) {
                return Optional.of(e.id());
            }
        }
        for (Entry e : entries) {
            if (e.agiFrom().isEmpty() && Cidr.anyContains(e.hostAddresses(), hint)) {
                return Optional.of(e.id());
            }
        }
        return Optional.empty();
    }

    /**
     * The PBX of an agent's endpoint.
     *
     * @param knows whether the PBX (by id) knows the endpoint
     */
    Optional<String> ofEndpoint(String endpoint, BiPredicate<String, String> knows) {
        if (entries.size() == 1) {
            return Optional.of(first());
        }
        if (endpoint == null || endpoint.isBlank()) {
            return Optional.empty();
        }
        for (Entry e : entries) {
            if (e.endpoints().stream().anyMatch(p -> p.matcher(endpoint).matches())) {
                return Optional.of(e.id());
            }
        }
        String found = null;
        for (Entry e : entries) {
            if (e.endpoints().isEmpty() && knows.test(e.id(), endpoint.toUpperCase(Locale.ROOT))) {
                if (found != null) {
                    return Optional.empty(); // on two PBXs: name it in ami.pbxs[].endpoints
                }
                found = e.id();
            }
        }
        return Optional.ofNullable(found);
    }

    /** Where a call placed for {@code endpoint}, on behalf of a call with {@code hint}, goes. */
    String choose(String endpoint, String hint, BiPredicate<String, String> knows) {
        return ofEndpoint(endpoint, knows).or(() -> ofCall(hint)).orElse(first());
    }
}
