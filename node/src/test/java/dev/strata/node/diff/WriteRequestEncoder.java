package dev.strata.node.diff;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Remote write 1.0 {@code prompb.WriteRequest} bodies (uncompressed) for the differential test, written
 * with protobuf-java's wire writer: one {@code TimeSeries} per sample, float samples in {@code samples}
 * (field 2), native histograms in {@code histograms} (field 4, {@code prompb.Histogram} with integer
 * counts: spans and delta-encoded bucket counts, as Prometheus itself sends them).
 */
final class WriteRequestEncoder {
    private WriteRequestEncoder() {}

    static byte[] encode(List<DiffWorkload.Sample> samples) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CodedOutputStream w = CodedOutputStream.newInstance(out);
            for (DiffWorkload.Sample s : samples) w.writeByteArray(1, timeSeries(s));
            w.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] timeSeries(DiffWorkload.Sample s) throws IOException {
        return message(w -> {
            for (Map.Entry<String, String> l : s.labels().entrySet()) {
                w.writeByteArray(1, message(lw -> {
                    lw.writeString(1, l.getKey());
                    lw.writeString(2, l.getValue());
                }));
            }
            if (s.histogram() == null) {
                w.writeByteArray(2, message(sw -> {
                    sw.writeDouble(1, s.value());
                    sw.writeInt64(2, s.timestampMs());
                }));
            } else {
                w.writeByteArray(4, histogram(s.histogram(), s.timestampMs()));
            }
        });
    }

    /** {@code prompb.Histogram}: count_int 1, sum 3, schema 4 (sint32), zero_threshold 5, zero_count_int 6,
     * negative spans 8 / deltas 9, positive spans 11 / deltas 12, reset_hint 14, timestamp 15. */
    private static byte[] histogram(DiffWorkload.NativeHistogram h, long ts) throws IOException {
        return message(w -> {
            w.writeUInt64(1, h.count());
            w.writeDouble(3, h.sum());
            w.writeSInt32(4, h.schema());
            w.writeDouble(5, h.zeroThreshold());
            w.writeUInt64(6, h.zeroCount());
            buckets(w, 8, 9, h.negative());
            buckets(w, 11, 12, h.positive());
            w.writeInt64(15, ts);
        });
    }

    /** Spans of consecutive bucket indexes ({@code BucketSpan}: offset sint32 1, length uint32 2) and the
     * counts as deltas from the previous bucket (packed sint64). */
    private static void buckets(CodedOutputStream w, int spanField, int deltaField, TreeMap<Integer, Long> counts) throws IOException {
        if (counts.isEmpty()) return;
        int prevIndex = 0;
        int runStart = Integer.MIN_VALUE;
        int runLength = 0;
        boolean first = true;
        for (int index : counts.keySet()) {
            if (runLength > 0 && index == runStart + runLength) {
                runLength++;
                continue;
            }
            if (runLength > 0) {
                writeSpan(w, spanField, first ? runStart : runStart - prevIndex, runLength);
                first = false;
                prevIndex = runStart + runLength;
            }
            runStart = index;
            runLength = 1;
        }
        writeSpan(w, spanField, first ? runStart : runStart - prevIndex, runLength);
        byte[] deltas = message(dw -> {
            long prev = 0;
            for (long c : counts.values()) {
                dw.writeSInt64NoTag(c - prev);
                prev = c;
            }
        });
        w.writeByteArray(deltaField, deltas);
    }

    private static void writeSpan(CodedOutputStream w, int field, int offset, int length) throws IOException {
        w.writeByteArray(field, message(sw -> {
            sw.writeSInt32(1, offset);
            sw.writeUInt32(2, length);
        }));
    }

    private interface Body {
        void write(CodedOutputStream w) throws IOException;
    }

    private static byte[] message(Body body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream w = CodedOutputStream.newInstance(out);
        body.write(w);
        w.flush();
        return out.toByteArray();
    }
}
