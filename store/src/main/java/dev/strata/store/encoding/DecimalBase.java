package dev.strata.store.encoding;

/**
 * The base of the decimal value codecs ({@code decimal} and {@code decimal-blocks}): what precedes
 * the residuals of the decimal integers {@code m}. Order 0: min(m); order 1: m[0]; order 2: m[0] and
 * m[1] - m[0] (when there are two samples); each as {@link Zigzag#writeLengthPrefixed}.
 */
final class DecimalBase {
    private DecimalBase() {}

    /** Bits {@link #write} takes. */
    static long bits(long[] m, int order, int count) {
        return switch (order) {
            case 0 -> prefixedBits(min(m, count));
            case 1 -> prefixedBits(m[0]);
            default -> prefixedBits(m[0]) + (count >= 2 ? prefixedBits(m[1] - m[0]) : 0);
        };
    }

    static void write(long[] m, int order, int count, BitWriter out) {
        switch (order) {
            case 0 -> Zigzag.writeLengthPrefixed(out, min(m, count));
            case 1 -> Zigzag.writeLengthPrefixed(out, m[0]);
            default -> {
                Zigzag.writeLengthPrefixed(out, m[0]);
                if (count >= 2) Zigzag.writeLengthPrefixed(out, m[1] - m[0]);
            }
        }
    }

    static long min(long[] m, int count) {
        long min = m[0];
        for (int i = 1; i < count; i++) min = Math.min(min, m[i]);
        return min;
    }

    private static long prefixedBits(long v) {
        return 7 + Zigzag.bitLength(Zigzag.encode(v));
    }
}
