package dev.ivr.server.audio;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads audio (WAV/AIFF/AU, any PCM layout) into {@link Pcm}; writes 16-bit mono RIFF WAV and raw slin. */
public final class Wav {
    /** Longest recording read (10 minutes at 48 kHz stereo 16-bit is about 110 MB). */
    static final long MAX_BYTES = 64L * 1024 * 1024;

    private Wav() {
    }

    /** Decodes a sound file; stereo is mixed down to mono. */
    public static Pcm read(byte[] file) throws IOException {
        try {
            return read(AudioSystem.getAudioInputStream(new BufferedInputStream(new ByteArrayInputStream(file))));
        } catch (UnsupportedAudioFileException e) {
            throw new IOException("not a supported sound file (WAV, AIFF or AU with PCM samples): " + e.getMessage(), e);
        }
    }

    /** Reads a stream to its end and closes it. */
    public static Pcm read(AudioInputStream in) throws IOException {
        try (in) {
            AudioFormat f = in.getFormat();
            int channels = Math.max(1, f.getChannels());
            int rate = Math.round(f.getSampleRate());
            AudioFormat target = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, f.getSampleRate(), 16, channels,
                    2 * channels, f.getSampleRate(), false);
            AudioInputStream pcm = f.matches(target) ? in : AudioSystem.getAudioInputStream(target, in);
            byte[] bytes = readAll(pcm);
            int frames = bytes.length / (2 * channels);
            short[] out = new short[frames];
            ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < frames; i++) {
                int sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += bb.getShort();
                }
                out[i] = (short) (sum / channels);
            }
            return new Pcm(out, rate);
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot convert the audio to 16-bit PCM: " + e.getMessage(), e);
        }
    }

    /**
     * Reads to the end with plain read calls: some audio streams (MaryTTS's appendable
     * sequence stream) stop early under InputStream.readNBytes/readAllBytes.
     */
    private static byte[] readAll(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64 * 1024);
        byte[] buf = new byte[8192];
        int zeros = 0;
        while (true) {
            int n = in.read(buf, 0, buf.length);
            if (n < 0 || n == 0 && ++zeros > 3) {
                break;
            }
            out.write(buf, 0, n);
            if (out.size() > MAX_BYTES) {
                throw new IOException("sound file longer than " + MAX_BYTES / (1024 * 1024) + " MB of samples");
            }
        }
        return out.toByteArray();
    }

    /** A RIFF/WAVE file: PCM, 16-bit, mono, at the audio's rate (what Asterisk's format_wav reads). */
    public static byte[] write(Pcm pcm) {
        int dataLen = pcm.length() * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataLen).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + dataLen)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1)                 // PCM
                .putShort((short) 1)                 // mono
                .putInt(pcm.sampleRate())
                .putInt(pcm.sampleRate() * 2)        // bytes per second
                .putShort((short) 2)                 // block align
                .putShort((short) 16)                // bits per sample
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(dataLen);
        for (short s : pcm.samples()) {
            b.putShort(s);
        }
        return b.array();
    }

    /** Headerless signed linear little-endian samples (Asterisk's .sln, .sln16, ...). */
    public static byte[] raw(Pcm pcm) {
        ByteBuffer b = ByteBuffer.allocate(pcm.length() * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : pcm.samples()) {
            b.putShort(s);
        }
        return b.array();
    }

    /** Reads headerless signed linear little-endian samples. */
    public static Pcm readRaw(byte[] bytes, int sampleRate) {
        short[] s = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return new Pcm(s, sampleRate);
    }
}
