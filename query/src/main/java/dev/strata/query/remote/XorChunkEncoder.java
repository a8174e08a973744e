package dev.strata.query.remote;

import java.util.Arrays;

/**
 * Encodes float samples into Prometheus's XOR chunk format ({@code tsdb/chunkenc} "XOR", chunk
 * encoding 1), the payload of remote read's {@code STREAMED_XOR_CHUNKS} responses. Layout
 * (docs/format/remote-read.md):
 *
 * <pre>
 * count &lt;uint16 big-endian&gt;
 * sample 0: t &lt;signed varint&gt;, v &lt;64 bits&gt;
 * sample 1: t - t0 &lt;uvarint&gt;, v as XOR against the previous value
 * sample i: delta-of-delta of t in a bucket ('0' | '10'+14 bits | '110'+17 bits | '1110'+20 bits |
 *           '1111'+64 bits), v as XOR against the previous value
 * XOR value: '0' when equal; else '1', then '0' + the meaningful bits when they fit the previous
 *           leading/trailing-zero window, else '1' + leading zeros (5 bits, at most 31) + significant
 *           bit count (6 bits, 64 written as 0) + the significant bits
 * </pre>
 *
 * Bits are written most significant first; the last byte is zero-padded. One encoder per chunk; not
 * thread-safe. At most 65535 samples per chunk (the count is 16 bits); callers cut at 120 like Prometheus.
 */
final class XorChunkEncoder {
    private byte[] buf = new byte[128];
    private int bitPos = 16; // after the 2-byte count
    private int count;
    private long prevT;
    private long prevDelta;
    private long prevBits;
    private int leading = 0xff; // "no window yet"
    private int trailing;

    void append(long t, double v) {
        if (count == 0xffff) throw new IllegalStateException("an XOR chunk holds at most 65535 samples");
        long bits = Double.doubleToRawLongBits(v);
        if (count == 0) {
            writeVarint(t);
            writeBits(bits, 64);
        } else if (count == 1) {
            long delta = t - prevT;
            writeUvarint(delta);
            writeValue(bits);
            prevDelta = delta;
        } else {
            long delta = t - prevT;
            long dod = delta - prevDelta;
            if (dod == 0) {
                writeBits(0, 1);
            } else if (fits(dod, 14)) {
                writeBits(0b10, 2);
                writeBits(dod, 14);
            } else if (fits(dod, 17)) {
                writeBits(0b110, 3);
                writeBits(dod, 17);
            } else if (fits(dod, 20)) {
                writeBits(0b1110, 4);
                writeBits(dod, 20);
            } else {
                writeBits(0b1111, 4);
                writeBits(dod, 64);
            }
            writeValue(bits);
            prevDelta = delta;
        }
        prevT = t;
        prevBits = bits;
        count++;
    }

    int count() {
        return count;
    }

    /** The chunk's bytes (count header included). */
    byte[] bytes() {
        buf[0] = (byte) (count >>> 8);
        buf[1] = (byte) count;
        return Arrays.copyOf(buf, (bitPos + 7) >>> 3);
    }

    /** Whether {@code x} is in the range a two's-complement field of {@code n} bits stores (Prometheus's bitRange). */
    private static boolean fits(long x, int n) {
        return -((1L << (n - 1)) - 1) <= x && x <= (1L << (n - 1));
    }

    private void writeValue(long bits) {
        long xor = bits ^ prevBits;
        if (xor == 0) {
            writeBits(0, 1);
            return;
        }
        writeBits(1, 1);
        int lead = Math.min(Long.numberOfLeadingZeros(xor), 31);
        int trail = Long.numberOfTrailingZeros(xor);
        if (leading != 0xff && lead >= leading && trail >= trailing) {
            writeBits(0, 1);
            writeBits(xor >>> trailing, 64 - leading - trailing);
        } else {
            leading = lead;
            trailing = trail;
            int sig = 64 - lead - trail;
            writeBits(1, 1);
            writeBits(lead, 5);
            writeBits(sig, 6); // 64 does not fit 6 bits and is written as 0
            writeBits(xor >>> trail, sig);
        }
    }

    private void writeVarint(long v) {
        writeUvarint((v << 1) ^ (v >> 63));
    }

    private void writeUvarint(long v) {
        while ((v & ~0x7FL) != 0) {
            writeBits((v & 0x7F) | 0x80, 8);
            v >>>= 7;
        }
        writeBits(v, 8);
    }

    /** Appends the low {@code n} bits of {@code v} (1..64), most significant first. */
    private void writeBits(long v, int n) {
        if (((bitPos + n + 7) >>> 3) > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, (bitPos + n + 7) >>> 3));
        for (int i = n - 1; i >= 0; i--) {
            if (((v >>> i) & 1) != 0) buf[bitPos >>> 3] |= (byte) (0x80 >>> (bitPos & 7));
            bitPos++;
        }
    }
}
