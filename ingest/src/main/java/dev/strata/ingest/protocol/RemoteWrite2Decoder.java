package dev.strata.ingest.protocol;

import static dev.strata.ingest.protocol.ProtoReader.LEN;
import static dev.strata.ingest.protocol.ProtoReader.VARINT;
import static dev.strata.ingest.protocol.ProtoReader.field;
import static dev.strata.ingest.protocol.ProtoReader.wireType;

import java.util.Arrays;

/**
 * Decodes Prometheus remote write 2.0 ({@code io.prometheus.write.v2.Request}, uncompressed):
 * <pre>
 * Request    { reserved 1 to 3; repeated string symbols = 4; repeated TimeSeries timeseries = 5; }
 * TimeSeries { repeated uint32 labels_refs = 1; repeated Sample samples = 2;
 *              repeated Histogram histograms = 3; repeated Exemplar exemplars = 4;
 *              Metadata metadata = 5; int64 created_timestamp = 6; }
 * Sample     { double value = 1; int64 timestamp = 2; int64 start_timestamp = 3; }
 * </pre>
 * Symbols are read first (in a separate pass, so field order does not matter); labels_refs are
 * accepted packed or unpacked and must be an even number of valid symbol indices. Native histograms
 * and exemplars are counted as ignored (the response reports 0 of them written); metadata is
 * skipped. Start timestamps are kept per sample: a sample's own {@code start_timestamp}, else the
 * series' {@code created_timestamp} (0 = unknown in both).
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
        int[] refs = new int[32];
        int seriesIndex = 0;
        while (r.pos() < end) {
            int tag = r.readTag();
            if (field(tag) == 5 && wireType(tag) == LEN) {
                int tsEnd = r.readLength(end);
                refs = timeSeries(r, tsEnd, out, refs, symOff, symLen, symbols, seriesIndex++);
                r.pos(tsEnd);
            } else {
                r.skip(tag, end);
            }
        }
    }

    private static int[] timeSeries(ProtoReader r, int end, WriteBatch out, int[] refs,
                                    int[] symOff, int[] symLen, int symbols, int seriesIndex) {
        out.beginSeries();
        int firstSample = out.totalSamples();
        long created = 0;
        boolean ownStart = false;
        int nRefs = 0;
        while (r.pos() < end) {
            int tag = r.readTag();
            int f = field(tag);
            if (f == 1 && wireType(tag) == LEN) {
                int pEnd = r.readLength(end);
                while (r.pos() < pEnd) {
                    if (nRefs == refs.length) refs = Arrays.copyOf(refs, nRefs * 2);
                    refs[nRefs++] = ref(r.readVarint(), symbols, seriesIndex);
                }
                if (r.pos() != pEnd) throw new MalformedRequestException("protobuf: labels_refs overruns its length");
            } else if (f == 1 && wireType(tag) == VARINT) {
                if (nRefs == refs.length) refs = Arrays.copyOf(refs, nRefs * 2);
                refs[nRefs++] = ref(r.readVarint(), symbols, seriesIndex);
            } else if (f == 2 && wireType(tag) == LEN) {
                int sEnd = r.readLength(end);
                ownStart |= RemoteWrite1Decoder.sample(r, sEnd, out, true) != 0;
                r.pos(sEnd);
            } else if (f == 6 && wireType(tag) == VARINT) {
                created = r.readVarint();
            } else {
                if (f == 3 && wireType(tag) == LEN) out.countHistogramIgnored();
                if (f == 4 && wireType(tag) == LEN) out.countExemplarIgnored();
                r.skip(tag, end);
            }
        }
        if (r.pos() != end) throw new MalformedRequestException("protobuf: TimeSeries overruns its length");
        if ((nRefs & 1) != 0) {
            throw new MalformedRequestException("timeseries[" + seriesIndex + "]: labels_refs has an odd length " + nRefs);
        }
        if (created != 0) {
            // The series' created timestamp applies to its samples that carry no start timestamp of their own.
            for (int i = firstSample, e = out.totalSamples(); i < e; i++) {
                if (!ownStart || out.startTimestamp(i) == 0) out.setStartTimestamp(i, created);
            }
        }
        for (int i = 0; i < nRefs; i += 2) {
            out.addLabel(symOff[refs[i]], symLen[refs[i]], symOff[refs[i + 1]], symLen[refs[i + 1]]);
        }
        out.endSeries();
        return refs;
    }

    private static int ref(long ref, int symbols, int seriesIndex) {
        if (ref < 0 || ref >= symbols) {
            throw new MalformedRequestException("timeseries[" + seriesIndex + "]: labels_refs value " + ref
                    + " is outside the symbols table (" + symbols + " symbols)");
        }
        return (int) ref;
    }
}
