package dev.ivr.server.audio;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Sound file formats Asterisk plays natively without a codec module, by file extension.
 * Asterisk picks among {@code name.wav}, {@code name.sln16}, ... by itself when STREAM FILE
 * gets the name without extension, preferring the one that needs the least transcoding.
 */
public enum AsteriskFormat {
    /** RIFF WAV, 16-bit signed linear, mono, 8 kHz (format_wav). */
    WAV("wav", 8000),
    /** Headerless 16-bit signed linear, mono, 16 kHz (format_sln; wideband). */
    SLN16("sln16", 16000);

    private final String extension;
    private final int sampleRate;

    AsteriskFormat(String extension, int sampleRate) {
        this.extension = extension;
        this.sampleRate = sampleRate;
    }

    public String extension() {
        return extension;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** The file's bytes for audio already at {@link #sampleRate()}. */
    public byte[] encode(Pcm pcm) {
        if (pcm.sampleRate() != sampleRate) {
            throw new IllegalArgumentException(this + " needs " + sampleRate + " Hz audio, got " + pcm.sampleRate());
        }
        return this == WAV ? Wav.write(pcm) : Wav.raw(pcm);
    }

    public Pcm decode(byte[] file) throws IOException {
        return this == WAV ? Wav.read(file) : Wav.readRaw(file, sampleRate);
    }

    public String contentType() {
        return this == WAV ? "audio/wav" : "audio/x-sln16";
    }

    /** By extension (case-insensitive). */
    public static AsteriskFormat of(String extension) {
        String e = extension.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.extension.equals(e)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + extension + "' is not a format the IVR writes; use "
                        + Arrays.stream(values()).map(AsteriskFormat::extension).toList()));
    }
}
