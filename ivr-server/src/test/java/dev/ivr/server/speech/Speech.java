package dev.ivr.server.speech;

/** Test audio for AudioSocket: 8 kHz 16-bit little-endian slin. */
public final class Speech {
    private Speech() {
    }

    /** A tone at -12 dBFS standing in for a spoken word. */
    public static byte[] word(int millis) {
        int n = 8 * millis;
        byte[] b = new byte[2 * n];
        for (int i = 0; i < n; i++) {
            short s = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
            b[2 * i] = (byte) s;
            b[2 * i + 1] = (byte) (s >> 8);
        }
        return b;
    }

    public static byte[] silence(int millis) {
        return new byte[16 * millis];
    }

    public static byte[] concat(byte[]... parts) {
        int len = 0;
        for (byte[] p : parts) {
            len += p.length;
        }
        byte[] out = new byte[len];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
