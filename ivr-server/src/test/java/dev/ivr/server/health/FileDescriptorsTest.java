package dev.ivr.server.health;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FileDescriptorsTest {
    @Test
    void downWhenNoDescriptorIsLeftToAcceptWith() {
        assertThat(FileDescriptors.of(100, 1024).status()).isEqualTo(Health.Status.UP);
        assertThat(FileDescriptors.of(900, 1024).status()).isEqualTo(Health.Status.DEGRADED);
        assertThat(FileDescriptors.of(1024, 1024).status()).isEqualTo(Health.Status.DOWN);
        assertThat(FileDescriptors.of(1024, 1024).detail()).contains("1024 of 1024", "cannot be accepted");
        assertThat(FileDescriptors.health().status()).isEqualTo(Health.Status.UP);
    }
}
