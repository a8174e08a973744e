package dev.strata.ingest.protocol;

import static dev.strata.ingest.protocol.ProtoReader.FIXED64;
import static dev.strata.ingest.protocol.ProtoReader.LEN;
import static dev.strata.ingest.protocol.ProtoReader.VARINT;
import static dev.strata.ingest.protocol.ProtoReader.field;
import static dev.strata.ingest.protocol.ProtoReader.wireType;

import dev.strata.store.model.FloatHistogram;
import java.util.Arrays;

/**
 * Decodes one native histogram message, the same in remote write 1.0 ({@code prometheus.Histogram})
 * and 2.0 ({@code io.prometheus.write.v2.Histogram}):
 * <pre>
 * Histogram  { oneof count { uint64 count_int = 1; double count_float = 2; } double sum = 3; sint32 schema = 4;
 *              double zero_threshold = 5; oneof zero_count { uint64 zero_count_int = 6; double zero_count_float = 7; }
 *              repeated BucketSpan negative_spans = 8; repeated sint64 negative_deltas = 9; repeated double negative_counts = 10;
 *              repeated BucketSpan positive_spans = 11; repeated sint64 positive_deltas = 12; repeated double positive_counts = 13;
 *              ResetHint reset_hint = 14; int64 timestamp = 15; repeated double custom_values = 16;
 *              int64 start_timestamp = 17 (2.0 only) }
 * BucketSpan { sint32 offset = 1; uint32 length = 2; }
 * </pre>
 * An integer histogram's buckets are deltas (the first absolute, each next one relative to the
 * previous bucket), a float histogram's absolute counts; both become a {@link FloatHistogram} with
 * absolute counts. Repeated scalars are accepted packed or not. A histogram whose shape
 * {@link FloatHistogram} refuses (schema out of range, spans not adding up to the buckets, custom
 * bounds with an exponential schema, ...) fails the request with {@link MalformedRequestException}
 * naming the problem; counts are checked by the validator ({@link FloatHistogram#checkCountsForIngest}).
 */
final class HistogramMessage {
    private HistogramMessage() {}

    /** Growable arrays of one side's spans and buckets (reused across fields of one message). */
    private static final class Side {
        int[] offsets = new int[4];
        int[] lengths = new int[4];
        int spans;
        long[] deltas = new long[8];
        int nDeltas;
        double[] counts = new double[8];
        int nCounts;

        void span(int offset, int length) {
            if (spans == offsets.length) {
                offsets = Arrays.copyOf(offsets, spans * 2);
                lengths = Arrays.copyOf(lengths, spans * 2);
            }
            offsets[spans] = offset;
            lengths[spans++] = length;
        }

        void delta(long d) {
            if (nDeltas == deltas.length) deltas = Arrays.copyOf(deltas, nDeltas * 2);
            deltas[nDeltas++] = d;
        }

        void count(double c) {
            if (nCounts == counts.length) counts = Arrays.copyOf(counts, nCounts * 2);
            counts[nCounts++] = c;
        }

        double[] buckets(boolean integer, String what) {
            if (integer) {
                if (nCounts > 0) throw new MalformedRequestException(what + ": an integer histogram has float bucket counts");
                double[] out = new double[nDeltas];
                long c = 0;
                for (int i = 0; i < nDeltas; i++) {
                    c += deltas[i];
                    out[i] = c;
                }
                return out;
            }
            if (nDeltas > 0) throw new MalformedRequestException(what + ": a float histogram has integer bucket deltas");
            return Arrays.copyOf(counts, nCounts);
        }
    }

