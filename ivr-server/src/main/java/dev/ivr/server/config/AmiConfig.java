package dev.ivr.server.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

public record AmiConfig(
        @Doc("Whether the server connects to Asterisk's manager interface (AMI). Needed for callbacks (Originate) and for keeping agent states true to the phones (device states, registrations). Off: both are unavailable, routing still works.")
        boolean enabled,
        @Doc("Host of the Asterisk manager interface.")
        String host,
        @Doc("TCP port of the Asterisk manager interface (manager.conf, default 5038).")
        int port,
        @Doc("AMI user (manager.conf); see config/asterisk/manager.conf for the least privileges it needs.")
        String username,
        @Doc("AMI secret. Write ${IVR_AMI_SECRET} (an environment variable), not the secret itself.")
        String secret,
        @Doc("Several PBXs: one entry per Asterisk (id, host; port, username, secret default to the values above). Empty: one PBX, the host above. See docs/pbx-admins.md, \"Several PBXs\".")
        List<PbxConfig> pbxs) implements Validated {

    public AmiConfig {
        pbxs = pbxs == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(pbxs));
    }

    /** One PBX (the single {@code ami} block). */
    public AmiConfig(boolean enabled, String host, int port, String username, String secret) {
        this(enabled, host, port, username, secret, List.of());
    }

    /** The id of the one PBX of the single {@code ami} block. */
    public static final String SINGLE = "default";

    /** Whether {@code pbxs} lists the PBXs (else the block itself is the one PBX). */
    public boolean several() {
        return !pbxs.isEmpty();
    }

    /** The PBXs to connect to: {@code pbxs}, or the block itself as the PBX {@value #SINGLE}. */
    public List<PbxConfig> effectivePbxs() {
        return several() ? pbxs : List.of(new PbxConfig(SINGLE, host, port, username, secret, List.of(), List.of()));
    }

    /** Whether {@code id} names a configured PBX. */
    public boolean hasPbx(String id) {
        return effectivePbxs().stream().anyMatch(x -> x != null && x.id() != null && x.id().equals(id));
    }

    @Override
    public void validate(Problems p) {
        if (!enabled) {
            return;
        }
        if (several()) {
            p.port("port", port);
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < pbxs.size(); i++) {
                PbxConfig x = pbxs.get(i);
                if (x == null) {
                    p.add("pbxs[" + i + "]", "is empty");
                    continue;
                }
                if (x.id() != null && !ids.add(x.id())) {
                    p.add("pbxs[" + i + "].id", "'" + x.id() + "' is configured twice: every PBX needs its own id");
                }
                x.validate(p, "pbxs[" + i + "].", this);
            }
            return;
        }
        p.notBlank("host", host);
        p.port("port", port);
        p.notBlank("username", username);
        p.notBlank("secret", secret);
    }

    @Override
    public String toString() {
        return "AmiConfig[enabled=" + enabled + ", host=" + host + ", port=" + port + ", username=" + username + ", pbxs=" + pbxs + "]";
    }
}
