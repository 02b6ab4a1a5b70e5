package dev.ivr.server.config;

import java.util.List;

/**
 * One Asterisk of {@code ami.pbxs}: its manager interface and how its calls and phones are told apart from the
 * other PBXs' (docs/pbx-admins.md, "Several PBXs"). Port, username and secret left out are those of the
 * {@code ami} block.
 */
public record PbxConfig(
        @Doc("The PBX's name in health checks (ami.<id>), logs and references (outbound.pbx, ?pbx= in the AGI URL): lower-case letters, digits, '-', '_'.")
        String id,
        @Doc("Host of this PBX's manager interface.")
        String host,
        @Doc("TCP port of this PBX's manager interface; empty: ami.port.")
        Integer port,
        @Doc("AMI user on this PBX; empty: ami.username.")
        String username,
        @Doc("AMI secret on this PBX (write ${ENV_VAR}); empty: ami.secret.")
        String secret,
        @Doc("Address blocks (CIDR) this PBX's FastAGI connections come from, which tell a call's PBX; empty: the addresses the host name resolves to. A ?pbx=ID parameter in the AGI URL wins over both.")
        List<String> agiFrom,
        @Doc("The agents' endpoints on this PBX, as patterns with * (e.g. PJSIP/1*); empty: learned from the PBX (PJSIPShowEndpoints at each login and device-state events). An endpoint matching no pattern and known to no PBX goes to the PBX of its call, else the first PBX.")
        List<String> endpoints) {

    public PbxConfig {
        agiFrom = agiFrom == null ? List.of() : List.copyOf(agiFrom);
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    /** The PBX's id must be a short name (health check names and URL parameters carry it). */
    static final String ID = "[a-z0-9][a-z0-9_-]{0,31}";
    /** An endpoint pattern: technology/resource with * wildcards. */
    static final String ENDPOINT_PATTERN = "[A-Za-z0-9]+/[A-Za-z0-9_.@+*-]+";

    /** This PBX's connection settings, the {@code ami} block filling in what is left out. */
    public AmiConfig connection(AmiConfig ami) {
        return new AmiConfig(true, host, port == null ? ami.port() : port,
                username == null || username.isBlank() ? ami.username() : username,
                secret == null || secret.isBlank() ? ami.secret() : secret);
    }

    void validate(Problems p, String at, AmiConfig ami) {
        if (id == null || !id.matches(ID)) {
            p.add(at + "id", "must be lower-case letters, digits, '-', '_' (at most 32), e.g. pbx-a (got '" + id + "')");
        }
        p.notBlank(at + "host", host);
        if (port != null) {
            p.port(at + "port", port);
        }
        if ((username == null || username.isBlank()) && (ami.username() == null || ami.username().isBlank())) {
            p.add(at + "username", "must not be empty (nor ami.username)");
        }
        if ((secret == null || secret.isBlank()) && (ami.secret() == null || ami.secret().isBlank())) {
            p.add(at + "secret", "must not be empty (nor ami.secret): write ${ENV_VAR}");
        }
        p.cidrs(at + "agi-from", agiFrom);
        for (int i = 0; i < endpoints.size(); i++) {
            String e = endpoints.get(i);
            if (e == null || !e.matches(ENDPOINT_PATTERN)) {
                p.add(at + "endpoints[" + i + "]", "must be an endpoint pattern such as PJSIP/1* (got '" + e + "')");
            }
        }
    }

    @Override
    public String toString() {
        return "PbxConfig[id=" + id + ", host=" + host + ", port=" + port + ", username=" + username + ", agiFrom="
                + agiFrom + ", endpoints=" + endpoints + "]";
    }
}
