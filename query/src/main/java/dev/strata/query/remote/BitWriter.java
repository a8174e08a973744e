package dev.strata.query.remote;

import java.util.Arrays;

/**
 * Bits appended most significant first into a growing byte array, the last byte zero-padded (Prometheus's
 * {@code bstream}), with the integer encodings its chunk formats use. Not thread-safe.
 */
final class BitWriter {
    private byte[] buf = new byte[128];
    private int bitPos;

    /** A writer whose first {@code headerBytes} bytes are left for a header set later with {@link #setByte}. */
    BitWriter(int headerBytes) {
        bitPos = headerBytes * 8;
    }

    /** Appends the low {@code n} bits of {@code v} (1..64), most significant first. */
    void writeBits(long v, int n) {
        if (((bitPos + n + 7) >>> 3) > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, (bitPos + n + 7) >>> 3));
        for (int i = n - 1; i >= 0; i--) {
            if (((v >>> i) & 1) != 0) buf[bitPos >>> 3] |= (byte) (0x80 >>> (bitPos & 7));
            bitPos++;
        }
    }

    void setByte(int index, int value) {
        buf[index] = (byte) value;
    }

    /** Zigzag, then {@link #writeUvarint} (Go's {@code binary.PutVarint}), bit-aligned as it falls. */
    void writeVarint(long v) {
        writeUvarint((v << 1) ^ (v >> 63));
    }

    /** 7 bits per byte, low group first, high bit set on all but the last byte (Go's {@code binary.PutUvarint}). */
    void writeUvarint(long v) {
        while ((v & ~0x7FL) != 0) {
            writeBits((v & 0x7F) | 0x80, 8);
            v >>>= 7;
        }
        writeBits(v, 8);
    }

    /**
     * Prometheus's {@code varbit_int}: '0' for 0; else a prefix of k ones and a zero, then the value as a
     * two's-complement field: '10'+3 bits (-3..4), '110'+6 (-31..32), '1110'+9 (-255..256), '11110'+12
     * (-2047..2048), '111110'+18 (-131071..131072), '1111110'+25 (-16777215..16777216), '11111110'+56,
     * else '11111111'+64.
     */
    void writeVarbitInt(long v) {
        if (v == 0) {
            writeBits(0, 1);
            return;
        }
        int[] sizes = {3, 6, 9, 12, 18, 25, 56};
        for (int k = 0; k < sizes.length; k++) {
            int n = sizes[k];
            if (-((1L << (n - 1)) - 1) <= v && v <= (1L << (n - 1))) {
                writeBits(prefix(k), k + 2);
                writeBits(v, n);
                return;
            }
        }
        writeBits(0xff, 8);
        writeBits(v, 64);
    }

    /** Prometheus's {@code varbit_uint}: the same prefixes as {@link #writeVarbitInt}, the value unsigned (below 2^n). */
    void writeVarbitUint(long v) {
        if (v == 0) {
            writeBits(0, 1);
            return;
        }
        int[] sizes = {3, 6, 9, 12, 18, 25, 56};
        for (int k = 0; k < sizes.length; k++) {
            if (Long.compareUnsigned(v, 1L << sizes[k]) < 0) {
                writeBits(prefix(k), k + 2);
                writeBits(v, sizes[k]);
                return;
            }
        }
        writeBits(0xff, 8);
        writeBits(v, 64);
    }

    /** k + 1 ones and a zero: 0b10, 0b110, ... */
    private static long prefix(int k) {
        return ((1L << (k + 1)) - 1) << 1;
    }

    /** The bytes written so far, the last one zero-padded. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, (bitPos + 7) >>> 3);
    }
}
