package dev.strata.store.encoding;

import dev.strata.store.model.FloatHistogram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.CRC32C;

/**
 * Encodes histogram samples that share schema, zero threshold and custom bounds into a histogram
 * chunk ({@link HistogramChunkFormat}). The chunk's buckets are the union of the samples' buckets;
 * a sample whose spans differ from the previous one's is listed with its own spans, and its
 * buckets outside them are 0 in the columns. Each count (total, zero bucket, every bucket) is a column over
 * time: integer counts are frame-of-reference packed deltas (a counter's increments per scrape vary
 * little, so a few bits each), non-integer ones go through the float value codecs; the sum goes
 * through the float value codecs too (smallest wins); the count is left out when the buckets add up
 * to it. Holds scratch buffers; not thread safe (one per writer thread).
 */
public final class HistogramChunkWriter {
    private static final long MAX_EXACT = 1L << 53;

    private final TimestampCodec regular = new RegularTimestampCodec();
    private final TimestampCodec dod = new DodTimestampCodec();
    private final ValueCodec[] candidates = {new ConstValueCodec(), new DecimalValueCodec(), new DecimalBlockValueCodec(), new XorValueCodec()};
    private final StartTimestampColumn stColumn = new StartTimestampColumn();
    private final BitWriter bits = new BitWriter();
    private final ByteArrayBuilder tsBuf = new ByteArrayBuilder();
    private final ByteArrayBuilder payload = new ByteArrayBuilder();
    private final ByteArrayBuilder tryBuf = new ByteArrayBuilder();
    private final ByteArrayBuilder bestBuf = new ByteArrayBuilder();
    private final ByteArrayBuilder stBuf = new ByteArrayBuilder();
    private final CRC32C crc = new CRC32C();
    private long[] tsScratch = new long[128];
    private long[] stScratch = new long[128];
    private double[] col = new double[128];

