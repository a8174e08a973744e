package dev.strata.store.encoding;

import dev.strata.store.model.FloatHistogram;
import java.util.List;
import java.util.TreeSet;

/**
 * The size, in bytes, of Prometheus's integer histogram chunk (tsdb/chunkenc/histogram.go,
 * tsdb/docs/format/chunks.md) holding the given histograms, computed bit by bit from its layout (a
 * test-side calculator, for the bytes-per-sample comparison): a 3-byte header (sample count, flags),
 * the layout (zero threshold, schema, spans), then the first sample (timestamp, count, zero count as
 * varbit ints, the sum in 64 bits, each bucket as a varbit delta from the previous bucket) and for
 * every next sample delta-of-deltas of the timestamp, count, zero count and of each bucket's
 * between-bucket delta, the sum Gorilla-XOR-ed. The histograms must share schema and zero threshold;
 * Prometheus recodes a chunk when buckets appear, so every histogram is expanded to the union of
 * the chunk's buckets (empty buckets cost a varbit 0). Also counted, as a TSDB block stores a chunk:
 * its length (uvarint), encoding byte and CRC32.
 */
final class PrometheusHistogramChunkSize {
    private PrometheusHistogramChunkSize() {}

    static long bytes(long[] ts, List<FloatHistogram> hs) {
        int[] pos = union(hs, true);
        int[] neg = union(hs, false);
        long bits = 3 * 8;
        double thr = hs.get(0).zeroThreshold();
        bits += thr == 0 || isPowerOfTwoInRange(thr) ? 8 : 9 * 8;
        bits += varbitInt(hs.get(0).schema());
        bits += spanBits(pos) + spanBits(neg);
        long[] prevB = null;
        long[] prevD = null;
        long prevT = 0, prevTd = 0, prevC = 0, prevCd = 0, prevZ = 0, prevZd = 0;
        double prevSum = 0;
        int[] lt = {0xff, 0};
        for (int i = 0; i < hs.size(); i++) {
            FloatHistogram h = hs.get(i);
            long[] b = betweenBucketDeltas(h, pos, neg);
            long c = (long) h.count();
            long z = (long) h.zeroCount();
            if (i == 0) {
                bits += varbitInt(ts[i]) + varbitUint(c) + varbitUint(z) + 64;
                for (long x : b) bits += varbitInt(x);
                prevD = new long[b.length];
            } else {
                long td = ts[i] - prevT, cd = c - prevC, zd = z - prevZ;
                bits += varbitInt(td - prevTd) + varbitInt(cd - prevCd) + varbitInt(zd - prevZd);
                bits += xorBits(prevSum, h.sum(), lt);
                for (int k = 0; k < b.length; k++) {
                    long d = b[k] - prevB[k];
                    bits += varbitInt(d - prevD[k]);
                    prevD[k] = d;
                }
                prevTd = td;
                prevCd = cd;
                prevZd = zd;
            }
            prevT = ts[i];
            prevC = c;
            prevZ = z;
            prevSum = h.sum();
            prevB = b;
        }
        long data = (bits + 7) / 8;
        return uvarintLen(data) + 1 + data + 4;
    }

    private static boolean isPowerOfTwoInRange(double v) {
        int e = Math.getExponent(v);
        return v == Math.scalb(1.0, e) && e >= -245 && e <= 8;
    }

    /** The union of the bucket indices the histograms' spans cover. */
    private static int[] union(List<FloatHistogram> hs, boolean positive) {
        TreeSet<Integer> idx = new TreeSet<>();
        for (FloatHistogram h : hs) {
            int[] off = positive ? h.positiveSpanOffsets() : h.negativeSpanOffsets();
            int[] len = positive ? h.positiveSpanLengths() : h.negativeSpanLengths();
            int at = 0;
            for (int s = 0; s < off.length; s++) {
                at += off[s];
                for (int j = 0; j < len[s]; j++) idx.add(at++);
            }
        }
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The histogram's counts on the union layout (0 where it has no bucket), as deltas between consecutive buckets. */
    private static long[] betweenBucketDeltas(FloatHistogram h, int[] pos, int[] neg) {
        long[] out = new long[pos.length + neg.length];
        fill(out, 0, pos, h.positiveSpanOffsets(), h.positiveSpanLengths(), h.positiveBuckets());
        fill(out, pos.length, neg, h.negativeSpanOffsets(), h.negativeSpanLengths(), h.negativeBuckets());
        long prev = 0;
        for (int k = 0; k < pos.length; k++) {
            long v = out[k];
            out[k] = v - prev;
            prev = v;
        }
        prev = 0;
        for (int k = pos.length; k < out.length; k++) {
            long v = out[k];
            out[k] = v - prev;
            prev = v;
        }
        return out;
    }

    private static void fill(long[] out, int base, int[] union, int[] off, int[] len, double[] buckets) {
        int at = 0;
        int b = 0;
        for (int s = 0; s < off.length; s++) {
            at += off[s];
            for (int j = 0; j < len[s]; j++, at++) out[base + java.util.Arrays.binarySearch(union, at)] = (long) buckets[b++];
        }
    }

    private static long spanBits(int[] idx) {
        long bits = 0;
        int spans = 0;
        int prevEnd = 0;
        for (int i = 0; i < idx.length; ) {
            int j = i + 1;
            while (j < idx.length && idx[j] == idx[j - 1] + 1) j++;
            int offset = spans == 0 ? idx[i] : idx[i] - prevEnd;
            bits += varbitUint(j - i) + varbitInt(offset);
            prevEnd = idx[j - 1] + 1;
            spans++;
            i = j;
        }
        return bits + varbitUint(spans);
    }

    static long varbitInt(long v) {
        if (v == 0) return 1;
        int[] widths = {3, 6, 9, 12, 18, 25, 56};
        for (int k = 0; k < widths.length; k++) {
            int n = widths[k];
            if (v >= -((1L << (n - 1)) - 1) && v <= 1L << (n - 1)) return k + 2 + n;
        }
        return 8 + 64;
    }

    static long varbitUint(long v) {
        if (v == 0) return 1;
        int[] widths = {3, 6, 9, 12, 18, 25, 56};
        for (int k = 0; k < widths.length; k++) if (v >= 0 && v < 1L << widths[k]) return k + 2 + widths[k];
        return 8 + 64;
    }

    /** Bits of Gorilla's XOR encoding of {@code v} after {@code prev}; lt holds the previous leading/trailing zeros (0xff: none). */
    private static long xorBits(double prev, double v, int[] lt) {
        long delta = Double.doubleToRawLongBits(prev) ^ Double.doubleToRawLongBits(v);
        if (delta == 0) return 1;
        int leading = Math.min(Long.numberOfLeadingZeros(delta), 31);
        int trailing = Long.numberOfTrailingZeros(delta);
        if (lt[0] != 0xff && leading >= lt[0] && trailing >= lt[1]) return 2 + (64 - lt[0] - lt[1]);
        lt[0] = leading;
        lt[1] = trailing;
        return 2 + 5 + 6 + (64 - leading - trailing);
    }

    private static int uvarintLen(long v) {
        int n = 1;
        while (v >= 0x80) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