    /**
     * Reads the message in [r.pos(), end) and adds it to {@code out} as a histogram sample, with
     * its start timestamp ({@code start_timestamp} when {@code withStart} and present, else 0).
     * Returns that start timestamp.
     */
    static long decode(ProtoReader r, int end, WriteBatch out, boolean withStart, String where) {
        boolean integer = true;
        long countInt = 0;
        double countFloat = 0;
        double sum = 0;
        long schema = 0;
        double zeroThreshold = 0;
        long zeroInt = 0;
        double zeroFloat = 0;
        boolean zeroIsFloat = false;
        long hint = 0;
        long ts = 0;
        long st = 0;
        Side pos = new Side();
        Side neg = new Side();
        double[] custom = new double[0];
        int nCustom = 0;
        while (r.pos() < end) {
            int tag = r.readTag();
            int f = field(tag);
            int wt = wireType(tag);
            switch (f) {
                case 1 -> { expect(tag, VARINT, where, "count_int"); countInt = r.readVarint(); integer = true; }
                case 2 -> { expect(tag, FIXED64, where, "count_float"); countFloat = r.readDouble(); integer = false; }
                case 3 -> { expect(tag, FIXED64, where, "sum"); sum = r.readDouble(); }
                case 4 -> { expect(tag, VARINT, where, "schema"); schema = unzigzag(r.readVarint()); }
                case 5 -> { expect(tag, FIXED64, where, "zero_threshold"); zeroThreshold = r.readDouble(); }
                case 6 -> { expect(tag, VARINT, where, "zero_count_int"); zeroInt = r.readVarint(); zeroIsFloat = false; }
                case 7 -> { expect(tag, FIXED64, where, "zero_count_float"); zeroFloat = r.readDouble(); zeroIsFloat = true; }
                case 8, 11 -> { expect(tag, LEN, where, "spans"); span(r, r.readLength(end), f == 8 ? neg : pos, where); }
                case 9, 12 -> {
                    Side s = f == 9 ? neg : pos;
                    if (wt == LEN) {
                        int e = r.readLength(end);
                        while (r.pos() < e) s.delta(unzigzag(r.readVarint()));
                        if (r.pos() != e) throw new MalformedRequestException("protobuf: " + where + " bucket deltas overrun their length");
                    } else {
                        expect(tag, VARINT, where, "bucket deltas");
                        s.delta(unzigzag(r.readVarint()));
                    }
                }
                case 10, 13, 16 -> {
                    double[] tmp = new double[0];
                    int n = 0;
                    if (wt == LEN) {
                        int e = r.readLength(end);
                        if ((e - r.pos()) % 8 != 0) throw new MalformedRequestException("protobuf: " + where + " packed doubles of " + (e - r.pos()) + " bytes");
                        tmp = new double[(e - r.pos()) / 8];
                        while (r.pos() < e) tmp[n++] = r.readDouble();
                    } else {
                        expect(tag, FIXED64, where, "repeated double");
                        tmp = new double[] {r.readDouble()};
                        n = 1;
                    }
                    if (f == 16) {
                        custom = Arrays.copyOf(custom, nCustom + n);
                        System.arraycopy(tmp, 0, custom, nCustom, n);
                        nCustom += n;
                    } else {
                        Side s = f == 10 ? neg : pos;
                        for (int i = 0; i < n; i++) s.count(tmp[i]);
                    }
                }
                case 14 -> { expect(tag, VARINT, where, "reset_hint"); hint = r.readVarint(); }
                case 15 -> { expect(tag, VARINT, where, "timestamp"); ts = r.readVarint(); }
                case 17 -> {
                    if (withStart && wt == VARINT) st = r.readVarint();
                    else r.skip(tag, end);
                }
                default -> r.skip(tag, end);
            }
        }
        if (r.pos() != end) throw new MalformedRequestException("protobuf: " + where + " overruns its length");
        if (schema < Integer.MIN_VALUE || schema > Integer.MAX_VALUE) {
            throw new MalformedRequestException(where + ": histogram schema " + schema + " out of range (-4..8, or -53 for custom buckets)");
        }
        if (hint < 0 || hint > 3) throw new MalformedRequestException(where + ": unknown histogram reset hint " + hint);
        double count = integer ? unsigned(countInt) : countFloat;
        double zero = integer && !zeroIsFloat ? unsigned(zeroInt) : zeroFloat;
        FloatHistogram h;
        try {
            h = new FloatHistogram(FloatHistogram.ResetHint.ofWire((int) hint), (int) schema, zeroThreshold, zero, count, sum,
                    Arrays.copyOf(pos.offsets, pos.spans), Arrays.copyOf(pos.lengths, pos.spans), pos.buckets(integer, where),
                    Arrays.copyOf(neg.offsets, neg.spans), Arrays.copyOf(neg.lengths, neg.spans), neg.buckets(integer, where), custom);
        } catch (IllegalArgumentException e) {
            throw new MalformedRequestException(where + ": invalid native histogram: " + e.getMessage());
        }
        out.addHistogram(ts, st, h);
        return st;
    }

    private static void span(ProtoReader r, int end, Side side, String where) {
        long offset = 0;
        long length = 0;
        while (r.pos() < end) {
            int tag = r.readTag();
            if (field(tag) == 1 && wireType(tag) == VARINT) offset = unzigzag(r.readVarint());
            else if (field(tag) == 2 && wireType(tag) == VARINT) length = r.readVarint();
            else r.skip(tag, end);
        }
        if (r.pos() != end) throw new MalformedRequestException("protobuf: " + where + " BucketSpan overruns its length");
        if (offset < Integer.MIN_VALUE || offset > Integer.MAX_VALUE || length < 0 || length > Integer.MAX_VALUE) {
            throw new MalformedRequestException(where + ": histogram span (" + offset + ", " + length + ") out of range");
        }
        side.span((int) offset, (int) length);
    }

    private static void expect(int tag, int wireType, String where, String what) {
        if (wireType(tag) != wireType) {
            throw new MalformedRequestException("protobuf: " + where + " field " + what + " has wire type " + wireType(tag) + ", expected " + wireType);
        }
    }

    private static long unzigzag(long z) {
        return (z >>> 1) ^ -(z & 1);
    }

    /** A uint64 as a double (values above 2^63 are not negative). */
    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }
}
