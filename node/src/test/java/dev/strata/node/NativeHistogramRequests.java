package dev.strata.node;

import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-side protobuf encoder of remote write 1.0 and 2.0 requests holding native histograms (and
 * floats), written from the proto definitions (prompb/types.proto, io/prometheus/write/v2/types.proto).
 * A histogram whose counts are all integers is sent as an integer histogram (count_int, zero_count_int,
 * delta-encoded buckets), as Prometheus sends scraped histograms; any other as a float histogram.
 */
final class NativeHistogramRequests {
    /** One sample: a histogram, or a float when {@code h} is null; {@code st} the start timestamp (2.0 only). */
    record Sample(long t, long st, double v, FloatHistogram h) {}

    private NativeHistogramRequests() {}

    static byte[] v1(Map<Labels, List<Sample>> series) {
        Proto req = new Proto();
        for (Map.Entry<Labels, List<Sample>> e : series.entrySet()) {
            Proto ts = new Proto();
            Labels l = e.getKey();
            for (int i = 0; i < l.size(); i++) ts.message(1, new Proto().string(1, l.name(i)).string(2, l.value(i)));
            for (Sample s : e.getValue()) if (s.h() == null) ts.message(2, new Proto().fixed64(1, Double.doubleToRawLongBits(s.v())).varint(2, s.t()));
            for (Sample s : e.getValue()) if (s.h() != null) ts.message(4, histogram(s.h(), s.t(), 0));
            req.message(1, ts);
        }
        return req.bytes();
    }

    static byte[] v2(Map<Labels, List<Sample>> series) {
        Map<String, Integer> symbols = new LinkedHashMap<>();
        symbols.put("", 0);
        Proto body = new Proto();
        for (Map.Entry<Labels, List<Sample>> e : series.entrySet()) {
            Proto ts = new Proto();
            Labels l = e.getKey();
            Proto refs = new Proto();
            for (int i = 0; i < l.size(); i++) {
                refs.raw(symbols.computeIfAbsent(l.name(i), k -> symbols.size()));
                refs.raw(symbols.computeIfAbsent(l.value(i), k -> symbols.size()));
            }
            ts.bytes(1, refs.bytes());
            for (Sample s : e.getValue()) {
                if (s.h() == null) ts.message(2, new Proto().fixed64(1, Double.doubleToRawLongBits(s.v())).varint(2, s.t()).varint(3, s.st()));
                else ts.message(3, histogram(s.h(), s.t(), s.st()));
            }
            body.message(5, ts);
        }
        Proto req = new Proto();
        for (String s : new ArrayList<>(symbols.keySet())) req.string(4, s);
        return req.append(body).bytes();
    }

    private static boolean integral(FloatHistogram h) {
        if (!isInt(h.count()) || !isInt(h.zeroCount())) return false;
        for (double b : h.positiveBuckets()) if (!isInt(b)) return false;
        for (double b : h.negativeBuckets()) if (!isInt(b)) return false;
        return true;
    }

    private static boolean isInt(double v) {
        return v >= 0 && v < 1L << 53 && v == Math.rint(v) && Double.doubleToRawLongBits(v) != Double.doubleToRawLongBits(-0.0);
    }

    static Proto histogram(FloatHistogram h, long t, long st) {
        boolean integer = integral(h);
        Proto p = new Proto();
        if (integer) p.varint(1, (long) h.count());
        else p.fixed64(2, Double.doubleToRawLongBits(h.count()));
        p.fixed64(3, Double.doubleToRawLongBits(h.sum()));
        p.varint(4, zz(h.schema()));
        p.fixed64(5, Double.doubleToRawLongBits(h.zeroThreshold()));
        if (integer) p.varint(6, (long) h.zeroCount());
        else p.fixed64(7, Double.doubleToRawLongBits(h.zeroCount()));
        side(p, integer, 8, h.negativeSpanOffsets(), h.negativeSpanLengths(), h.negativeBuckets());
        side(p, integer, 11, h.positiveSpanOffsets(), h.positiveSpanLengths(), h.positiveBuckets());
        p.varint(14, h.resetHint().ordinal());
        p.varint(15, t);
        if (h.customValues().length > 0) {
            Proto c = new Proto();
            for (double v : h.customValues()) c.rawFixed64(Double.doubleToRawLongBits(v));
            p.bytes(16, c.bytes());
        }
        if (st != 0) p.varint(17, st);
        return p;
    }

    private static void side(Proto p, boolean integer, int spanField, int[] offsets, int[] lengths, double[] buckets) {
        for (int i = 0; i < offsets.length; i++) p.message(spanField, new Proto().varint(1, zz(offsets[i])).varint(2, lengths[i]));
        if (buckets.length == 0) return;
        Proto packed = new Proto();
        long prev = 0;
        for (double b : buckets) {
            if (integer) {
                packed.raw(zz((long) b - prev));
                prev = (long) b;
            } else {
                packed.rawFixed64(Double.doubleToRawLongBits(b));
            }
        }
        p.bytes(integer ? spanField + 1 : spanField + 2, packed.bytes());
    }

    private static long zz(long v) {
        return (v << 1) ^ (v >> 63);
    }

    /** A protobuf message under construction. */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            return this;
        }

        Proto rawFixed64(long v) {
            for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)));
            return this;
        }

        Proto varint(int field, long v) {
            return raw((long) field << 3).raw(v);
        }

        Proto fixed64(int field, long v) {
            return raw((long) field << 3 | 1).rawFixed64(v);
        }

        Proto bytes(int field, byte[] b) {
            raw((long) field << 3 | 2).raw(b.length);
            out.writeBytes(b);
            return this;
        }

        Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto m) {
            return bytes(field, m.bytes());
        }

        Proto append(Proto other) {
            out.writeBytes(other.bytes());
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
