package dev.strata.store.encoding;

import dev.strata.store.model.FloatHistogram;
import java.util.zip.CRC32C;

/**
 * Encodes histogram samples that share one bucket layout into a histogram chunk
 * ({@link HistogramChunkFormat}). Each count (total, zero bucket, every bucket) is a column over
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
     * strictly increasing and every histogram must have the layout of the first
     * ({@link HistogramChunkFormat#sameLayout}).
     */
    public int write(long[] ts, long[] sts, FloatHistogram[] hs, int from, int count, ByteArrayBuilder out) {
        if (count < 1 || count > ChunkFormat.MAX_SAMPLES) throw new IllegalArgumentException("chunk sample count " + count + " outside [1, " + ChunkFormat.MAX_SAMPLES + "]");
        FloatHistogram first = hs[from];
        int pos = first.positiveBuckets().length;
        int buckets = pos + first.negativeBuckets().length;
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
            if (!HistogramChunkFormat.sameLayout(first, h)) throw new IllegalArgumentException("histogram " + i + " has another bucket layout than the first of the chunk");
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
        int columns = (derived ? 0 : 1) + 1 + buckets;
        if (integer) {
            bits.reset(payload);
            for (int c = derived ? 1 : 0; c < 2 + buckets; c++) {
                column(hs, from, count, c, pos);
                writeIntegerColumn(count);
            }
            bits.finish();
        } else {
            for (int c = derived ? 1 : 0; c < 2 + buckets; c++) {
                column(hs, from, count, c, pos);
                appendBestValueCodec(count);
            }
        }
        assert columns >= 1;
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
        spans(first.positiveSpanOffsets(), first.positiveSpanLengths(), out);
        spans(first.negativeSpanOffsets(), first.negativeSpanLengths(), out);
        out.appendUVarint(first.customValues().length);
        for (double b : first.customValues()) out.appendLong(Double.doubleToRawLongBits(b));
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

    /** Column c of samples [from, from+count) into col: 0 count, 1 zero count, 2.. buckets (positive then negative). */
    private void column(FloatHistogram[] hs, int from, int count, int c, int pos) {
        for (int i = 0; i < count; i++) {
            FloatHistogram h = hs[from + i];
            col[i] = c == 0 ? h.count() : c == 1 ? h.zeroCount() : c - 2 < pos ? h.positiveBuckets()[c - 2] : h.negativeBuckets()[c - 2 - pos];
        }
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
