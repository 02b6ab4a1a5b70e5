package dev.ivr.server.net;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPortTest {
    @Test
    void anIpv4AddressAndAHostNameAsTheyAre() {
        assertThat(HostPort.format("127.0.0.1", 4573)).isEqualTo("127.0.0.1:4573");
        assertThat(HostPort.format("ivr-1.example.com", 8080)).isEqualTo("ivr-1.example.com:8080");
    }

    @Test
    void anIpv6AddressInBracketsOnce() {
        assertThat(HostPort.format("::1", 9092)).isEqualTo("[::1]:9092");
        assertThat(HostPort.format("fd00::5", 5701)).isEqualTo("[fd00::5]:5701");
        assertThat(HostPort.format("[::1]", 9092)).as("bracketed already").isEqualTo("[::1]:9092");
    }

    @Test
    void aHostWithAPortOfItsOwnIsRefused() {
        assertThatThrownBy(() -> HostPort.format("127.0.0.1:80", 8080)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostPort.format("127.0.0.1", 70000)).isInstanceOf(IllegalArgumentException.class);
    }
}
