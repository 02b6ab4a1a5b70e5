package dev.ivr.server.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** An address block such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a /32 or /128. */
public record Cidr(byte[] network, int prefix, String text) {
    /** A literal IPv4 or IPv6 peer address, with an optional zone ({@code %lo}); checked on every request. */
    private static final java.util.regex.Pattern PEER = java.util.regex.Pattern.compile("[0-9a-fA-F:.]+(%[\\w.-]+)?");

    /**
     * Parses CIDR text. Only literal addresses are accepted (no host names: a DNS lookup must
     * never decide who may connect).
     */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty address block");
        }
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        if (!addr.matches("[0-9.]+") && !addr.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address block (host names are not allowed)");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address block");
        }
        if (addr.matches("[0-9.]+") && addr.split("\\.", -1).length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not a dotted IPv4 address");
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': the prefix length after '/' must be a number");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("'" + text + "': the prefix length must be 0-" + max);
            }
        }
        return new Cidr(mask(bytes, prefix), prefix, t);
    }

    public static List<Cidr> parseAll(List<String> texts) {
        return texts.stream().map(Cidr::parse).toList();
    }

    /**
     * Whether a peer's address, as a server library reports it in text ({@code 127.0.0.1},
     * {@code ::1%lo}), lies in one of the blocks. Only literal addresses count: anything else,
     * a missing address included, is refused without a DNS lookup.
     */
    public static boolean anyContains(List<Cidr> blocks, String remote) {
        if (remote == null || !PEER.matcher(remote).matches()) {
            return false;
        }
        try {
            InetAddress a = InetAddress.getByName(remote.contains("%") ? remote.substring(0, remote.indexOf('%')) : remote);
            return blocks.stream().anyMatch(c -> c.contains(a));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Whether {@code address} lies in this block. IPv4-mapped IPv6 addresses match IPv4 blocks. */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
            a = java.util.Arrays.copyOfRange(a, 12, 16);
        }
        if (a.length != network.length) {
            return false;
        }
        return java.util.Arrays.equals(mask(a, prefix), network);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (bits == 0 ? 0 : (0xff << (8 - bits))));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        return text;
    }
}
