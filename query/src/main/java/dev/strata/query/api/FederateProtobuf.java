package dev.strata.query.api;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.strata.query.remote.HistogramProto;
import dev.strata.store.model.FloatHistogram;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The protobuf exposition format of {@code /federate} (docs/format/federate.md), written with
 * protobuf-java's wire writer from the field numbers of {@code io.prometheus.client} (client_model's
 * metrics.proto); no generated classes. The body is a sequence of {@code uvarint(length) | MetricFamily}
 * ("delimited"):
 * <pre>
 * MetricFamily { string name = 1; MetricType type = 3 (UNTYPED = 3, HISTOGRAM = 4, GAUGE_HISTOGRAM = 5); repeated Metric metric = 4 }
 * Metric       { repeated LabelPair label = 1; Untyped untyped = 5; Histogram histogram = 7; int64 timestamp_ms = 6 }
 * LabelPair    { string name = 1; string value = 2 }
 * Untyped      { double value = 1 }
 * Histogram    { uint64 sample_count = 1; double sample_count_float = 4; double sample_sum = 2; sint32 schema = 5;
 *                double zero_threshold = 6; uint64 zero_count = 7; double zero_count_float = 8;
 *                repeated BucketSpan negative_span = 9; repeated sint64 negative_delta = 10 (packed);
 *                repeated double negative_count = 11 (packed); repeated BucketSpan positive_span = 12;
 *                repeated sint64 positive_delta = 13 (packed); repeated double positive_count = 14 (packed) }
 * BucketSpan   { sint32 offset = 1; uint32 length = 2 }
 * </pre>
 * Only this format carries native histograms; the text format leaves them out. A histogram whose counts
 * are all whole numbers in [0, 2^53] is written in the integer form (sample_count, zero_count, bucket
 * deltas), as client libraries expose them and every scraper with native histograms reads them; any other
 * one in the float form (sample_count_float, zero_count_float, absolute bucket counts). A histogram with
 * no bucket, no zero bucket and a zero threshold of 0 gets the no-op positive span (0, 0) that marks it
 * native (without it, a scraper reads a classic histogram).
 */
final class FederateProtobuf {
    static final String CONTENT_TYPE = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";
    static final int UNTYPED = 3;
    static final int HISTOGRAM = 4;
    static final int GAUGE_HISTOGRAM = 5;

    private FederateProtobuf() {}

    /** One series' latest sample: {@code labels} as name/value pairs (the metric name not among them). */
    record Metric(List<String[]> labels, long timestampMs, double value, FloatHistogram histogram) {}

    /**
     * Whether an {@code Accept} header asks for the delimited protobuf format at least as much as for any
     * text format this endpoint serves ({@code text/plain}, {@code text/*}, {@code *}{@code /*}), as
     * Prometheus's content negotiation picks the entry with the highest {@code q}. A missing header
     * means text.
     */
    static boolean accepted(String accept) {
        if (accept == null) return false;
        double proto = 0, text = 0;
        for (String entry : accept.split(",")) {
            String[] parts = entry.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            String protoParam = null, encoding = null;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (kv.length != 2) continue;
                String k = kv[0].trim().toLowerCase(Locale.ROOT), v = kv[1].trim();
                switch (k) {
                    case "q" -> {
                        try {
                            q = Double.parseDouble(v);
                        } catch (NumberFormatException e) {
                            q = 0;
                        }
                    }
                    case "proto" -> protoParam = v;
                    case "encoding" -> encoding = v;
                    default -> { }
                }
            }
            if (type.equals("application/vnd.google.protobuf") && "io.prometheus.client.MetricFamily".equals(protoParam)
                    && "delimited".equals(encoding)) {
                proto = Math.max(proto, q);
            } else if (type.equals("text/plain") || type.equals("text/*") || type.equals("*/*")) {
                text = Math.max(text, q);
            }
        }
        return proto > 0 && proto >= text;
    }

    /** Appends one delimited {@code MetricFamily} of {@code type} holding {@code metrics}. */
    static void family(ByteArrayOutputStream out, String name, int type, List<Metric> metrics) {
        ByteArrayOutputStream family = new ByteArrayOutputStream();
        CodedOutputStream f = CodedOutputStream.newInstance(family, 4096);
        try {
            f.writeString(1, name);
            f.writeEnum(3, type);
            for (Metric m : metrics) f.writeByteArray(4, metric(m));
            f.flush();
            CodedOutputStream len = CodedOutputStream.newInstance(out, 8);
            len.writeUInt32NoTag(family.size());
            len.flush();
            family.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The family type of a histogram sample: a gauge histogram by its reset hint, else a (counter) histogram. */
    static int typeOf(FloatHistogram h) {
        if (h == null) return UNTYPED;
        return h.resetHint() == FloatHistogram.ResetHint.GAUGE ? GAUGE_HISTOGRAM : HISTOGRAM;
    }

    private static byte[] metric(Metric m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes, 1024);
        for (String[] l : m.labels()) {
            out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(CodedOutputStream.computeStringSize(1, l[0]) + CodedOutputStream.computeStringSize(2, l[1]));
            out.writeString(1, l[0]);
            out.writeString(2, l[1]);
        }
        if (m.histogram() == null) {
            out.writeTag(5, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(CodedOutputStream.computeDoubleSize(1, m.value()));
            out.writeDouble(1, m.value());
        } else {
            out.writeByteArray(7, histogram(m.histogram()));
        }
        out.writeInt64(6, m.timestampMs());
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] histogram(FloatHistogram h) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes, 256);
        boolean integer = HistogramProto.isInteger(h);
        if (integer) out.writeUInt64(1, (long) h.count());
        else out.writeDouble(4, h.count());
        out.writeDouble(2, h.sum());
        out.writeSInt32(5, h.schema());
        out.writeDouble(6, h.zeroThreshold());
        if (integer) out.writeUInt64(7, (long) h.zeroCount());
        else out.writeDouble(8, h.zeroCount());
        HistogramProto.writeSide(out, 9, h.negativeSpanOffsets(), h.negativeSpanLengths(), h.negativeBuckets(), integer);
        boolean native_ = h.zeroThreshold() != 0 || h.zeroCount() != 0 || h.negativeSpanOffsets().length != 0
                || h.positiveSpanOffsets().length != 0;
        int[] noOpSpan = {0};
        HistogramProto.writeSide(out, 12, native_ ? h.positiveSpanOffsets() : noOpSpan, native_ ? h.positiveSpanLengths() : noOpSpan,
                h.positiveBuckets(), integer);
        out.flush();
        return bytes.toByteArray();
    }
}
