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

    static final byte[] KEY = "0123456789abcdef0123456789abcdef-pepper".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final byte[] OLD_KEY = "an earlier pepper, rotated out: 32+ bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void withAPepperTheHashNamesItAndIsWorthlessWithoutIt() {
        PinPepper pepper = PinPepper.of(KEY);
        PinHasher peppered = new PinHasher(new PinHashConfig(256, 1, 1), pepper);
        String h = peppered.hash("1234");
        assertThat(h).startsWith("$pepper$k=" + pepper.id() + "$argon2id$v=19$m=256,t=1,p=1$");
        assertThat(PinHasher.isHash(h)).isTrue();
        assertThat(PinHasher.pepperId(h)).isEqualTo(pepper.id());
        assertThat(peppered.verify("1234", h)).isTrue();
        assertThat(peppered.verify("1235", h)).isFalse();
        assertThat(peppered.needsRehash(h)).isFalse();
        // the Argon2id part alone does not take the PIN: guessing needs the pepper too
        String inner = h.substring(h.indexOf("$argon2id$"));
        assertThat(hasher.verify("1234", inner)).isFalse();
        // another server's pepper: cannot check it at all (and says so), rather than calling the PIN wrong
        PinHasher other = new PinHasher(new PinHashConfig(256, 1, 1), PinPepper.of(OLD_KEY));
        assertThat(other.canVerify(h)).isFalse();
        assertThat(other.verify("1234", h)).isFalse();
        assertThat(hasher.canVerify(h)).isFalse();
        assertThat(peppered.canVerify(h)).isTrue();
    }

    @Test
    void hashesWithoutThePepperOrWithAnEarlierOneVerifyAndAreMadeAgain() {
        PinHasher current = new PinHasher(new PinHashConfig(256, 1, 1), PinPepper.of(KEY, OLD_KEY));
        String unpeppered = hasher.hash("4321");
        String earlier = new PinHasher(new PinHashConfig(256, 1, 1), PinPepper.of(OLD_KEY)).hash("4321");
        for (String stored : new String[]{unpeppered, earlier}) {
            assertThat(current.canVerify(stored)).isTrue();
            assertThat(current.verify("4321", stored)).isTrue();
            assertThat(current.verify("4322", stored)).isFalse();
            assertThat(current.needsRehash(stored)).as(stored).isTrue();
        }
        assertThat(current.needsRehash(current.hash("4321"))).isFalse();
        assertThat(current.verify("4321", null)).isFalse();
    }

    @Test
    void thePepperIdIsStableAndTellsNothingOfTheKey() {
        assertThat(PinPepper.of(KEY).id()).isEqualTo(PinPepper.of(KEY.clone()).id()).hasSize(8)
                .isNotEqualTo(PinPepper.of(OLD_KEY).id());
    }

    @Test
    void aStoredHashCannotAskForAbsurdCost() {
        String huge = "$argon2id$v=19$m=99999999,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$" + "A".repeat(43);
        assertThat(PinHasher.isHash(huge)).isFalse();
        assertThat(hasher.verify("1234", huge)).isFalse();
    }
}
