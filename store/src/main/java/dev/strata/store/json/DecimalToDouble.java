package dev.strata.store.json;

import java.math.BigInteger;

/**
 * Exact conversion of a short decimal {@code w * 10^q} to the nearest double by the Eisel-Lemire
 * algorithm (as in Go's {@code strconv} and fast_float): one or two 64x128-bit multiplications by a
 * truncated power of five. It reports {@link Double#NaN} in the rare cases it cannot decide (the
 * caller then uses {@link Double#parseDouble}), so its answers are always exact. Used to check
 * whether a candidate decimal reads back as a given double without the slow big-number path of
 * {@code parseDouble} for 16 to 18 digit inputs.
 */
final class DecimalToDouble {
    private DecimalToDouble() {}

    private static final int MIN_Q = -342;
    private static final int MAX_Q = 308;
    /** For q in [MIN_Q, MAX_Q]: the 128-bit normalized mantissa of 5^q (high and low words). */
    private static final long[] HI = new long[MAX_Q - MIN_Q + 1];
    private static final long[] LO = new long[MAX_Q - MIN_Q + 1];

    static {
        BigInteger two128 = BigInteger.ONE.shiftLeft(128);
        for (int q = MIN_Q; q <= MAX_Q; q++) {
            BigInteger c;
            if (q >= 0) {
                // Truncated: shift 5^q into [2^127, 2^128).
                BigInteger p = BigInteger.valueOf(5).pow(q);
                int bits = p.bitLength();
                c = bits > 128 ? p.shiftRight(bits - 128) : p.shiftLeft(128 - bits);
            } else {
                // Reciprocal rounded up: floor(2^b / 5^-q) + 1, truncated into [2^127, 2^128).
                BigInteger p = BigInteger.valueOf(5).pow(-q);
                int z = p.bitLength();
                int b = z + 127;
                c = BigInteger.ONE.shiftLeft(b).divide(p).add(BigInteger.ONE);
                while (c.compareTo(two128) >= 0) c = c.shiftRight(1);
            }
            HI[q - MIN_Q] = c.shiftRight(64).longValue();
            LO[q - MIN_Q] = c.longValue();
        }
    }

    /** The double nearest to {@code w * 10^q} ({@code 0 < w < 2^63}), or NaN when undecided. */
    static double convert(long w, int q) {
        if (w <= 0 || q < MIN_Q || q > MAX_Q) return Double.NaN;
        int clz = Long.numberOfLeadingZeros(w);
        long man = w << clz;
        long retExp2 = (long) ((217706 * q) >> 16) + 64 + 1023 - clz;
        int i = q - MIN_Q;
        long xHi = mulHigh(man, HI[i]);
        long xLo = man * HI[i];
        if ((xHi & 0x1FF) == 0x1FF && Long.compareUnsigned(xLo + man, man) < 0) {
            long yHi = mulHigh(man, LO[i]);
            long yLo = man * LO[i];
            long mergedHi = xHi;
            long mergedLo = xLo + yHi;
            if (Long.compareUnsigned(mergedLo, xLo) < 0) mergedHi++;
            if ((mergedHi & 0x1FF) == 0x1FF && mergedLo + 1 == 0 && Long.compareUnsigned(yLo + man, man) < 0) {
                return Double.NaN;
            }
            xHi = mergedHi;
            xLo = mergedLo;
        }
        long msb = xHi >>> 63;
        long mantissa = xHi >>> (msb + 9);
        retExp2 -= 1 ^ msb;
        if (xLo == 0 && (xHi & 0x1FF) == 0 && (mantissa & 3) == 1) return Double.NaN; // half-way
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if ((mantissa >>> 53) != 0) {
            mantissa >>>= 1;
            retExp2 += 1;
        }
        if (retExp2 <= 0 || retExp2 >= 0x7FF) return Double.NaN; // subnormal or overflow: let the JDK decide
        return Double.longBitsToDouble((retExp2 << 52) | (mantissa & 0x000FFFFFFFFFFFFFL));
    }

    /** Unsigned 64x64 high word. */
    private static long mulHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /** The double nearest to the decimal {@code 0.digits * 10^point}. */
    static double parse(String digits, int point) {
        if (digits.length() <= 18) {
            double d = convert(Long.parseLong(digits), point - digits.length());
            if (!Double.isNaN(d)) return d;
        }
        return Double.parseDouble("0." + digits + "E" + point);
    }
}
