package dev.strata.query.remote;

import com.google.protobuf.CodedOutputStream;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32C;

/**
 * Writes remote read responses with protobuf-java's wire writer (docs/format/remote-read.md).
 *
 * <p>{@code SAMPLES}: {@code ReadResponse {1: repeated QueryResult {1: repeated TimeSeries {1: repeated
 * Label {1: name, 2: value}, 2: repeated Sample {1: value double, 2: timestamp int64}, 4: repeated Histogram}}}},
 * snappy-compressed by the caller; float samples go to {@code samples}, native histogram samples to
 * {@code histograms} ({@link HistogramProto}), each list in time order.
 *
 * <p>{@code STREAMED_XOR_CHUNKS}: a sequence of frames, each {@code uvarint(len) | CRC-32C(message)
 * big-endian uint32 | message}, where a message is {@code ChunkedReadResponse {1: ChunkedSeries {1:
 * labels, 2: repeated Chunk {1: min_time_ms, 2: max_time_ms, 3: type (XOR = 1, HISTOGRAM = 2, FLOAT_HISTOGRAM = 3),
 * 4: data}}, 2: query_index}}.
 * Not compressed.
 */
final class ReadResponseEncoder {
    private ReadResponseEncoder() {}

    /** Builds one message whose fields are appended with a {@link CodedOutputStream}. */
    static final class Message {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CodedOutputStream out = CodedOutputStream.newInstance(bytes, 4096);

        byte[] toByteArray() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        void message(int field, byte[] message) {
            try {
                out.writeByteArray(field, message);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Appends the {@code Label} messages of {@code labels} as field {@code field}. */
    static void labels(CodedOutputStream out, int field, Labels labels) throws IOException {
        for (int i = 0; i < labels.size(); i++) {
            String name = labels.name(i), value = labels.value(i);
            out.writeTag(field, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(CodedOutputStream.computeStringSize(1, name) + CodedOutputStream.computeStringSize(2, value));
            out.writeString(1, name);
            out.writeString(2, value);
        }
    }

    /**
     * A {@code TimeSeries} message of the {@code SAMPLES} response: sample {@code i} is a histogram where
     * {@code h} (null when there are none) holds one at {@code i}, else a float.
     */
    static byte[] timeSeries(Labels labels, long[] t, double[] v, FloatHistogram[] h, int n) {
        Message m = new Message();
        try {
            labels(m.out, 1, labels);
            for (int i = 0; i < n; i++) {
                if (h != null && h[i] != null) continue;
                m.out.writeTag(2, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
                m.out.writeUInt32NoTag(CodedOutputStream.computeDoubleSize(1, v[i]) + CodedOutputStream.computeInt64Size(2, t[i]));
                m.out.writeDouble(1, v[i]);
                m.out.writeInt64(2, t[i]);
            }
            for (int i = 0; h != null && i < n; i++) {
                if (h[i] != null) m.out.writeByteArray(4, HistogramProto.encode(t[i], h[i]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m.toByteArray();
    }

    /**
     * A {@code Chunk} message holding one chunk of {@code encoding}: XOR = 1, HISTOGRAM = 2,
     * FLOAT_HISTOGRAM = 3 (prompb's {@code Chunk.Encoding}).
     */
    static byte[] chunk(long minT, long maxT, int encoding, byte[] data) {
        Message m = new Message();
        try {
            m.out.writeInt64(1, minT);
            m.out.writeInt64(2, maxT);
            m.out.writeEnum(3, encoding);
            m.out.writeByteArray(4, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m.toByteArray();
    }

    /** A {@code ChunkedReadResponse} message: one series (or a part of its chunks) of query {@code queryIndex}. */
    static byte[] chunkedReadResponse(Labels labels, java.util.List<byte[]> chunks, int queryIndex) {
        Message series = new Message();
        try {
            labels(series.out, 1, labels);
            for (byte[] c : chunks) series.out.writeByteArray(2, c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Message m = new Message();
        m.message(1, series.toByteArray());
        try {
            m.out.writeInt64(2, queryIndex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m.toByteArray();
    }

    /** Appends one stream frame: {@code uvarint(len) | CRC-32C big-endian | message}. */
    static void frame(ByteArrayOutputStream out, byte[] message) {
        long len = message.length;
        while ((len & ~0x7FL) != 0) {
            out.write((int) ((len & 0x7F) | 0x80));
            len >>>= 7;
        }
        out.write((int) len);
        CRC32C crc = new CRC32C();
        crc.update(message);
        long c = crc.getValue();
        out.write((int) (c >>> 24));
        out.write((int) (c >>> 16));
        out.write((int) (c >>> 8));
        out.write((int) c);
        out.write(message, 0, message.length);
    }
}
