package dev.ivr.server.recording.store;

import dev.ivr.server.call.CallInfo;
import dev.ivr.server.call.CallRecorder;
import dev.ivr.server.call.RecordingPauses;
import dev.ivr.server.config.RecordingConfig;
import dev.ivr.server.os.BackgroundThreads;
import dev.ivr.server.recording.Recording;
import dev.ivr.server.recording.RecordingCipher;
import dev.ivr.server.recording.RecordingPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Call recording: starts Asterisk's MixMonitor on the caller's channel when an agent answers (per the
 * queue's policy) or when the agent asks (on-demand), pauses it while the caller types a secret, marks it
 * ended when the call hangs up, seals it afterwards (sized; encrypted when a key is configured), and
 * deletes it when its retention is over. The database row is the truth every server shares; the files
 * are where Asterisk writes them ({@code recording.directory}, shared with the PBX host).
 */
public final class Recordings implements RecordingPauses {
    private static final Logger LOG = LoggerFactory.getLogger(Recordings.class);
    /** A recording still "recording" this long after its start lost its hang-up: it is sealed anyway. */
    static final Duration LONGEST_CALL = Duration.ofHours(8);

    /** The outcome of an on-demand request. */
    public enum Demand { STARTED, STOPPED, NOT_ALLOWED, ALREADY, NOTHING_TO_STOP }

    private final RecordingConfig config;
    private final Path directory;
    private final String pbxDirectory;
    private final JdbcRecordings store;
    private final CallRecorder recorder;
    private final RecordingCipher cipher;
    private final RandomGenerator random;
    private final Clock clock;
    private final Map<String, RecordingPolicy> policies = new LinkedHashMap<>();
    private final RecordingPolicy defaultPolicy;

    /**
     * @param directory where this server reads the files (absolute)
     * @param cipher    encrypts sealed files; null: kept as written
     * @param random    draws percentage policies (tests inject a seeded one); ids come from a UUID
     */
    public Recordings(RecordingConfig config, Path directory, JdbcRecordings store, CallRecorder recorder,
                      RecordingCipher cipher, RandomGenerator random, Clock clock) {
        this.config = config;
        this.directory = directory.toAbsolutePath().normalize();
        this.pbxDirectory = config.pbxDirectory().isEmpty() ? this.directory.toString() : config.pbxDirectory();
        this.store = store;
        this.recorder = recorder;
        this.cipher = cipher;
        this.random = random;
        this.clock = clock;
        this.defaultPolicy = RecordingPolicy.parse(config.defaultPolicy());
        for (String entry : config.policies()) {
            int eq = entry.indexOf('=');
            policies.put(entry.substring(0, eq).trim(), RecordingPolicy.parse(entry.substring(eq + 1)));
        }
    }

    public RecordingPolicy policy(String queue) {
        return config.enabled() ? policies.getOrDefault(queue == null ? "" : queue, defaultPolicy) : RecordingPolicy.NEVER;
    }

    /** An agent answered the call: recorded from now on if the queue's policy says so. */
    public Optional<Recording> agentAnswered(String callId, String queue, String agentId) {
        RecordingPolicy p = policy(queue);
        if (!p.recordsOnAnswer(random)) {
            LOG.info("call {} in queue {}: not recorded (policy {})", callId, queue, p);
            return Optional.empty();
        }
        return Optional.of(start(callId, queue, agentId, p.toString()));
    }

    /** The agent starts or stops recording their call from the desktop (queues with policy on-demand). */
    public Demand onDemand(String callId, String queue, String agentId, boolean start) {
        if (!policy(queue).onDemand()) {
            return Demand.NOT_ALLOWED;
        }
        List<Recording> running = store.recording(callId);
        if (start) {
            if (!running.isEmpty()) {
                return Demand.ALREADY;
            }
            start(callId, queue, agentId, "on-demand");
            return Demand.STARTED;
        }
        if (running.isEmpty()) {
            return Demand.NOTHING_TO_STOP;
        }
        recorder.stop(callId);
        running.forEach(r -> store.endedOne(r.id(), clock.instant()));
        LOG.info("call {}: recording stopped by agent {}", callId, agentId);
        return Demand.STOPPED;
    }

    private Recording start(String callId, String queue, String agentId, String reason) {
        Instant now = clock.instant();
        String id = java.util.UUID.randomUUID().toString().replace("-", ""); // unguessable: it is in URLs
        String name = LocalDate.ofInstant(now, ZoneOffset.UTC) + "/" + safe(callId) + "-" + id + "." + config.format();
        Recording r = new Recording(id, callId, queue, agentId, reason, name, Recording.State.RECORDING, false, null,
                now, null, null);
        store.insert(r); // first: a recording the database does not know could never be purged
        try {
            recorder.start(callId, pbxDirectory + "/" + name);
        } catch (RuntimeException e) {
            store.sealed(r, Recording.State.RECORDING, Recording.State.MISSING, name, false, null, now);
            throw e;
        }
        LOG.info("call {}: recording {} started ({}), agent {}", callId, id, reason, agentId);
        return r;
    }

    static String safe(String callId) {
        return callId.replaceAll("[^A-Za-z0-9.-]", "_");
    }

    /**
     * The caller is about to type a secret: the call's running recordings are muted until it is in. When the
     * database cannot say whether one runs, it is muted anyway (nothing secret may be recorded).
     */
    @Override
    public Paused pause(CallInfo call) {
        if (!config.enabled()) {
            return () -> { };
        }
        String callId = call.uniqueId();
        boolean running;
        try {
            running = !store.recording(callId).isEmpty();
        } catch (RuntimeException e) {
            LOG.warn("recordings: cannot tell whether call {} is recorded ({}): pausing anyway", callId, e.getMessage());
            running = true;
        }
        if (!running) {
            return () -> { };
        }
        String channel = call.channel() == null || call.channel().isEmpty() ? callId : call.channel();
        try {
            recorder.mute(channel, true);
        } catch (RuntimeException e) {
            LOG.warn("recording of call {} not paused: {}", callId, e.getMessage());
            return () -> { };
        }
        return () -> {
            try {
                recorder.mute(channel, false);
            } catch (RuntimeException e) {
                LOG.info("recording of call {} not resumed: {}", callId, e.getMessage());
            }
        };
    }

    /** The call hung up (AMI Hangup of its channel): MixMonitor closes its files; they are sealed later. */
    public void callEnded(String callId) {
        int n = store.ended(callId, clock.instant());
        if (n > 0) {
            LOG.info("call {}: {} recording(s) ended", callId, n);
        }
    }

    /** Seals the recordings whose call ended at least seal-delay ago: sized, encrypted when configured. */
    public int seal() {
        Instant now = clock.instant();
        int n = 0;
        for (Recording r : store.toSeal(now.minus(config.sealDelay()), now.minus(LONGEST_CALL))) {
            try {
                if (sealOne(r, now)) {
                    n++;
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("recording {} of call {} not sealed: {}", r.id(), r.callId(), e.toString());
            }
        }
        return n;
    }

    private boolean sealOne(Recording r, Instant now) throws IOException {
        Instant endedAt = r.endedAt() == null ? now : r.endedAt();
        Path plain = file(r.fileName());
        if (!Files.isRegularFile(plain)) {
            LOG.warn("recording {} of call {}: no file {} (did the PBX write it?)", r.id(), r.callId(), r.fileName());
            return store.sealed(r, r.state(), Recording.State.MISSING, r.fileName(), false, null, endedAt);
        }
        if (cipher == null) {
            return store.sealed(r, r.state(), Recording.State.STORED, r.fileName(), false, Files.size(plain), endedAt);
        }
        String encName = r.fileName() + ".enc";
        Path enc = file(encName);
        Path tmp = enc.resolveSibling(enc.getFileName() + ".tmp");
        try (InputStream in = Files.newInputStream(plain); OutputStream out = Files.newOutputStream(tmp)) {
            cipher.encrypt(r.id(), in, out);
        }
        Files.move(tmp, enc, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        if (!store.sealed(r, r.state(), Recording.State.STORED, encName, true, Files.size(enc), endedAt)) {
            return false; // another server sealed it: its file stands
        }
        Files.delete(plain);
        LOG.info("recording {} of call {} encrypted at rest", r.id(), r.callId());
        return true;
    }

    /** Deletes the recordings older than the retention (files, then rows marked); 0s retention: none. */
    public int purge() {
        if (config.retention().isZero()) {
            return 0;
        }
        Instant now = clock.instant();
        int n = 0;
        for (Recording r : store.expired(now.minus(config.retention()))) {
            try {
                Files.deleteIfExists(file(r.fileName()));
                if (r.fileName().endsWith(".enc")) {
                    Files.deleteIfExists(file(r.fileName().substring(0, r.fileName().length() - 4)));
                }
                store.deleted(r.id(), now);
                n++;
            } catch (IOException | RuntimeException e) {
                LOG.warn("recording {} not purged: {}", r.id(), e.toString());
            }
        }
        if (n > 0) {
            LOG.info("recordings: {} purged (older than {})", n, config.retention());
        }
        return n;
    }

    /** The audio of a stored recording, decrypted. */
    public byte[] audio(Recording r) throws IOException {
        Path f = file(r.fileName());
        return r.encrypted() ? requireCipher().decryptAll(r.id(), f) : Files.readAllBytes(f);
    }

    private RecordingCipher requireCipher() throws IOException {
        if (cipher == null) {
            throw new IOException("recording is encrypted but no recording.encryption-key-file is configured");
        }
        return cipher;
    }

    /** A file under the directory; names that would leave it are refused. */
    Path file(String name) {
        Path p = directory.resolve(name).normalize();
        if (!p.startsWith(directory)) {
            throw new IllegalArgumentException("recording file outside the directory: " + name);
        }
        return p;
    }

    /**
     * Runs the upkeep on a platform thread ({@code recording-upkeep}): sealing every few seconds, the purge at
     * start and every purge-interval. Closing stops it.
     */
    public AutoCloseable startUpkeep() {
        java.util.concurrent.ScheduledExecutorService s = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                BackgroundThreads.factory("recording-upkeep"));
        long sealEvery = Math.max(1, Math.min(config.sealDelay().toMillis(), 5_000));
        s.scheduleWithFixedDelay(() -> guarded("seal", this::seal), sealEvery, sealEvery,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        s.scheduleWithFixedDelay(() -> guarded("purge", this::purge), 0, config.purgeInterval().toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        return s::shutdownNow;
    }

    private static void guarded(String what, java.util.function.IntSupplier task) {
        try {
            int done = task.getAsInt();
            if (done > 0) {
                LOG.debug("recordings: {} handled {}", what, done);
            }
        } catch (RuntimeException e) {
            LOG.warn("recordings: {} failed: {}", what, e.toString());
        }
    }

    public JdbcRecordings store() {
        return store;
    }

    /** The configured roles allowed to listen. */
    public List<String> accessRoles() {
        return config.accessRoles();
    }

    /** The audio's content type by the configured format. */
    public String contentType() {
        return switch (config.format()) {
            case "gsm" -> "audio/x-gsm";
            default -> "audio/wav";
        };
    }
}
