package dev.ivr.server.desk.users;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {
    /** The minimum cost keeps the test fast; the format and checks are the same. */
    final PasswordHasher hasher = new PasswordHasher(8, 1);

    @Test
    void aHashIsSaltedArgon2idInThePhcFormatAndVerifiesOnlyItsPassword() {
        String h1 = hasher.hash("correct horse battery");
        String h2 = hasher.hash("correct horse battery");
        assertThat(h1).startsWith("$argon2id$v=19$m=8,t=1,p=1$").doesNotContain("correct");
        assertThat(h1).isNotEqualTo(h2); // random salt
        assertThat(hasher.verify("correct horse battery", h1)).isTrue();
        assertThat(hasher.verify("correct horse battery", h2)).isTrue();
        assertThat(hasher.verify("correct horse batterz", h1)).isFalse();
        assertThat(hasher.verify("", h1)).isFalse();
        assertThat(hasher.verify(null, h1)).isFalse();
    }

    @Test
    void theCostIsReadFromTheStoredHash() {
        String dearer = new PasswordHasher(64, 2).hash("s3cret-password");
        assertThat(dearer).startsWith("$argon2id$v=19$m=64,t=2,p=1$");
        assertThat(hasher.verify("s3cret-password", dearer)).isTrue();
        assertThat(new PasswordHasher().hash("x".repeat(8))).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void missingTamperedOrAbsurdHashesAreRefused() {
        String h = hasher.hash("correct horse battery");
        assertThat(hasher.verify("correct horse battery", null)).isFalse();
        assertThat(hasher.verify("correct horse battery", "plain text")).isFalse();
        String tampered = h.substring(0, h.length() - 2) + (h.endsWith("AA") ? "BB" : "AA");
        assertThat(hasher.verify("correct horse battery", tampered)).isFalse();
        // a stored hash must not make the server allocate gigabytes
        String absurd = h.replace("m=8,", "m=9999999,");
        assertThat(hasher.verify("correct horse battery", absurd)).isFalse();
    }
}
