package dev.ivr.server.config;

import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

public record CrmConfig(
        @Doc("Country (ISO 3166 region, e.g. HU, DE, US) whose national format callers' numbers arrive in when they lack a +country code: with HU, '06 1 234 5678' and '3612345678' both become +3612345678.")
        String defaultCountry,
        @Doc("Argon2id cost of PIN hashes. Raising it makes each authentication slower (see docs/benchmarks.md); stored hashes keep their own cost and are upgraded on the next successful login.")
        PinHashConfig pinHash,
        @Doc("File with the PIN pepper: a secret of at least 32 bytes, kept outside the database, with which every PIN is HMAC-SHA256'd before Argon2id, so that stolen hashes (a database copy, an export with --with-pin-hashes) cannot be guessed offline without this file too. Every server sharing a database needs the same file. It must not be readable by other users. Empty: <data-dir>/pin-pepper, generated on first start. Hashes made without a pepper get one at the account's next good PIN.")
        String pinPepperFile,
        @Doc("Earlier pepper files, after a rotation: still accepted, and a hash made with one is made again with the current pepper at the account's next good PIN.")
        List<String> pinOldPepperFiles,
        @Doc("Locking an account after too many wrong PINs, counted in the database across calls and servers.")
        LockoutConfig lockout,
        @Doc("Once the database fails, identify and authenticate answer UNAVAILABLE at once for this long (the caller is not kept waiting), then try it again.")
        Duration retryDatabaseAfter,
        @Doc("Names of call inputs that are masked before an interaction is stored (case-insensitive, matched as a word of the name: 'pin' masks 'pin', 'account_pin' and 'newPin'). Flows also mark inputs secret; this list is a second line of defence.")
        List<String> secretInputs,
        @Doc("Customer attributes declared with a type. Attributes stay free-form (any attr.NAME column is stored), but a declared one is checked on import and on the API, compared by its type in segments (numbers as numbers, dates as dates), and validate --strict checks that expressions name declared ones. Example: [{name: contract_end, type: date}, {name: plan, type: enum, values: [basic, premium]}].")
        List<AttributeConfig> attributes) implements Validated {

    public CrmConfig {
        attributes = attributes == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(attributes));
        secretInputs = secretInputs == null ? List.of() : List.copyOf(secretInputs);
        pinOldPepperFiles = pinOldPepperFiles == null ? List.of() : List.copyOf(pinOldPepperFiles);
    }

    @Override
    public void validate(Problems p) {
        if (defaultCountry == null || !PhoneNumberUtil.getInstance().getSupportedRegions()
                .contains(defaultCountry.toUpperCase(Locale.ROOT))) {
            p.add("default-country", "must be an ISO 3166 region code such as HU, DE, GB or US (got '" + defaultCountry + "')");
        }
        p.section("pin-hash", pinHash);
        p.section("lockout", lockout);
        p.positive("retry-database-after", retryDatabaseAfter);
        AttributeConfig.validate(p, attributes);
        for (int i = 0; i < secretInputs.size(); i++) {
            String s = secretInputs.get(i);
            if (s == null || !s.matches("[A-Za-z0-9]+")) {
                p.add("secret-inputs[" + i + "]", "must be a word of letters and digits (got '" + s + "')");
            }
        }
    }

    /** The default country in upper case, as libphonenumber wants it. */
    public String region() {
        return defaultCountry.toUpperCase(Locale.ROOT);
    }
}
