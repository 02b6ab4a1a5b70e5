package dev.ivr.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Call recording: per-queue policies, where Asterisk writes the files, retention, who may listen, encryption (docs/agents.md). */
public record RecordingConfig(
        @Doc("Record calls at all (needs ami.enabled: the server starts Asterisk's MixMonitor over AMI). false: no call is recorded, whatever the policies say.")
        boolean enabled,
        @Doc("The policy of queues not named in policies: always, never, on-demand (the agent starts and stops it from the desktop) or a percentage of calls such as 25%.")
        String defaultPolicy,
        @Doc("Per queue, QUEUE=POLICY, e.g. [billing=always, support=25%, sales=on-demand, vip=never].")
        List<String> policies,
        @Doc("Where this server reads the recordings (Asterisk writes them there: the same directory, or one shared with the PBX host). Relative: under node.data-dir.")
        Path directory,
        @Doc("The same directory as Asterisk sees it, given to MixMonitor. Empty: the directory above, made absolute.")
        String pbxDirectory,
        @Doc("The file format, the extension MixMonitor writes: wav (8 kHz, 16 bit), wav49 or gsm.")
        String format,
        @Doc("Recordings are kept this long from the start of the call, then the purge deletes the file and marks the row (0s: kept for ever).")
        Duration retention,
        @Doc("How often the purge runs (it also runs at start). Every server may run it: it is idempotent.")
        Duration purgeInterval,
        @Doc("Roles allowed to play and download recordings (admin always may). Agents are refused unless listed here.")
        List<String> accessRoles,
        @Doc("A file holding the AES-256 key (32 bytes, base64; e.g. openssl rand -base64 32 > recording.key, mode 600) used to encrypt recordings at rest once the call has ended. Empty: files are kept as Asterisk wrote them.")
        String encryptionKeyFile,
        @Doc("How long after the call's end a recording is encrypted (Asterisk closes the file when the channel goes).")
        Duration sealDelay) implements Validated {

    public static final Set<String> FORMATS = Set.of("wav", "wav49", "gsm");

    public RecordingConfig {
        defaultPolicy = defaultPolicy == null ? "never" : defaultPolicy.trim().toLowerCase(Locale.ROOT);
        policies = policies == null ? List.of() : List.copyOf(policies);
        directory = directory == null ? Path.of("recordings") : directory;
        pbxDirectory = pbxDirectory == null ? "" : pbxDirectory.trim();
        format = format == null ? "wav" : format.trim().toLowerCase(Locale.ROOT);
        accessRoles = accessRoles == null ? List.of("supervisor") : List.copyOf(accessRoles);
        encryptionKeyFile = encryptionKeyFile == null ? "" : encryptionKeyFile.trim();
        retention = retention == null ? Duration.ofDays(90) : retention;
        purgeInterval = purgeInterval == null ? Duration.ofDays(1) : purgeInterval;
        sealDelay = sealDelay == null ? Duration.ofSeconds(10) : sealDelay;
    }

    /** Whether text is a policy: always, never, on-demand or 0%..100%. */
    public static boolean isPolicy(String text) {
        return text != null && text.trim().toLowerCase(Locale.ROOT).matches("always|never|on-demand|(100|[1-9]?[0-9])%");
    }

    @Override
    public void validate(Problems p) {
        if (!isPolicy(defaultPolicy)) {
            p.add("default-policy", "must be always, never, on-demand or a percentage such as 25% (got '" + defaultPolicy + "')");
        }
        for (int i = 0; i < policies.size(); i++) {
            String entry = policies.get(i);
            int eq = entry == null ? -1 : entry.indexOf('=');
            if (eq <= 0 || !isPolicy(entry.substring(eq + 1))) {
                p.add("policies[" + i + "]", "must be QUEUE=always|never|on-demand|NN% (got '" + entry + "')");
            }
        }
        if (!FORMATS.contains(format)) {
            p.add("format", "must be one of " + new java.util.TreeSet<>(FORMATS) + " (got '" + format + "')");
        }
        if (retention.isNegative()) {
            p.add("retention", "must not be negative");
        }
        p.positive("purge-interval", purgeInterval);
        p.positive("seal-delay", sealDelay);
        if (!pbxDirectory.isEmpty() && !pbxDirectory.startsWith("/")) {
            p.add("pbx-directory", "must be an absolute path (got '" + pbxDirectory + "')");
        }
        if (pbxDirectory.matches(".*[,|\\s].*") || directory.toString().matches(".*[,|\\s].*")) {
            p.add("directory", "must not contain commas, '|' or spaces (MixMonitor splits its arguments there)");
        }
        for (String r : accessRoles) {
            if (r == null || !r.matches("[a-z][a-z0-9-]*")) {
                p.add("access-roles", "must be role names (got '" + r + "')");
            }
        }
    }
}
