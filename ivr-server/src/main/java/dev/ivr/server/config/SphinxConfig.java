package dev.ivr.server.config;

import java.time.Duration;

public record SphinxConfig(
        @Doc("Whether CMU Sphinx4 recognises the languages it has a model for and no Vosk model serves (US English ships inside ivr), so that menus and listen nodes understand phrases with no model to download.")
        boolean enabled,
        @Doc("Utterances decoded at once: each decoder is a thread and a copy of the model (about 80 MB of heap); 0 means one per CPU core, at most 4.")
        int decoders,
        @Doc("Utterances that may wait for a free decoder; one more is refused (the flow falls back to keys).")
        int maxWaiting,
        @Doc("Longest wait for one utterance's result (waiting for a decoder included) before it counts as not understood.")
        Duration timeout) implements Validated {

    @Override
    public void validate(Problems p) {
        if (decoders < 0 || decoders > 64) {
            p.add("decoders", "must be between 0 (one per core) and 64 (got " + decoders + ")");
        }
        if (maxWaiting < 0 || maxWaiting > 10_000) {
            p.add("max-waiting", "must be between 0 and 10000 (got " + maxWaiting + ")");
        }
        p.positive("timeout", timeout);
    }

    /** The number of decoders to run on this machine. */
    public int decoderCount() {
        return decoders > 0 ? decoders : Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }
}
