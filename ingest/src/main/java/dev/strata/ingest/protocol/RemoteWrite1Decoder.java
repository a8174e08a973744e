package dev.strata.ingest.protocol;

import static dev.strata.ingest.protocol.ProtoReader.FIXED64;
import static dev.strata.ingest.protocol.ProtoReader.LEN;
import static dev.strata.ingest.protocol.ProtoReader.VARINT;
import static dev.strata.ingest.protocol.ProtoReader.field;
import static dev.strata.ingest.protocol.ProtoReader.wireType;

import dev.strata.store.model.MetricMetadata;

/**
 * Decodes Prometheus remote write 1.0 ({@code prometheus.WriteRequest}, uncompressed protobuf):
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2;
 *                repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
 * Histogram    { see {@link HistogramMessage} }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }
 * MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
 * </pre>
 * Metadata entries go to {@link WriteBatch#addMetadata} (an entry without a metric family name fails
 * the request: it names nothing); exemplars are counted as ignored; native histograms are samples of their series. Unknown fields are
 * skipped as protobuf requires. Label bytes are referenced in place (no copy).
 */
public final class RemoteWrite1Decoder {
    private RemoteWrite1Decoder() {}

    public static void decode(byte[] buf, int off, int len, WriteBatch out) {
        out.reset(buf, off + len);
        ProtoReader r = new ProtoReader(buf, off, len);
        int end = off + len;
        int seriesIndex = 0;
        while (r.pos() < end) {
            int tag = r.readTag();
            if (field(tag) == 1 && wireType(tag) == LEN) {
                int tsEnd = r.readLength(end);
                timeSeries(r, tsEnd, out, seriesIndex++);
                r.pos(tsEnd);
            } else if (field(tag) == 3 && wireType(tag) == LEN) {
                int mEnd = r.readLength(end);
                metadata(r, mEnd, out);
                r.pos(mEnd);
            } else {
                r.skip(tag, end);
            }
        }
        if (r.pos() != end) throw new MalformedRequestException("protobuf: WriteRequest overruns its length");
    }

    private static void timeSeries(ProtoReader r, int end, WriteBatch out, int seriesIndex) {
        out.beginSeries();
        while (r.pos() < end) {
            int tag = r.readTag();
            int f = field(tag);
            if (f == 1 && wireType(tag) == LEN) {
                int lEnd = r.readLength(end);
                label(r, lEnd, out);
                r.pos(lEnd);
            } else if (f == 2 && wireType(tag) == LEN) {
                int sEnd = r.readLength(end);
                sample(r, sEnd, out, false);
                r.pos(sEnd);
            } else if (f == 4 && wireType(tag) == LEN) {
                int hEnd = r.readLength(end);
                HistogramMessage.decode(r, hEnd, out, false, "timeseries[" + seriesIndex + "] histogram");
                r.pos(hEnd);
            } else {
                if (f == 3 && wireType(tag) == LEN) out.countExemplarIgnored();
                r.skip(tag, end);
            }
        }
        if (r.pos() != end) throw new MalformedRequestException("protobuf: TimeSeries overruns its length");
        out.endSeries();
    }

    private static void metadata(ProtoReader r, int end, WriteBatch out) {
        long type = 0;
        String name = "", help = "", unit = "";
        while (r.pos() < end) {
            int tag = r.readTag();
            int f = field(tag);
            if (f == 1 && wireType(tag) == VARINT) {
                type = r.readVarint();
            } else if ((f == 2 || f == 4 || f == 5) && wireType(tag) == LEN) {
                int sEnd = r.readLength(end);
                String v = Utf8Bytes.string(r.buf(), r.pos(), sEnd - r.pos());
                if (f == 2) name = v; else if (f == 4) help = v; else unit = v;
                r.pos(sEnd);
            } else {
                r.skip(tag, end);
            }
        }
        if (r.pos() != end) throw new MalformedRequestException("protobuf: MetricMetadata overruns its length");
        if (name.isEmpty()) {
            throw new MalformedRequestException("metadata[" + out.metadata().size() + "] has no metric_family_name");
        }
        out.addMetadata(new MetricMetadata(name, MetricMetadata.typeOf(type), unit, help));
    }

    private static void label(ProtoReader r, int end, WriteBatch out) {
        int nOff = 0, nLen = 0, vOff = 0, vLen = 0;
        while (r.pos() < end) {
            int tag = r.readTag();
            int f = field(tag);
            if ((f == 1 || f == 2) && wireType(tag) == LEN) {
                int sEnd = r.readLength(end);
                if (f == 1) { nOff = r.pos(); nLen = sEnd - r.pos(); } else { vOff = r.pos(); vLen = sEnd - r.pos(); }
                r.pos(sEnd);
            } else {
                r.skip(tag, end);
            }
        }
        if (r.pos() != end) throw new MalformedRequestException("protobuf: Label overruns its length");
        out.addLabel(nOff, nLen, vOff, vLen);
    }

    /**
     * Reads one Sample message: value (field 1), timestamp (2) and, in remote write 2.0
     * ({@code withStart}), start_timestamp (3); other fields are skipped. Returns the start timestamp
     * (0 when absent).
     */
    static long sample(ProtoReader r, int end, WriteBatch out, boolean withStart) {
        double v = 0;
        long ts = 0;
        long st = 0;
        while (r.pos() < end) {
            int tag = r.readTag();
            int f = field(tag);
            if (f == 1 && wireType(tag) == FIXED64) {
                v = r.readDouble();
            } else if (f == 2 && wireType(tag) == VARINT) {
                ts = r.readVarint();
            } else if (withStart && f == 3 && wireType(tag) == VARINT) {
                st = r.readVarint();
            } else {
                r.skip(tag, end);
            }
        }
        if (r.pos() != end) throw new MalformedRequestException("protobuf: Sample overruns its length");
        out.addSample(ts, st, v);
        return st;
    }
}
