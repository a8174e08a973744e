package dev.strata.store.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The round-trip suite every codec's test extends: seeded random inputs (the seed is printed and
 * part of every failure message; rerun with -Dseed=N), special values, long gaps, negative and huge
 * deltas, single-sample chunks. A subclass says how to round-trip and which inputs its codec must
 * accept; whenever it accepts an input, the output must be bit-identical.
 */
abstract class CodecRoundTripTestCase {
    enum Kind { RANDOM_BITS, DECIMAL, COUNTER, SPECIAL, CONSTANT, HUGE }

    /** Decoded samples, or null when the codec declined the input. */
    record Decoded(long[] timestamps, double[] values) {}

    protected long seed;
    protected Random rnd;

    @BeforeEach
    void seed() {
        seed = Long.getLong("seed", System.nanoTime());
        rnd = new Random(seed);
        System.out.println(getClass().getSimpleName() + " seed=" + seed);
    }

    /** Encodes and decodes samples[0..n); null if the codec cannot represent them. */
    protected abstract Decoded roundTrip(long[] ts, double[] values, int n);

    /** Whether the codec must accept values of this kind with regular (or irregular) timestamps. */
    protected abstract boolean mustAccept(Kind kind, boolean regularTimestamps);

    private void check(Kind kind, boolean regular, long[] ts, double[] v, int n) {
        String ctx = getClass().getSimpleName() + " kind=" + kind + " regular=" + regular + " n=" + n + " seed=" + seed;
        Decoded d = roundTrip(ts, v, n);
        if (d == null) {
            if (mustAccept(kind, regular)) fail("codec declined input it must accept: " + ctx);
            return;
        }
        assertNotNull(d.timestamps(), ctx);
        for (int i = 0; i < n; i++) {
            assertEquals(ts[i], d.timestamps()[i], "timestamp " + i + " " + ctx);
            long want = Double.doubleToRawLongBits(v[i]), got = Double.doubleToRawLongBits(d.values()[i]);
            if (want != got) fail("value " + i + ": want " + Long.toHexString(want) + " (" + v[i] + ") got " + Long.toHexString(got) + " " + ctx);
        }
    }

    private long[] timestamps(int n, boolean regular) {
        long[] ts = new long[n];
        long t = rnd.nextBoolean() ? 1_795_294_290_010L : rnd.nextLong() >> 20;
        long step = 1 + rnd.nextInt(60_000);
        for (int i = 0; i < n; i++) {
            ts[i] = t;
            if (regular) {
                t += step;
            } else {
                int r = rnd.nextInt(10);
                t += r < 6 ? Math.max(1, step + rnd.nextInt(21) - 10) : r < 8 ? 1 : r < 9 ? 1L + rnd.nextInt(1 << 30) : 1L + (rnd.nextLong() >>> 30);
            }
        }
        return ts;
    }

    private double[] values(Kind kind, int n) {
        double[] v = new double[n];
        switch (kind) {
            case RANDOM_BITS -> {
                for (int i = 0; i < n; i++) v[i] = Double.longBitsToDouble(rnd.nextLong());
            }
            case DECIMAL -> {
                int scale = rnd.nextInt(10);
                double p = Math.pow(10, scale);
                long m = rnd.nextInt(1_000_000) - 500_000;
                for (int i = 0; i < n; i++) {
                    m += rnd.nextInt(2001) - 1000;
                    v[i] = m / p;
                    if (v[i] == 0) v[i] = 0.0; // never -0.0 here: it is not decimal-representable
                }
            }
            case COUNTER -> {
                long m = rnd.nextInt(1000);
                int rate = rnd.nextInt(5000);
                for (int i = 0; i < n; i++) {
                    m += rate + rnd.nextInt(7) - 3;
                    if (rnd.nextInt(100) == 0) m = rnd.nextInt(10); // reset
                    v[i] = Math.max(0, m) / 100.0;
                }
            }
            case SPECIAL -> {
                double[] special = {Double.NaN, Double.longBitsToDouble(0x7ff0000000000002L), Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE,
                    Double.longBitsToDouble(0xfff8000000000001L), 1.0, 0.1};
                for (int i = 0; i < n; i++) v[i] = special[rnd.nextInt(special.length)];
            }
            case CONSTANT -> {
                double c = rnd.nextBoolean() ? Double.longBitsToDouble(0x7ff0000000000002L) : rnd.nextInt(100);
                for (int i = 0; i < n; i++) v[i] = c;
            }
            case HUGE -> {
                boolean scaled = rnd.nextInt(3) != 0; // one scale per chunk: mixing 2^53 integers and thousandths exceeds 2^53
                for (int i = 0; i < n; i++) {
                    // up to 2^53 as integers, 2^50 when scaled (the product m/1000*1000 stays within 1 of m)
                    long m = (rnd.nextBoolean() ? 1 : -1) * (rnd.nextLong() >>> (scaled ? 14 : 11));
                    v[i] = scaled ? m / 1000.0 : (double) m;
                }
            }
        }
        return v;
    }

    private void runAll(int n) {
        for (Kind kind : Kind.values()) {
            for (boolean regular : new boolean[] {true, false}) {
                check(kind, regular, timestamps(n, regular), values(kind, n), n);
            }
        }
    }

    @Test
    void singleSample() {
        for (int i = 0; i < 20; i++) runAll(1);
    }

    @Test
    void twoAndThreeSamples() {
        for (int i = 0; i < 20; i++) {
            runAll(2);
            runAll(3);
        }
    }

    @Test
    void randomLengths() {
        for (int i = 0; i < 30; i++) runAll(1 + rnd.nextInt(1200));
    }

    @Test
    void specialValuesEverywhere() {
        double[] v = {Double.NaN, Double.longBitsToDouble(0x7ff0000000000002L), -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0};
        long[] ts = new long[v.length];
        for (int i = 0; i < v.length; i++) ts[i] = 1000L * i;
        check(Kind.SPECIAL, true, ts, v, v.length);
    }

    @Test
    void longGapsAndNegativeTimestamps() {
        long[] ts = {-9_000_000_000_000L, -1, 0, 1, 86_400_000L * 365 * 100, 86_400_000L * 365 * 100 + 1};
        double[] v = {1, 2, 3, 4, 5, 6};
        check(Kind.DECIMAL, false, ts, v, ts.length);
    }

    @Test
    void hugeValueJumps() {
        double[] v = {0, 9.007199254740992E15, -9.007199254740992E15, 1, -1, 9.007199254740992E15, 0};
        long[] ts = new long[v.length];
        for (int i = 0; i < v.length; i++) ts[i] = 15_000L * i;
        check(Kind.HUGE, true, ts, v, v.length);
    }
}
