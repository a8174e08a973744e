package dev.strata.query.remote;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.strata.store.model.FloatHistogram;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes one native histogram sample as prompb's {@code Histogram} message, the element of
 * {@code TimeSeries.histograms} in remote read's {@code SAMPLES} response (docs/format/remote-read.md):
 * <pre>
 * Histogram  { oneof count { uint64 count_int = 1; double count_float = 2; } double sum = 3; sint32 schema = 4;
 *              double zero_threshold = 5; oneof zero_count { uint64 zero_count_int = 6; double zero_count_float = 7; }
 *              repeated BucketSpan negative_spans = 8; repeated sint64 negative_deltas = 9 (packed);
 *              repeated double negative_counts = 10 (packed); repeated BucketSpan positive_spans = 11;
 *              repeated sint64 positive_deltas = 12 (packed); repeated double positive_counts = 13 (packed);
 *              ResetHint reset_hint = 14; int64 timestamp = 15; repeated double custom_values = 16 (packed) }
 * BucketSpan { sint32 offset = 1; uint32 length = 2; }
 * </pre>
 *
 * <p>Strata keeps one histogram type with float counts ({@link FloatHistogram}); what it was sent as is
 * not kept. Prometheus's read server answers each sample as it is stored, integer or float. So a
 * histogram whose counts (total, zero bucket, every bucket) are all whole numbers in [0, 2^53] is written
 * as an integer histogram ({@code count_int}, {@code zero_count_int}, bucket deltas: the first bucket
 * absolute, each next one relative to the previous one, across spans), which is what Prometheus's scrape
 * and remote write produce and what every client reads; any other one as a float histogram (absolute
 * counts). Both forms hold the same values exactly.
 *
 * <p>{@link #isInteger} and {@link #writeSide} are shared with {@code /federate}'s protobuf exposition
 * format, whose {@code io.prometheus.client.Histogram} lays out spans, deltas and counts the same way
 * (at other field numbers).
 */
public final class HistogramProto {
    /** Largest count written as an integer: every whole double up to here is exact, as is every delta. */
    private static final double MAX_INTEGER_COUNT = 0x1p53;

    private HistogramProto() {}

    /** The {@code Histogram} message of {@code h} at {@code timestampMs}. */
    static byte[] encode(long timestampMs, FloatHistogram h) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes, 256);
        boolean integer = isInteger(h);
        try {
            if (integer) out.writeUInt64(1, (long) h.count());
            else out.writeDouble(2, h.count());
            out.writeDouble(3, h.sum());
            out.writeSInt32(4, h.schema());
            out.writeDouble(5, h.zeroThreshold());
            if (integer) out.writeUInt64(6, (long) h.zeroCount());
            else out.writeDouble(7, h.zeroCount());
            writeSide(out, 8, h.negativeSpanOffsets(), h.negativeSpanLengths(), h.negativeBuckets(), integer);
            writeSide(out, 11, h.positiveSpanOffsets(), h.positiveSpanLengths(), h.positiveBuckets(), integer);
            out.writeEnum(14, h.resetHint().ordinal()); // FloatHistogram.ResetHint is in the wire's order
            out.writeInt64(15, timestampMs);
            packedDoubles(out, 16, h.customValues());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Whether every count of {@code h} is a whole number in [0, 2^53], so the integer form holds it exactly. */
    public static boolean isInteger(FloatHistogram h) {
        if (!isCount(h.count()) || !isCount(h.zeroCount())) return false;
        for (double c : h.positiveBuckets()) if (!isCount(c)) return false;
        for (double c : h.negativeBuckets()) if (!isCount(c)) return false;
        return true;
    }

    private static boolean isCount(double c) {
        return c >= 0 && c <= MAX_INTEGER_COUNT && c == Math.rint(c);
    }

    /**
     * Writes one side's spans ({@code BucketSpan {sint32 offset = 1; uint32 length = 2}} as field
     * {@code spansField}), then its buckets, packed: sint64 deltas (field + 1) for an integer histogram
     * (the first bucket absolute, each next one relative to the previous one), absolute double counts
     * (field + 2) for a float one; no bucket field for an empty side.
     */
    public static void writeSide(CodedOutputStream out, int spansField, int[] offsets, int[] lengths, double[] buckets,
                                 boolean integer) throws IOException {
        for (int i = 0; i < offsets.length; i++) {
            out.writeTag(spansField, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(CodedOutputStream.computeSInt32Size(1, offsets[i]) + CodedOutputStream.computeUInt32Size(2, lengths[i]));
            out.writeSInt32(1, offsets[i]);
            out.writeUInt32(2, lengths[i]);
        }
        if (buckets.length == 0) return;
        if (integer) {
            long[] deltas = new long[buckets.length];
            long prev = 0;
            int size = 0;
            for (int i = 0; i < buckets.length; i++) {
                long c = (long) buckets[i];
                deltas[i] = c - prev;
                prev = c;
                size += CodedOutputStream.computeSInt64SizeNoTag(deltas[i]);
            }
            out.writeTag(spansField + 1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(size);
            for (long d : deltas) out.writeSInt64NoTag(d);
        } else {
            packedDoubles(out, spansField + 2, buckets);
        }
    }

    private static void packedDoubles(CodedOutputStream out, int field, double[] values) throws IOException {
        if (values.length == 0) return;
        out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(values.length * 8);
        for (double v : values) out.writeDoubleNoTag(v);
    }
}
