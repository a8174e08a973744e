package dev.strata.store.encoding;

/**
 * Timestamps of a scrape that is regular except for occasional jitter: each delta is coded as its
 * difference from one step for the whole chunk (the most common delta), and the differences, nearly
 * all zero, as runs of zeros. A Prometheus scrape that fires a few ms late moves one sample off the
 * grid: two nonzero differences (+d, -d), where delta-of-delta coding pays three codes plus one bit
 * for every on-grid sample of the chunk. Layout (bits, most significant first):
 * <pre>
 *   count == 1: nothing
 *   otherwise:  len:6, then step in len + 1 bits               step >= 1 (len + 1 = its bit length)
 *               then, until count - 1 differences are known:
 *                 gamma(zeros + 1)                             a run of zero differences
 *                 diff (nonzero), unless the run reached the end:
 *                   '0'    + 7 bits  signed  -64 .. 63
 *                   '10'   + 10 bits signed  -512 .. 511
 *                   '110'  + 16 bits signed
 *                   '1110' + 32 bits signed
 *                   '1111' + 64 bits
 *   gamma(v), v >= 1: (bit length of v) - 1 zero bits, then v in binary (Elias gamma)
 *   t[0] = first, t[i] = t[i-1] + step + diff[i]
 * </pre>
 * Any sequence of strictly increasing timestamps (with fewer than 2^20 samples) can be encoded; the writer keeps this codec only
 * when it is smaller than {@link DodTimestampCodec}'s output. Decoding checks that every delta is
 * positive and that runs stay within the count.
 */
public final class StepRunsTimestampCodec implements TimestampCodec {
    public static final int ID = 3;
    /** Longest gamma code decoded: values below 2^32 (runs are at most 2^20). */
    private static final int MAX_GAMMA_ZEROS = 31;

    private long[] sortScratch = new long[0];

    @Override public int id() { return ID; }
    @Override public String name() { return "ts-step-runs"; }

    @Override
    public boolean encode(long[] ts, int count, BitWriter out) {
        if (count < 2) return true;
        long step = mostCommonDelta(ts, count);
        int stepBits = Zigzag.bitLength(step); // 1 .. 63: deltas of increasing timestamps are positive
        out.write(stepBits - 1, 6);
        out.write(step, stepBits);
        int zeros = 0;
        for (int i = 1; i < count; i++) {
            long diff = ts[i] - ts[i - 1] - step;
            if (diff == 0) {
                zeros++;
                continue;
            }
            writeGamma(out, zeros + 1);
            zeros = 0;
            if (diff >= -64 && diff <= 63) {
                out.write(0, 1);
                out.write(diff, 7);
            } else if (diff >= -512 && diff <= 511) {
                out.write(0b10, 2);
                out.write(diff, 10);
            } else if (diff >= Short.MIN_VALUE && diff <= Short.MAX_VALUE) {
                out.write(0b110, 3);
                out.write(diff, 16);
            } else if (diff >= Integer.MIN_VALUE && diff <= Integer.MAX_VALUE) {
                out.write(0b1110, 4);
                out.write(diff, 32);
            } else {
                out.write(0b1111, 4);
                out.write(diff, 64);
            }
        }
        if (zeros > 0) writeGamma(out, zeros + 1);
        return true;
    }

    /** The most frequent delta (ties: the smallest), deterministic for a given input. */
    private long mostCommonDelta(long[] ts, int count) {
        int n = count - 1;
        if (sortScratch.length < n) sortScratch = new long[Math.max(n, 2 * sortScratch.length)];
        long[] d = sortScratch;
        for (int i = 0; i < n; i++) d[i] = ts[i + 1] - ts[i];
        java.util.Arrays.sort(d, 0, n);
        long best = d[0];
        int bestRun = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && d[j] == d[i]) j++;
            if (j - i > bestRun) {
                bestRun = j - i;
                best = d[i];
            }
            i = j;
        }
        return best;
    }

    private static void writeGamma(BitWriter out, long v) {
        int bits = Zigzag.bitLength(v);
        out.write(0, bits - 1);
        out.write(v, bits);
    }

    /** Reads a gamma code at the reader's position; throws on a code longer than {@link #MAX_GAMMA_ZEROS} zeros. */
    private long readGamma(BitReader in) {
        int zeros = Long.numberOfLeadingZeros(in.peek64());
        if (zeros > MAX_GAMMA_ZEROS) throw new CorruptChunkException(name() + ": gamma code with " + zeros + " leading zero bits");
        in.skip(zeros);
        return in.read(zeros + 1);
    }

    /** Decodes; throws {@link CorruptChunkException} on a run past the count or timestamps that do not strictly increase. */
    @Override
    public void decode(BitReader in, long first, long last, int count, long[] dst) {
        dst[0] = first;
        if (count < 2) return;
        int stepBits = (int) in.read(6) + 1;
        long step = in.read(stepBits);
        if (step < 1) throw new CorruptChunkException(name() + ": step " + step + " ms is not positive");
        long t = first;
        int i = 1;
        while (i < count) {
            long run = readGamma(in) - 1;
            if (run > count - i) throw new CorruptChunkException(name() + ": run of " + run + " past sample count " + count + " at sample " + i);
            long before = t;
            for (int end = i + (int) run; i < end; i++) {
                t += step;
                dst[i] = t;
            }
            if (t < before) throw new CorruptChunkException(name() + ": timestamps overflow at sample " + i); // step * run < 2^52: only a wrap can lower t
            if (i == count) break;
            long w = in.peek64();
            long diff;
            if (w >= 0) {                       // '0' + 7
                in.skip(8);
                diff = (w << 1) >> 57;
            } else if ((w << 1) >= 0) {         // '10' + 10
                in.skip(12);
                diff = (w << 2) >> 54;
            } else if ((w << 2) >= 0) {         // '110' + 16
                in.skip(19);
                diff = (w << 3) >> 48;
            } else if ((w << 3) >= 0) {         // '1110' + 32
                in.skip(36);
                diff = (w << 4) >> 32;
            } else {                            // '1111' + 64
                in.skip(4);
                diff = in.read(64);
            }
            long next = t + step + diff;
            if (next <= t) throw new CorruptChunkException(name() + ": timestamps not increasing at sample " + i);
            t = next;
            dst[i++] = t;
        }
    }
}
