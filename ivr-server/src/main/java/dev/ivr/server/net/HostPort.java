package dev.ivr.server.net;

import com.google.common.net.HostAndPort;

/** An address as {@code host:port} text, as URLs, logs and the AudioSocket dial string write it. */
public final class HostPort {
    private HostPort() {
    }

    /**
     * {@code host:port}, with an IPv6 literal in brackets ({@code [::1]:4573}); a host given in brackets already is
     * not bracketed twice; an IPv4 address or a host name as it is.
     *
     * @throws IllegalArgumentException when the port is outside 0-65535 or the host carries a port of its own
     */
    public static String format(String host, int port) {
        return HostAndPort.fromParts(host, port).toString();
    }
}
