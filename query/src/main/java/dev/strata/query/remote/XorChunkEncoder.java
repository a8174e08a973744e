package dev.strata.query.remote;

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
    private final BitWriter out = new BitWriter(2); // after the 2-byte count
    private final XorValueWriter values = new XorValueWriter();
    private int count;
    private long prevT;
    private long prevDelta;
    private long prevBits;

    void append(long t, double v) {
        if (count == 0xffff) throw new IllegalStateException("an XOR chunk holds at most 65535 samples");
        long bits = Double.doubleToRawLongBits(v);
        if (count == 0) {
            out.writeVarint(t);
            out.writeBits(bits, 64);
        } else if (count == 1) {
            long delta = t - prevT;
            out.writeUvarint(delta);
            values.write(out, bits, prevBits);
            prevDelta = delta;
        } else {
            long delta = t - prevT;
            long dod = delta - prevDelta;
            if (dod == 0) {
                out.writeBits(0, 1);
            } else if (fits(dod, 14)) {
                out.writeBits(0b10, 2);
                out.writeBits(dod, 14);
            } else if (fits(dod, 17)) {
                out.writeBits(0b110, 3);
                out.writeBits(dod, 17);
            } else if (fits(dod, 20)) {
                out.writeBits(0b1110, 4);
                out.writeBits(dod, 20);
            } else {
                out.writeBits(0b1111, 4);
                out.writeBits(dod, 64);
            }
            values.write(out, bits, prevBits);
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
        out.setByte(0, count >>> 8);
        out.setByte(1, count);
        return out.toByteArray();
    }

    /** Whether {@code x} is in the range a two's-complement field of {@code n} bits stores (Prometheus's bitRange). */
    private static boolean fits(long x, int n) {
        return -((1L << (n - 1)) - 1) <= x && x <= (1L << (n - 1));
    }
}
