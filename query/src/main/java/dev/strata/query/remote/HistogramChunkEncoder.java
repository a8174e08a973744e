package dev.strata.query.remote;

import dev.strata.store.model.FloatHistogram;
import java.util.Arrays;

/**
 * Encodes native histogram samples into Prometheus's histogram chunk formats ({@code tsdb/chunkenc}
 * "histogram", prompb chunk encoding {@code HISTOGRAM} = 2, and "floathistogram", {@code FLOAT_HISTOGRAM}
 * = 3), the payload of remote read's {@code STREAMED_XOR_CHUNKS} chunks of histogram series. Layout
 * (docs/format/remote-read.md):
 *
 * <pre>
 * count &lt;uint16 big-endian&gt; | flags &lt;1 byte: counter-reset header in the top two bits&gt;
 * zero threshold &lt;1 byte, or 255 + 8 bytes&gt; | schema &lt;varbit_int&gt;
 * positive spans, negative spans: n &lt;varbit_uint&gt;, n x (length &lt;varbit_uint&gt;, offset &lt;varbit_int&gt;)
 * custom bounds (schema -53 only): n &lt;varbit_uint&gt;, n x bound
 * samples, integer chunk:  t &lt;varbit_int&gt;, count, zero count &lt;varbit_uint&gt;, sum &lt;64 bits&gt;, buckets &lt;varbit_int&gt;
 *                          then t, count, zero count, buckets as delta of delta &lt;varbit_int&gt;, sum &lt;varbit_xor&gt;
 * samples, float chunk:    t &lt;varbit_int&gt;, count, zero count, sum, buckets &lt;64 bits each&gt;
 *                          then t delta of delta &lt;varbit_int&gt;, every value &lt;varbit_xor&gt; against its previous one
 * </pre>
 *
 * An integer chunk's buckets are Prometheus's delta encoding (the first bucket of each side absolute,
 * each next one minus the previous one). Every sample of a chunk shares the first one's layout (schema,
 * zero threshold, spans, custom bounds), form (integer or float, {@link HistogramProto#isInteger}) and kind
 * (gauge or counter); {@link #accepts} says when the next sample needs a new chunk. Prometheus's reader
 * reports the first sample of a counter chunk as "unknown" counter reset and every later one as "no
 * reset", so a sample that is a reset (hint YES, or hint UNKNOWN and a count or bucket below the
 * previous sample's) also starts a new chunk, whose header then says "counter reset". One encoder per
 * chunk; not thread-safe; at most {@link #MAX_SAMPLES} samples.
 */
final class HistogramChunkEncoder {
    static final int HISTOGRAM = 2;
    static final int FLOAT_HISTOGRAM = 3;
    static final int MAX_SAMPLES = 120;
    private static final int HEADER_UNKNOWN = 0b00_000000;
    private static final int HEADER_NOT_RESET = 0b01_000000;
    private static final int HEADER_RESET = 0b10_000000;
    private static final int HEADER_GAUGE = 0b11_000000;

    private final BitWriter out = new BitWriter(3); // count, flags
    private final FloatHistogram layout;
    private final boolean integer;
    private final boolean gauge;
    private final int header;
    private int count;
    private long prevT;
    private long prevTDelta;
    private FloatHistogram prev;
    // Integer chunk: count, zero count and the delta-encoded buckets, and their previous deltas.
    private long prevCountDelta;
    private long prevZeroDelta;
    private long[] prevPos;
    private long[] prevPosDelta;
    private long[] prevNeg;
    private long[] prevNegDelta;
    private final XorValueWriter sumXor = new XorValueWriter();
    // Float chunk: one XOR window per value stream.
    private final XorValueWriter countXor = new XorValueWriter();
    private final XorValueWriter zeroXor = new XorValueWriter();
    private XorValueWriter[] posXor;
    private XorValueWriter[] negXor;

    /**
     * A chunk whose first sample will be {@code first}; {@code afterReset} when {@code first} is a counter
     * reset against the sample before it ({@link #isReset}).
     */
    HistogramChunkEncoder(FloatHistogram first, boolean afterReset) {
        this.layout = first;
        this.integer = HistogramProto.isInteger(first);
        this.gauge = first.resetHint() == FloatHistogram.ResetHint.GAUGE;
        this.header = gauge ? HEADER_GAUGE : switch (first.resetHint()) {
            case YES -> HEADER_RESET;
            case NO -> HEADER_NOT_RESET;
            default -> afterReset ? HEADER_RESET : HEADER_UNKNOWN;
        };
        writeLayout(first);
    }

