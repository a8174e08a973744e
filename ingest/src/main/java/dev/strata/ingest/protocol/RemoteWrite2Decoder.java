package dev.strata.ingest.protocol;

import static dev.strata.ingest.protocol.ProtoReader.LEN;
import static dev.strata.ingest.protocol.ProtoReader.VARINT;
import static dev.strata.ingest.protocol.ProtoReader.field;
import static dev.strata.ingest.protocol.ProtoReader.wireType;

import dev.strata.store.model.MetricMetadata;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes Prometheus remote write 2.0 ({@code io.prometheus.write.v2.Request}, uncompressed):
 * <pre>
 * Request    { reserved 1 to 3; repeated string symbols = 4; repeated TimeSeries timeseries = 5; }
 * TimeSeries { repeated uint32 labels_refs = 1; repeated Sample samples = 2;
 *              repeated Histogram histograms = 3; repeated Exemplar exemplars = 4;
 *              Metadata metadata = 5; int64 created_timestamp = 6; }
 * Sample     { double value = 1; int64 timestamp = 2; int64 start_timestamp = 3; }
 * Metadata   { MetricType type = 1; uint32 help_ref = 3; uint32 unit_ref = 4; }
 * </pre>
 * Symbols are read first (in a separate pass, so field order does not matter); labels_refs are
 * accepted packed or unpacked and must be an even number of valid symbol indices. Native histograms
 * ({@link HistogramMessage}) are samples of their series; exemplars are counted as ignored (the
 * response reports 0 of them written). A series' metadata becomes a {@link WriteBatch#addMetadata}
 * entry for the series' metric name (its {@code __name__}); metadata that says nothing (type
 * unspecified, no help, no unit) or belongs to a series without a name is dropped, as it describes
 * nothing. Start timestamps are kept per sample (float or histogram): its own {@code start_timestamp},
 * else the series' {@code created_timestamp} (0 = unknown in both).
 */
public final class RemoteWrite2Decoder {
    private RemoteWrite2Decoder() {}

    public static void decode(byte[] buf, int off, int len, WriteBatch out) {
        out.reset(buf, off + len);
        int end = off + len;
        // Pass 1: the symbols table.
        int[] symOff = new int[64];
        int[] symLen = new int[64];
        int symbols = 0;
        ProtoReader r = new ProtoReader(buf, off, len);
        while (r.pos() < end) {
            int tag = r.readTag();
            if (field(tag) == 4 && wireType(tag) == LEN) {
                int sEnd = r.readLength(end);
                if (symbols == symOff.length) {
                    symOff = Arrays.copyOf(symOff, symbols * 2);
                    symLen = Arrays.copyOf(symLen, symbols * 2);
                }
                symOff[symbols] = r.pos();
                symLen[symbols] = sEnd - r.pos();
                symbols++;
                r.pos(sEnd);
            } else {
                r.skip(tag, end);
            }
        }
        if (r.pos() != end) throw new MalformedRequestException("protobuf: Request overruns its length");
        // Pass 2: the series.
        r.pos(off);
        Refs refs = new Refs(out.limits().maxLabelsPerSeries());
        int seriesIndex = 0;
        while (r.pos() < end) {
            int tag = r.readTag();
            if (field(tag) == 5 && wireType(tag) == LEN) {
                int tsEnd = r.readLength(end);
                timeSeries(r, tsEnd, out, refs, symOff, symLen, symbols, seriesIndex++);
                r.pos(tsEnd);
            } else {
                r.skip(tag, end);
            }
        }
    }

    /**
     * The labels_refs of one series: name/value symbol pairs. A pair whose value is the empty
     * string is dropped as soon as it is complete (an empty value is the same as no label), and
     * one pair more than the per-series label limit fails the request before anything is sorted.
     */
    private static final class Refs {
        private final int maxPairs;
        int[] a = new int[32];
        int n;

        Refs(int maxPairs) {
            this.maxPairs = maxPairs;
        }

