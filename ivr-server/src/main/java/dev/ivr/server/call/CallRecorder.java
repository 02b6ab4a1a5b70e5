package dev.ivr.server.call;

/**
 * Records a call on the PBX: Asterisk's {@code MixMonitor} on the caller's channel (both
 * directions mixed, whoever the caller is bridged to), muted while the caller types a secret.
 * Implemented over the PBX's manager interface. Channels are named by name or unique id (Asterisk
 * looks up either).
 */
public interface CallRecorder {
    /** Without a manager interface nothing is recorded. */
    CallRecorder NONE = new CallRecorder() {
        @Override
        public void start(String channel, String file) {
            throw new IllegalStateException("recording needs the PBX's manager interface (ami.enabled)");
        }

        @Override
        public void mute(String channel, boolean muted) {
            throw new IllegalStateException("recording needs the PBX's manager interface (ami.enabled)");
        }

        @Override
        public void stop(String channel) {
            throw new IllegalStateException("recording needs the PBX's manager interface (ami.enabled)");
        }
    };

    /**
     * Starts recording the channel into {@code file} (a path as the PBX sees it, with its extension).
     *
     * @throws IllegalStateException when the PBX cannot be asked or refuses (no such channel)
     */
    void start(String channel, String file);

    /** Mutes (true) or unmutes the channel's recordings, both directions: silence is written meanwhile. */
    void mute(String channel, boolean muted);

    /** Stops the channel's recordings; the PBX closes the files. */
    void stop(String channel);
}
