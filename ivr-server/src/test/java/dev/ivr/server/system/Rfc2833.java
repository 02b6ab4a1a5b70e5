package dev.ivr.server.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keys as RFC 2833 telephone events for sipp to play ({@code play_pcap_audio}): a pcap file of
 * RTP packets, payload type 101, for each key 7 packets 20 ms apart then 3 end packets, 250 ms a
 * key. One writer per call: its sequence numbers and RTP timestamps go on rising from file to
 * file, so Asterisk takes every key as a new event (sipp's own per-digit captures share one
 * stream's numbering, and a key sent after a later-numbered one is dropped as old).
 */
final class Rfc2833 {
    private static final int PAYLOAD_TYPE = 101;
    private static final int SSRC = 0x1e5a1e5a;
    private int seq = 1000;
    private long timestamp = 160_000;

    /** Writes the keys; returns how long they take to play, in milliseconds. */
    long write(Path file, String digits) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.writeBytes(header.array());
        long micros = 0;
        for (char d : digits.toCharArray()) {
            int event = d == '*' ? 10 : d == '#' ? 11 : Character.digit(d, 10);
            if (event < 0) {
                throw new IllegalArgumentException("not a key: " + d);
            }
            for (int i = 0; i < 10; i++) {
                boolean end = i >= 7;
                int duration = Math.min(i, 7) * 160;
                packet(out, micros, event, end, duration, i == 0);
                if (i < 7) {
                    seq++;
                    micros += 20_000;
                } else {
                    micros += 1_000;
                }
            }
            seq++;
            timestamp += 8 * 250;
            micros += 100_000;
        }
        timestamp += 8 * 1000;
        try {
            Files.write(file, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return micros / 1000;
    }

    private void packet(ByteArrayOutputStream out, long micros, int event, boolean end, int duration, boolean marker) {
        ByteBuffer rtp = ByteBuffer.allocate(16);
        rtp.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | PAYLOAD_TYPE)).putShort((short) seq)
                .putInt((int) timestamp).putInt(SSRC);
        rtp.put((byte) event).put((byte) ((end ? 0x80 : 0) | 10)).putShort((short) duration);
        ByteBuffer udp = ByteBuffer.allocate(8 + 16);
        udp.putShort((short) 40000).putShort((short) 40000).putShort((short) (8 + 16)).putShort((short) 0).put(rtp.array());
        ByteBuffer ip = ByteBuffer.allocate(20 + udp.capacity());
        ip.put((byte) 0x45).put((byte) 0).putShort((short) ip.capacity()).putShort((short) 0).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(new byte[]{127, 0, 0, 2}).put(new byte[]{127, 0, 0, 1})
                .put(udp.array());
        ByteBuffer eth = ByteBuffer.allocate(14 + ip.capacity());
        eth.put(new byte[12]).putShort((short) 0x0800).put(ip.array());
        ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        rec.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(eth.capacity()).putInt(eth.capacity());
        out.writeBytes(rec.array());
        out.writeBytes(eth.array());
    }
}
