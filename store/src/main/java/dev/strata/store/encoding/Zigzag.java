package dev.strata.store.encoding;

/** Zigzag mapping of signed to unsigned longs (0, -1, 1, -2, ... -> 0, 1, 2, 3, ...). */
final class Zigzag {
    private Zigzag() {}

    static long encode(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long decode(long z) {
        return (z >>> 1) ^ -(z & 1);
    }

    /** Number of significant bits of an unsigned value (0 for 0, 64 for negative). */
    static int bitLength(long u) {
        return 64 - Long.numberOfLeadingZeros(u);
    }

    /** Writes a zigzagged value as a 7-bit length followed by that many bits. */
    static void writeLengthPrefixed(BitWriter w, long signed) {
        long z = encode(signed);
        int n = bitLength(z);
        w.write(n, 7);
        w.write(z, n);
    }

    static long readLengthPrefixed(BitReader r) {
        int n = (int) r.read(7);
        if (n > 64) n = 64; // corrupt input; the caller's checks catch the consequences
        return decode(r.read(n));
    }
}