    /** The prompb chunk encoding: {@link #HISTOGRAM} or {@link #FLOAT_HISTOGRAM}. */
    int encoding() {
        return integer ? HISTOGRAM : FLOAT_HISTOGRAM;
    }

    int count() {
        return count;
    }

    /** Whether {@code h} can follow in this chunk: room, same layout, form and kind, and not a counter reset. */
    boolean accepts(FloatHistogram h) {
        return count < MAX_SAMPLES && sameLayout(layout, h) && HistogramProto.isInteger(h) == integer
                && (h.resetHint() == FloatHistogram.ResetHint.GAUGE) == gauge && !isReset(prev, h);
    }

    /**
     * Whether counter histogram {@code h} is a counter reset against {@code prev}, the sample before it:
     * its hint says so (YES), or its hint is UNKNOWN and its count, zero count or a bucket (same layout)
     * is below {@code prev}'s. Never for gauge histograms.
     */
    static boolean isReset(FloatHistogram prev, FloatHistogram h) {
        if (prev == null || prev.resetHint() == FloatHistogram.ResetHint.GAUGE || h.resetHint() == FloatHistogram.ResetHint.GAUGE) return false;
        if (h.resetHint() == FloatHistogram.ResetHint.YES) return true;
        if (h.resetHint() == FloatHistogram.ResetHint.NO) return false;
        if (h.count() < prev.count() || h.zeroCount() < prev.zeroCount()) return true;
        if (!sameLayout(prev, h)) return false; // compared by the next chunk's reader, as Prometheus's engine does
        for (int i = 0; i < h.positiveBuckets().length; i++) if (h.positiveBuckets()[i] < prev.positiveBuckets()[i]) return true;
        for (int i = 0; i < h.negativeBuckets().length; i++) if (h.negativeBuckets()[i] < prev.negativeBuckets()[i]) return true;
        return false;
    }

    static boolean sameLayout(FloatHistogram a, FloatHistogram b) {
        return a.schema() == b.schema()
                && Double.doubleToRawLongBits(a.zeroThreshold()) == Double.doubleToRawLongBits(b.zeroThreshold())
                && Arrays.equals(a.positiveSpanOffsets(), b.positiveSpanOffsets()) && Arrays.equals(a.positiveSpanLengths(), b.positiveSpanLengths())
                && Arrays.equals(a.negativeSpanOffsets(), b.negativeSpanOffsets()) && Arrays.equals(a.negativeSpanLengths(), b.negativeSpanLengths())
                && Arrays.equals(a.customValues(), b.customValues());
    }

    /** Appends {@code h} at {@code t}; the caller checked {@link #accepts} (or this is the first sample). */
    void append(long t, FloatHistogram h) {
        if (count > 0 && !accepts(h)) throw new IllegalArgumentException("histogram does not fit this chunk: " + h);
        if (count == 0 && !sameLayout(layout, h)) throw new IllegalArgumentException("the first sample sets the layout");
        long tDelta = t - prevT;
        if (count == 0) out.writeVarbitInt(t);
        else out.writeVarbitInt(tDelta - prevTDelta); // the second sample's previous delta is 0: its delta
        if (integer) appendInteger(h);
        else appendFloat(h);
        prevTDelta = count == 0 ? 0 : tDelta;
        prevT = t;
        prev = h;
        count++;
    }

    private void appendInteger(FloatHistogram h) {
        long[] pos = deltaEncoded(h.positiveBuckets());
        long[] neg = deltaEncoded(h.negativeBuckets());
        long c = (long) h.count(), z = (long) h.zeroCount();
        if (count == 0) {
            out.writeVarbitUint(c);
            out.writeVarbitUint(z);
            out.writeBits(Double.doubleToRawLongBits(h.sum()), 64);
            for (long b : pos) out.writeVarbitInt(b);
            for (long b : neg) out.writeVarbitInt(b);
            prevPosDelta = new long[pos.length];
            prevNegDelta = new long[neg.length];
        } else {
            long cDelta = c - (long) prev.count(), zDelta = z - (long) prev.zeroCount();
            out.writeVarbitInt(cDelta - prevCountDelta);
            out.writeVarbitInt(zDelta - prevZeroDelta);
            sumXor.write(out, Double.doubleToRawLongBits(h.sum()), Double.doubleToRawLongBits(prev.sum()));
            bucketDods(pos, prevPos, prevPosDelta);
            bucketDods(neg, prevNeg, prevNegDelta);
            prevCountDelta = cDelta;
            prevZeroDelta = zDelta;
        }
        prevPos = pos;
        prevNeg = neg;
    }