    /**
     * Appends a chunk of samples {@code [from, from+count)} to {@code out} and returns its length.
     * {@code sts}: start timestamps parallel to {@code ts} (0 = unknown), or null. Timestamps must be
     * strictly increasing and every histogram must be able to share a chunk with the first
     * ({@link HistogramChunkFormat#shareChunk}).
     */
    public int write(long[] ts, long[] sts, FloatHistogram[] hs, int from, int count, ByteArrayBuilder out) {
        if (count < 1 || count > ChunkFormat.MAX_SAMPLES) throw new IllegalArgumentException("chunk sample count " + count + " outside [1, " + ChunkFormat.MAX_SAMPLES + "]");
        FloatHistogram first = hs[from];
        int[] posUnion = union(hs, from, count, true);
        int[] negUnion = union(hs, from, count, false);
        int pos = posUnion.length;
        int buckets = pos + negUnion.length;
        // The samples whose spans differ from the previous sample's (the first: from the union's), and each sample's row over the union.
        List<Integer> changes = new ArrayList<>();
        double[][] rows = new double[count][];
        int[] posAt = null;
        int[] negAt = null;
        int[][] unionSpans = {spansOf(posUnion), spansOf(negUnion)};
        for (int i = 0; i < count; i++) {
            FloatHistogram h = hs[from + i];
            FloatHistogram prev = i == 0 ? null : hs[from + i - 1];
            boolean changed = prev == null
                    ? !spansEqual(h.positiveSpanOffsets(), h.positiveSpanLengths(), unionSpans[0]) || !spansEqual(h.negativeSpanOffsets(), h.negativeSpanLengths(), unionSpans[1])
                    : !Arrays.equals(h.positiveSpanOffsets(), prev.positiveSpanOffsets()) || !Arrays.equals(h.positiveSpanLengths(), prev.positiveSpanLengths())
                            || !Arrays.equals(h.negativeSpanOffsets(), prev.negativeSpanOffsets()) || !Arrays.equals(h.negativeSpanLengths(), prev.negativeSpanLengths());
            if (changed) changes.add(i);
            if (changed || posAt == null) {
                posAt = positions(h.positiveSpanOffsets(), h.positiveSpanLengths(), posUnion);
                negAt = positions(h.negativeSpanOffsets(), h.negativeSpanLengths(), negUnion);
            }
            double[] row = new double[buckets];
            for (int k = 0; k < posAt.length; k++) row[posAt[k]] = h.positiveBuckets()[k];
            for (int k = 0; k < negAt.length; k++) row[pos + negAt[k]] = h.negativeBuckets()[k];
            rows[i] = row;
        }
        if (tsScratch.length < count) {
            tsScratch = new long[count];
            stScratch = new long[count];
            col = new double[count];
        }
        boolean derived = true;
        boolean integer = true;
        boolean oneHint = true;
        for (int i = 0; i < count; i++) {
            FloatHistogram h = hs[from + i];
            if (!HistogramChunkFormat.shareChunk(first, h)) throw new IllegalArgumentException("histogram " + i + " has another schema, zero threshold or custom bounds than the first of the chunk");
            tsScratch[i] = ts[from + i];
            if (i > 0 && tsScratch[i] <= tsScratch[i - 1]) {
                throw new IllegalArgumentException("timestamps not strictly increasing at " + i + ": " + tsScratch[i - 1] + " then " + tsScratch[i]);
            }
            stScratch[i] = sts == null ? 0 : sts[from + i];
            if (h.resetHint() != first.resetHint()) oneHint = false;
            if (Double.doubleToRawLongBits(derivedCount(h)) != Double.doubleToRawLongBits(h.count())) derived = false;
            if (integer) integer = isInteger(h.count()) && isInteger(h.zeroCount()) && allIntegers(h.positiveBuckets()) && allIntegers(h.negativeBuckets());
        }
        boolean withSt = StartTimestampColumn.anyKnown(stScratch, count);

        tsBuf.reset();
        TimestampCodec tc = regular;
        if (!regular.encode(tsScratch, count, bits.reset(tsBuf))) {
            tsBuf.reset();
            tc = dod;
            dod.encode(tsScratch, count, bits.reset(tsBuf));
        }
        bits.finish();

        payload.reset();
        payload.append(tsBuf);
        if (!oneHint) {
            bits.reset(payload);
            for (int i = 0; i < count; i++) bits.write(hs[from + i].resetHint().ordinal(), 2);
            bits.finish();
        }
        for (int i = 0; i < count; i++) col[i] = hs[from + i].sum();
        appendBestValueCodec(count);
        if (integer) {
            bits.reset(payload);
            for (int c = derived ? 1 : 0; c < 2 + buckets; c++) {
                column(hs, rows, from, count, c);
                writeIntegerColumn(count);
            }
            bits.finish();
        } else {
            for (int c = derived ? 1 : 0; c < 2 + buckets; c++) {
                column(hs, rows, from, count, c);
                appendBestValueCodec(count);
            }
        }
        int stCodec = 0;
        if (withSt) {
            stBuf.reset();
            stCodec = stColumn.encode(stScratch, count, bits.reset(stBuf));
            bits.finish();
        }

        int start = out.length();
        out.append(HistogramChunkFormat.MAGIC);
        out.append(HistogramChunkFormat.VERSION);
        out.append((withSt ? HistogramChunkFormat.FLAG_ST : 0) | (derived ? HistogramChunkFormat.FLAG_COUNT_DERIVED : 0)
                | (integer ? HistogramChunkFormat.FLAG_INTEGER : 0) | (oneHint ? HistogramChunkFormat.FLAG_ONE_HINT : 0) | (tc.id() << 4));
        out.appendUVarint(count);
        out.appendUVarint(Zigzag.encode(tsScratch[0]));
        out.appendUVarint(tsScratch[count - 1] - tsScratch[0]);
        if (oneHint) out.append(first.resetHint().ordinal());
        out.appendUVarint(Zigzag.encode(first.schema()));
        out.appendLong(Double.doubleToRawLongBits(first.zeroThreshold()));
        spans(unionSpans[0], out);
        spans(unionSpans[1], out);
        out.appendUVarint(first.customValues().length);
        for (double b : first.customValues()) out.appendLong(Double.doubleToRawLongBits(b));
        out.appendUVarint(changes.size());
        for (int i : changes) {
            FloatHistogram h = hs[from + i];
            out.appendUVarint(i);
            spans(h.positiveSpanOffsets(), h.positiveSpanLengths(), out);
            spans(h.negativeSpanOffsets(), h.negativeSpanLengths(), out);
        }
        if (withSt) {
            out.append(stCodec);
            out.appendUVarint(Zigzag.encode(stScratch[0]));
            out.appendUVarint(Zigzag.encode(stScratch[count - 1] - stScratch[0]));
            out.appendUVarint(stBuf.length());
        }
        out.append(payload);
        if (withSt) out.append(stBuf);
        crc.reset();
        crc.update(out.array(), start, out.length() - start);
        out.appendInt((int) crc.getValue());
        return out.length() - start;
    }

    /** zeroCount + positive buckets + negative buckets, in that order (the decoder sums the same way). */
    static double derivedCount(FloatHistogram h) {
        double c = h.zeroCount();
        for (double b : h.positiveBuckets()) c += b;
        for (double b : h.negativeBuckets()) c += b;
        return c;
    }

