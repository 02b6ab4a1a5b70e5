package dev.ivr.server.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {
    @Test
    void peersReportedAsTextAreCheckedWithoutLookingUpNames() {
        java.util.List<Cidr> allow = Cidr.parseAll(java.util.List.of("127.0.0.1", "::1", "10.0.0.0/8"));
        assertThat(Cidr.anyContains(allow, "127.0.0.1")).isTrue();
        assertThat(Cidr.anyContains(allow, "10.20.30.40")).isTrue();
        assertThat(Cidr.anyContains(allow, "::1%lo")).isTrue(); // zone ids as some libraries report them
        assertThat(Cidr.anyContains(allow, "192.168.1.1")).isFalse();
        assertThat(Cidr.anyContains(allow, "localhost")).isFalse(); // a name is never resolved
        assertThat(Cidr.anyContains(allow, null)).isFalse();
    }

    @Test
    void ipv4Blocks() throws UnknownHostException {
        Cidr c = Cidr.parse("10.1.0.0/16");
        assertThat(c.contains(ip("10.1.200.3"))).isTrue();
        assertThat(c.contains(ip("10.2.0.1"))).isFalse();
        assertThat(Cidr.parse("192.168.1.77").contains(ip("192.168.1.77"))).isTrue();
        assertThat(Cidr.parse("192.168.1.77").contains(ip("192.168.1.78"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("8.8.8.8"))).isTrue();
        assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8"));
    }

    @Test
    void oddPrefixes() throws UnknownHostException {
        Cidr c = Cidr.parse("172.16.0.0/12");
        assertThat(c.contains(ip("172.31.255.255"))).isTrue();
        assertThat(c.contains(ip("172.32.0.0"))).isFalse();
    }

    @Test
    void ipv6AndMappedAddresses() throws UnknownHostException {
        assertThat(Cidr.parse("::1/128").contains(ip("::1"))).isTrue();
        assertThat(Cidr.parse("fd00::/8").contains(ip("fd12:3456::1"))).isTrue();
        assertThat(Cidr.parse("fd00::/8").contains(ip("fe80::1"))).isFalse();
        assertThat(Cidr.parse("127.0.0.1/32").contains(InetAddress.getByAddress(
                new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1}))).isTrue();
        assertThat(Cidr.parse("127.0.0.1/32").contains(ip("::1"))).isFalse();
    }

    @Test
    void rejectsWhatIsNotABlock() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix length must be 0-32");
        assertThatThrownBy(() -> Cidr.parse("pbx.example.com")).hasMessageContaining("host names are not allowed");
        assertThatThrownBy(() -> Cidr.parse("10.0.0/8")).hasMessageContaining("not a dotted IPv4");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> Cidr.parse("")).hasMessageContaining("empty");
    }

    private static InetAddress ip(String s) throws UnknownHostException {
        return InetAddress.getByName(s);
    }
}
