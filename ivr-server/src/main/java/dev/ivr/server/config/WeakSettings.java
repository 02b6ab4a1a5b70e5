package dev.ivr.server.config;

import dev.ivr.server.net.Cidr;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings that are valid but weaken the server's defences. {@code run} refuses to start with
 * any of them unless the operator names it in {@code node.accept-weak-settings}; the ones
 * accepted are logged as warnings at every start, and {@code doctor} lists them all.
 */
public final class WeakSettings {
    /** The keys that can be accepted, each the name of one check below. */
    public static final List<String> KEYS = List.of("crm.pin-hash", "crm.lockout", "agi.allow", "speech.allow",
            "prompts.http-allow", "integrations.endpoints");

    /**
     * OWASP's Argon2id table (m=47104/t=1, 19456/2, 12288/3, 9216/4, 7168/5): memory x passes of at
     * least this many KiB, and never below the last row's memory.
     */
    static final long MIN_ARGON2_MEMORY_TIMES_PASSES = 7168L * 5;
    static final int MIN_ARGON2_MEMORY_KIB = 7168;
    /** Wrong PINs per lockout window above which guessing a 4-digit PIN becomes practical. */
    static final int MAX_LOCKOUT_FAILURES = 10;
    /** Allowlist blocks this wide (or wider) admit a large part of the internet. */
    static final int MIN_IPV4_PREFIX = 8;
    static final int MIN_IPV6_PREFIX = 16;

    /** One weak setting: the key to accept it by, what is weak and what to do instead. */
    public record Weakness(String key, String problem, String advice) {
        @Override
        public String toString() {
            return key + ": " + problem + "; " + advice;
        }
    }

    private WeakSettings() {
    }

    /** Every weak setting of the configuration, accepted or not. */
    public static List<Weakness> of(IvrConfig c) {
        List<Weakness> out = new ArrayList<>();
        PinHashConfig h = c.crm().pinHash();
        if (h.memory() < MIN_ARGON2_MEMORY_KIB || (long) h.memory() * h.iterations() < MIN_ARGON2_MEMORY_TIMES_PASSES) {
            out.add(new Weakness("crm.pin-hash", "Argon2id with " + h.memory() + " KiB and " + h.iterations()
                    + " pass(es) is below OWASP's minimum (19456 KiB x 2 passes, or 47104 x 1, 12288 x 3, 9216 x 4,"
                    + " 7168 x 5): stolen hashes of 4-digit PINs are cracked in moments",
                    "raise crm.pin-hash.memory and iterations (lower them only for a bulk import, not for serving)"));
        }
        if (c.crm().lockout().maxFailures() > MAX_LOCKOUT_FAILURES) {
            out.add(new Weakness("crm.lockout", "crm.lockout.max-failures is " + c.crm().lockout().maxFailures()
                    + ": a caller may try that many PINs per window, and a 4-digit PIN has only 10,000",
                    "keep it at " + MAX_LOCKOUT_FAILURES + " or fewer (the default is 3)"));
        }
        open("agi.allow", c.agi().allow(), c.agi().bind(), "the FastAGI port " + c.agi().port()
                + " (FastAGI has no authentication: whoever connects drives calls and reads what flows say)", out);
        if (c.speech().enabled()) {
            open("speech.allow", c.speech().allow().isEmpty() ? c.agi().allow() : c.speech().allow(), c.speech().bind(),
                    "the AudioSocket port " + c.speech().port(), out);
        }
        if ("http".equals(c.prompts().delivery()) && c.http().enabled()) {
            open("prompts.http-allow", c.prompts().httpAllow().isEmpty() ? c.agi().allow() : c.prompts().httpAllow(),
                    c.http().bind(), "/prompts/* (rendered prompts, which may speak customers' names and balances)", out);
        }
        if (c.integrations() != null) {
            for (EndpointConfig e : c.integrations().endpoints()) {
                if (e != null && e.plainHttpOffHost()) {
                    out.add(new Weakness("integrations.endpoints", "endpoint " + e.name() + " is plain http to another"
                            + " host: what flows send (callers' numbers, what they typed) and its headers"
                            + (e.secretHeaders().isEmpty() && e.secretHeaderFiles().isEmpty() ? "" : ", secrets included,")
                            + " cross the network readable and alterable", "use https"));
                }
            }
        }
        return out;
    }

    /** The weak settings the configuration does not accept: the server must not start with any. */
    public static List<Weakness> refused(IvrConfig c) {
        return of(c).stream().filter(w -> !c.node().acceptWeakSettings().contains(w.key())).toList();
    }

    /** The weak settings the configuration accepts knowingly: warned about at every start. */
    public static List<Weakness> accepted(IvrConfig c) {
        return of(c).stream().filter(w -> c.node().acceptWeakSettings().contains(w.key())).toList();
    }

    /** An allowlist with a very wide block, on a listener other hosts can reach. */
    private static void open(String key, List<String> allow, String bind, String what, List<Weakness> out) {
        if (loopback(bind)) {
            return;
        }
        List<String> wide = new ArrayList<>();
        for (String text : allow) {
            Cidr block = Cidr.parse(text);
            if (block.prefix() < (block.network().length == 4 ? MIN_IPV4_PREFIX : MIN_IPV6_PREFIX)) {
                wide.add(text);
            }
        }
        if (!wide.isEmpty()) {
            out.add(new Weakness(key, key + " " + wide + " admits " + (wide.stream().anyMatch(t -> t.endsWith("/0"))
                    ? "every address" : "a large part of the internet") + " to " + what + ", which listens on " + bind,
                    "list only your PBX addresses (e.g. [10.0.0.5/32]), or bind to 127.0.0.1"));
        }
    }

    /** Whether only this host can reach a listener on this address. */
    static boolean loopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