    /** Column c of samples [from, from+count) into col: 0 count, 1 zero count, 2.. the union's buckets (positive then negative). */
    private void column(FloatHistogram[] hs, double[][] rows, int from, int count, int c) {
        for (int i = 0; i < count; i++) {
            FloatHistogram h = hs[from + i];
            col[i] = c == 0 ? h.count() : c == 1 ? h.zeroCount() : rows[i][c - 2];
        }
    }

    /** The sorted bucket indices that the samples' spans cover, on one side. */
    private static int[] union(FloatHistogram[] hs, int from, int count, boolean positive) {
        TreeSet<Integer> idx = new TreeSet<>();
        int[] lastOff = null;
        int[] lastLen = null;
        for (int i = from; i < from + count; i++) {
            int[] off = positive ? hs[i].positiveSpanOffsets() : hs[i].negativeSpanOffsets();
            int[] len = positive ? hs[i].positiveSpanLengths() : hs[i].negativeSpanLengths();
            if (off == lastOff && len == lastLen || Arrays.equals(off, lastOff) && Arrays.equals(len, lastLen)) continue;
            lastOff = off;
            lastLen = len;
            for (int b : indices(off, len)) idx.add(b);
        }
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The bucket indices that spans cover, in order. */
    static int[] indices(int[] offsets, int[] lengths) {
        int n = 0;
        for (int l : lengths) n += l;
        int[] out = new int[n];
        int at = 0;
        int k = 0;
        for (int s = 0; s < offsets.length; s++) {
            at += offsets[s];
            for (int j = 0; j < lengths[s]; j++) out[k++] = at++;
        }
        return out;
    }

    /** Spans (offsets then lengths, interleaved) covering exactly the sorted indices: one span per run of consecutive ones. */
    private static int[] spansOf(int[] idx) {
        List<Integer> out = new ArrayList<>();
        int prevEnd = 0;
        for (int i = 0; i < idx.length; ) {
            int j = i + 1;
            while (j < idx.length && idx[j] == idx[j - 1] + 1) j++;
            out.add(out.isEmpty() ? idx[i] : idx[i] - prevEnd);
            out.add(j - i);
            prevEnd = idx[j - 1] + 1;
            i = j;
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean spansEqual(int[] offsets, int[] lengths, int[] interleaved) {
        if (offsets.length * 2 != interleaved.length) return false;
        for (int i = 0; i < offsets.length; i++) if (offsets[i] != interleaved[2 * i] || lengths[i] != interleaved[2 * i + 1]) return false;
        return true;
    }

    /** For each bucket the spans cover, its column among the union's. */
    private static int[] positions(int[] offsets, int[] lengths, int[] union) {
        int[] idx = indices(offsets, lengths);
        for (int k = 0; k < idx.length; k++) idx[k] = Arrays.binarySearch(union, idx[k]);
        return idx;
    }

    private void writeIntegerColumn(int count) {
        long prev = (long) col[0];
        Zigzag.writeLengthPrefixed(bits, prev);
        if (count == 1) return;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 1; i < count; i++) {
            long d = (long) col[i] - (long) col[i - 1];
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        int width = Zigzag.bitLength(max - min);
        Zigzag.writeLengthPrefixed(bits, min);
        bits.write(width, 7);
        if (width == 0) return;
        for (int i = 1; i < count; i++) bits.write((long) col[i] - (long) col[i - 1] - min, width);
    }

    private void appendBestValueCodec(int count) {
        ValueCodec best = null;
        for (ValueCodec c : candidates) {
            tryBuf.reset();
            if (!c.encode(col, count, bits.reset(tryBuf))) continue;
            bits.finish();
            if (best == null || tryBuf.length() < bestBuf.length()) {
                best = c;
                bestBuf.reset();
                bestBuf.append(tryBuf);
            }
        }
        if (best == null) throw new IllegalStateException("no value codec accepted the column; gorilla-xor always should");
        payload.append(best.id());
        payload.append(bestBuf);
    }

    private static void spans(int[] interleaved, ByteArrayBuilder out) {
        out.appendUVarint(interleaved.length / 2);
        for (int i = 0; i < interleaved.length; i += 2) {
            out.appendUVarint(Zigzag.encode(interleaved[i]));
            out.appendUVarint(interleaved[i + 1]);
        }
    }

    private static void spans(int[] offsets, int[] lengths, ByteArrayBuilder out) {
        out.appendUVarint(offsets.length);
        for (int i = 0; i < offsets.length; i++) {
            out.appendUVarint(Zigzag.encode(offsets[i]));
            out.appendUVarint(lengths[i]);
        }
    }

    private static boolean isInteger(double v) {
        if (!(Math.abs(v) < MAX_EXACT)) return false;
        return Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits((double) (long) v);
    }

    private static boolean allIntegers(double[] a) {
        for (double v : a) if (!isInteger(v)) return false;
        return true;
    }
}
