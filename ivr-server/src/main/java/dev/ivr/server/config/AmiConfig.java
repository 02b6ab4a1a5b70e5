package dev.ivr.server.config;

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
        String secret) implements Validated {

    @Override
    public void validate(Problems p) {
        if (!enabled) {
            return;
        }
        p.notBlank("host", host);
        p.port("port", port);
        p.notBlank("username", username);
        p.notBlank("secret", secret);
    }

    @Override
    public String toString() {
        return "AmiConfig[enabled=" + enabled + ", host=" + host + ", port=" + port + ", username=" + username + "]";
    }
}