    private void bucketDods(long[] now, long[] before, long[] beforeDelta) {
        for (int i = 0; i < now.length; i++) {
            long delta = now[i] - before[i];
            out.writeVarbitInt(delta - beforeDelta[i]);
            beforeDelta[i] = delta;
        }
    }

    private void appendFloat(FloatHistogram h) {
        if (count == 0) {
            out.writeBits(Double.doubleToRawLongBits(h.count()), 64);
            out.writeBits(Double.doubleToRawLongBits(h.zeroCount()), 64);
            out.writeBits(Double.doubleToRawLongBits(h.sum()), 64);
            for (double b : h.positiveBuckets()) out.writeBits(Double.doubleToRawLongBits(b), 64);
            for (double b : h.negativeBuckets()) out.writeBits(Double.doubleToRawLongBits(b), 64);
            posXor = windows(h.positiveBuckets().length);
            negXor = windows(h.negativeBuckets().length);
            return;
        }
        countXor.write(out, Double.doubleToRawLongBits(h.count()), Double.doubleToRawLongBits(prev.count()));
        zeroXor.write(out, Double.doubleToRawLongBits(h.zeroCount()), Double.doubleToRawLongBits(prev.zeroCount()));
        sumXor.write(out, Double.doubleToRawLongBits(h.sum()), Double.doubleToRawLongBits(prev.sum()));
        for (int i = 0; i < posXor.length; i++) {
            posXor[i].write(out, Double.doubleToRawLongBits(h.positiveBuckets()[i]), Double.doubleToRawLongBits(prev.positiveBuckets()[i]));
        }
        for (int i = 0; i < negXor.length; i++) {
            negXor[i].write(out, Double.doubleToRawLongBits(h.negativeBuckets()[i]), Double.doubleToRawLongBits(prev.negativeBuckets()[i]));
        }
    }

    private static XorValueWriter[] windows(int n) {
        XorValueWriter[] w = new XorValueWriter[n];
        for (int i = 0; i < n; i++) w[i] = new XorValueWriter();
        return w;
    }

    /** Absolute bucket counts (whole numbers) as Prometheus's deltas: the first absolute, then each minus the previous. */
    private static long[] deltaEncoded(double[] buckets) {
        long[] out = new long[buckets.length];
        long prev = 0;
        for (int i = 0; i < buckets.length; i++) {
            long c = (long) buckets[i];
            out[i] = c - prev;
            prev = c;
        }
        return out;
    }

    private void writeLayout(FloatHistogram h) {
        double threshold = h.zeroThreshold();
        int exponent = Math.getExponent(threshold) + 1; // Go's Frexp: threshold = 0.5 * 2^exponent when a power of two
        if (threshold == 0) {
            out.writeBits(0, 8);
        } else if (threshold > 0 && threshold == Math.scalb(0.5, exponent) && exponent >= -242 && exponent <= 11) {
            out.writeBits(exponent + 243, 8);
        } else {
            out.writeBits(0xff, 8);
            out.writeBits(Double.doubleToRawLongBits(threshold), 64);
        }
        out.writeVarbitInt(h.schema());
        spans(h.positiveSpanOffsets(), h.positiveSpanLengths());
        spans(h.negativeSpanOffsets(), h.negativeSpanLengths());
        if (h.usesCustomBuckets()) {
            out.writeVarbitUint(h.customValues().length);
            for (double bound : h.customValues()) customBound(bound);
        }
    }

    private void spans(int[] offsets, int[] lengths) {
        out.writeVarbitUint(offsets.length);
        for (int i = 0; i < offsets.length; i++) {
            out.writeVarbitUint(lengths[i]);
            out.writeVarbitInt(offsets[i]);
        }
    }

    /**
     * A custom bucket bound: a multiple of 0.001 in [0, 33554.43] as varbit_uint(bound x 1000 + 1) (so its
     * first bit is 1); any other as a 0 bit and the 64 bits of the double.
     */
    private void customBound(double bound) {
        double scaled = bound * 1000;
        long milli = Math.round(scaled);
        if (scaled >= 0 && scaled <= 33554430 && (double) milli / 1000 == bound) {
            out.writeVarbitUint(milli + 1);
        } else {
            out.writeBits(0, 1);
            out.writeBits(Double.doubleToRawLongBits(bound), 64);
        }
    }

    /** The chunk's bytes: sample count and flags, then the bits written. */
    byte[] bytes() {
        out.setByte(0, count >>> 8);
        out.setByte(1, count);
        out.setByte(2, header);
        return out.toByteArray();
    }
}