        void add(int ref, int[] symLen, int seriesIndex) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = ref;
            if ((n & 1) == 0) {
                if (symLen[ref] == 0) {
                    n -= 2;
                } else if (n / 2 > maxPairs) {
                    throw new MalformedRequestException("timeseries[" + seriesIndex + "] has more than " + maxPairs
                            + " labels (the limit per series)");
                }
            }
        }
    }

    private static void timeSeries(ProtoReader r, int end, WriteBatch out, Refs refs,
                                   int[] symOff, int[] symLen, int symbols, int seriesIndex) {
        out.beginSeries();
        int firstSample = out.totalSamples();
        long created = 0;
        boolean ownStart = false;
        long metaType = 0;
        int helpRef = -1, unitRef = -1;
        refs.n = 0;
        while (r.pos() < end) {
            int tag = r.readTag();
            int f = field(tag);
            if (f == 1 && wireType(tag) == LEN) {
                int pEnd = r.readLength(end);
                while (r.pos() < pEnd) refs.add(ref(r.readVarint(), symbols, seriesIndex), symLen, seriesIndex);
                if (r.pos() != pEnd) throw new MalformedRequestException("protobuf: labels_refs overruns its length");
            } else if (f == 1 && wireType(tag) == VARINT) {
                refs.add(ref(r.readVarint(), symbols, seriesIndex), symLen, seriesIndex);
            } else if (f == 2 && wireType(tag) == LEN) {
                int sEnd = r.readLength(end);
                ownStart |= RemoteWrite1Decoder.sample(r, sEnd, out, true) != 0;
                r.pos(sEnd);
            } else if (f == 6 && wireType(tag) == VARINT) {
                created = r.readVarint();
            } else if (f == 5 && wireType(tag) == LEN) {
                int mEnd = r.readLength(end);
                while (r.pos() < mEnd) {
                    int mt = r.readTag();
                    int mf = field(mt);
                    if (mf == 1 && wireType(mt) == VARINT) metaType = r.readVarint();
                    else if (mf == 3 && wireType(mt) == VARINT) helpRef = ref(r.readVarint(), symbols, seriesIndex);
                    else if (mf == 4 && wireType(mt) == VARINT) unitRef = ref(r.readVarint(), symbols, seriesIndex);
                    else r.skip(mt, mEnd);
                }
                if (r.pos() != mEnd) throw new MalformedRequestException("protobuf: Metadata overruns its length");
            } else if (f == 3 && wireType(tag) == LEN) {
                int hEnd = r.readLength(end);
                ownStart |= HistogramMessage.decode(r, hEnd, out, true, "timeseries[" + seriesIndex + "] histogram") != 0;
                r.pos(hEnd);
            } else {
                if (f == 4 && wireType(tag) == LEN) out.countExemplarIgnored();
                r.skip(tag, end);
            }
        }
        if (r.pos() != end) throw new MalformedRequestException("protobuf: TimeSeries overruns its length");
        if ((refs.n & 1) != 0) {
            throw new MalformedRequestException("timeseries[" + seriesIndex + "]: labels_refs has an odd length");
        }
        if (created != 0) {
            // The series' created timestamp applies to its samples that carry no start timestamp of their own.
            for (int i = firstSample, e = out.totalSamples(); i < e; i++) {
                if (!ownStart || out.startTimestamp(i) == 0) out.setStartTimestamp(i, created);
            }
        }
        int[] a = refs.a;
        for (int i = 0; i < refs.n; i += 2) {
            out.addLabel(symOff[a[i]], symLen[a[i]], symOff[a[i + 1]], symLen[a[i + 1]]);
        }
        out.endSeries();
        boolean saysSomething = metaType != 0 || (helpRef >= 0 && symLen[helpRef] > 0) || (unitRef >= 0 && symLen[unitRef] > 0);
        if (saysSomething) {
            byte[] buf = r.buf();
            for (int i = 0; i < refs.n; i += 2) {
                if (Utf8Bytes.equals(buf, symOff[a[i]], symLen[a[i]], NAME, 0, NAME.length)) {
                    out.addMetadata(new MetricMetadata(Utf8Bytes.string(buf, symOff[a[i + 1]], symLen[a[i + 1]]),
                            MetricMetadata.typeOf(metaType),
                            unitRef < 0 ? "" : Utf8Bytes.string(buf, symOff[unitRef], symLen[unitRef]),
                            helpRef < 0 ? "" : Utf8Bytes.string(buf, symOff[helpRef], symLen[helpRef])));
                    break;
                }
            }
        }
    }

    private static final byte[] NAME = "__name__".getBytes(StandardCharsets.UTF_8);

    private static int ref(long ref, int symbols, int seriesIndex) {
        if (ref < 0 || ref >= symbols) {
            throw new MalformedRequestException("timeseries[" + seriesIndex + "]: labels_refs value " + ref
                    + " is outside the symbols table (" + symbols + " symbols)");
        }
        return (int) ref;
    }
}
