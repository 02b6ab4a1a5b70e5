package dev.ivr.server.cluster;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterCipherTest {
    static final byte[] KEY = new byte[32];
    static final byte[] OTHER_KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
        Arrays.fill(OTHER_KEY, (byte) 8);
    }

    @Test
    void whatOneMemberSealsAnotherOpensAndNobodyElse() {
        ClusterCipher a = new ClusterCipher(KEY, "server values");
        ClusterCipher b = new ClusterCipher(KEY, "server values");
        byte[] plain = "Jane Roe, account 10001".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = a.seal(plain);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("Jane", "10001");
        assertThat(b.open(sealed)).isEqualTo(plain);
        assertThat(b.open(b.seal(plain))).isEqualTo(plain);
        assertThatThrownBy(() -> new ClusterCipher(OTHER_KEY, "server values").open(sealed))
                .isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> new ClusterCipher(KEY, "routing values").open(sealed)).as("another domain")
                .isInstanceOf(SecurityException.class);
    }

    @Test
    void anyChangedByteIsRefused() {
        ClusterCipher c = new ClusterCipher(KEY, "server values");
        byte[] sealed = c.seal("admin".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 1;
            assertThatThrownBy(() -> c.open(tampered)).as("byte %d changed", i).isInstanceOf(SecurityException.class);
        }
        assertThatThrownBy(() -> c.open(new byte[5])).isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> c.open(Arrays.copyOf(sealed, sealed.length - 1))).isInstanceOf(SecurityException.class);
    }

    @Test
    void noNonceRepeatsAndEqualValuesLookDifferent() {
        ClusterCipher c = new ClusterCipher(KEY, "server values");
        Set<String> nonces = new HashSet<>();
        Set<String> values = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            byte[] sealed = c.seal(new byte[]{1, 2, 3});
            nonces.add(Arrays.toString(Arrays.copyOfRange(sealed, 1, 29)));
            values.add(Arrays.toString(sealed));
        }
        assertThat(nonces).hasSize(10_000);
        assertThat(values).hasSize(10_000);
    }

    @Test
    void callsOnFreshVirtualThreadsReuseCipherObjectsAndStillRoundTrip() throws Exception {
        ClusterCipher a = new ClusterCipher(KEY, "server values");
        ClusterCipher b = new ClusterCipher(KEY, "server values");
        long before = ClusterCipher.ciphersCreated();
        // one after another, each on a new virtual thread, as calls seal their checkpoints: the pool serves them all
        for (int i = 0; i < 200; i++) {
            byte[] value = ("call " + i).getBytes(StandardCharsets.UTF_8);
            byte[][] opened = new byte[1][];
            Thread.ofVirtual().start(() -> opened[0] = b.open(a.seal(value))).join();
            assertThat(opened[0]).isEqualTo(value);
        }
        assertThat(ClusterCipher.ciphersCreated() - before).isLessThanOrEqualTo(2);

        // many at once: each value opens to itself, never to another thread's
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 32; t++) {
            int n = t;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 100; i++) {
                    byte[] value = ("thread " + n + " value " + i).getBytes(StandardCharsets.UTF_8);
                    if (!Arrays.equals(b.open(a.seal(value)), value)) {
                        wrong.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(wrong).hasValue(0);
        // a value that fails authentication drops the cipher it used; the next ones still work
        byte[] sealed = a.seal(new byte[] {1, 2, 3});
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> b.open(sealed)).isInstanceOf(SecurityException.class);
        assertThat(b.open(a.seal(new byte[] {4, 5}))).containsExactly(4, 5);
    }
}
