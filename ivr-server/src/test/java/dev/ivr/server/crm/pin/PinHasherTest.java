package dev.ivr.server.crm.pin;

import dev.ivr.server.config.PinHashConfig;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PinHasherTest {
    final PinHasher hasher = new PinHasher(new PinHashConfig(256, 1, 1));

    @Test
    void aHashIsSaltedArgon2idInPhcFormatAndVerifies() {
        String a = hasher.hash("1234");
        String b = hasher.hash("1234");
        assertThat(a).startsWith("$argon2id$v=19$m=256,t=1,p=1$").doesNotContain("1234$").isNotEqualTo(b);
        assertThat(hasher.verify("1234", a)).isTrue();
        assertThat(hasher.verify("1234", b)).isTrue();
        assertThat(hasher.verify("1235", a)).isFalse();
        assertThat(hasher.verify("", a)).isFalse();
        assertThat(hasher.verify(null, a)).isFalse();
        assertThat(PinHasher.isHash(a)).isTrue();
    }

    @Test
    void aHashFromTheReferenceImplementationVerifies() {
        // Debian's argon2 (the reference C implementation):
        // echo -n 1234 | argon2 somesaltsomesalt -id -t 1 -k 256 -p 1 -l 32 -e
        String reference = "$argon2id$v=19$m=256,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$eg2zOruf3bvcuZ2/Weqh1pHAd4+7O9TTt7dlqlgOn90";
        assertThat(hasher.verify("1234", reference)).isTrue();
        assertThat(hasher.verify("1243", reference)).isFalse();
    }

    @Test
    void noStoredHashIsCheckedAgainstADummyAndFails() {
        assertThat(hasher.verify("1234", null)).isFalse();
        assertThat(hasher.verify("1234", "not a hash")).isFalse();
    }

    @Test
    void hashesOfOtherCostsAndBcryptStillVerify() {
        String older = new PinHasher(new PinHashConfig(128, 2, 1)).hash("4321");
        assertThat(hasher.verify("4321", older)).isTrue();
        assertThat(hasher.needsRehash(older)).isTrue();
        assertThat(hasher.needsRehash(hasher.hash("4321"))).isFalse();
        String bcrypt = OpenBSDBCrypt.generate("2b", "4321".toCharArray(), new byte[16], 4);
        assertThat(PinHasher.isHash(bcrypt)).isTrue();
        assertThat(hasher.verify("4321", bcrypt)).isTrue();
        assertThat(hasher.verify("4322", bcrypt)).isFalse();
        assertThat(hasher.needsRehash(bcrypt)).isTrue();
    }

    @Test
    void aStoredHashCannotAskForAbsurdCost() {
        String huge = "$argon2id$v=19$m=99999999,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$" + "A".repeat(43);
        assertThat(PinHasher.isHash(huge)).isFalse();
        assertThat(hasher.verify("1234", huge)).isFalse();
    }
}
