package dev.strata.index;

import dev.strata.store.model.Labels;
import dev.strata.store.model.XxHash64;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.lucene.index.CorruptIndexException;

/**
 * The bytes a series' label set is stored as in the index (stored field {@code #labels}):
 * {@code vint pairCount, (vint nameLen, name UTF-8, vint valueLen, value UTF-8)^pairCount} in
 * canonical (name-sorted) order. The same bytes feed the series' check hash, an XXH64 with seed
 * {@link #CHECK_SEED} that, together with {@link Labels#hash()}, identifies a label set by 128 bits.
 */
final class LabelsCodec {
    static final long CHECK_SEED = 0x5354524154414c31L; // "STRATAL1"
    /** Lucene's hard limit on one indexed term, in UTF-8 bytes. */
    static final int MAX_TERM_BYTES = 32766;

    private LabelsCodec() {}

    /** Encodes {@code labels}; throws IllegalArgumentException if a name or value cannot be indexed. */
    static byte[] encode(Labels labels) {
        byte[] buf = new byte[64];
        int n = writeVInt(buf, 0, labels.size());
        for (int i = 0; i < labels.size(); i++) {
            for (int k = 0; k < 2; k++) {
                String s = k == 0 ? labels.name(i) : labels.value(i);
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                if (b.length > MAX_TERM_BYTES) {
                    throw new IllegalArgumentException("label \"" + labels.name(i) + "\" of " + labels
                            + " is too long to index: " + b.length + " UTF-8 bytes > " + MAX_TERM_BYTES);
                }
                if (n + 5 + b.length > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + 5 + b.length));
                n = writeVInt(buf, n, b.length);
                System.arraycopy(b, 0, buf, n, b.length);
                n += b.length;
            }
        }
        return Arrays.copyOf(buf, n);
    }

    /**
     * Calls {@code sink} with (pair index, offset, length) of each value's UTF-8 bytes inside
     * {@code encoded} (as produced by {@link #encode}), so indexing reuses them without re-encoding.
     */
    static void forEachValue(byte[] encoded, ValueSlice sink) {
        int[] pos = {0};
        int pairs = readVIntUnchecked(encoded, pos);
        for (int i = 0; i < pairs; i++) {
            int nameLen = readVIntUnchecked(encoded, pos);
            pos[0] += nameLen;
            int valueLen = readVIntUnchecked(encoded, pos);
            sink.accept(i, pos[0], valueLen);
            pos[0] += valueLen;
        }
    }

    interface ValueSlice {
        void accept(int pair, int offset, int length);
    }

    private static int readVIntUnchecked(byte[] b, int[] pos) {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[pos[0]++];
            v |= (x & 0x7F) << shift;
            if (x >= 0) return v;
        }
    }

    static long checkHash(byte[] encoded) {
        return XxHash64.hash(encoded, 0, encoded.length, CHECK_SEED);
    }

    static Labels decode(byte[] b, int off, int len, int seriesId) throws IOException {
        int[] pos = {off};
        int end = off + len;
        int pairs = readVInt(b, pos, end, seriesId);
        if (pairs < 0 || pairs > len) throw corrupt(seriesId, "pair count " + pairs + " for " + len + " bytes");
        String[] kv = new String[pairs * 2];
        for (int i = 0; i < kv.length; i++) {
            int l = readVInt(b, pos, end, seriesId);
            if (l < 0 || pos[0] + l > end) throw corrupt(seriesId, "string of " + l + " bytes at offset " + (pos[0] - off) + " overruns " + len);
            kv[i] = new String(b, pos[0], l, StandardCharsets.UTF_8);
            pos[0] += l;
        }
        if (pos[0] != end) throw corrupt(seriesId, (end - pos[0]) + " trailing bytes");
        try {
            return Labels.of(kv);
        } catch (RuntimeException e) {
            throw corrupt(seriesId, e.getMessage());
        }
    }

    private static CorruptIndexException corrupt(int seriesId, String what) {
        return new CorruptIndexException("stored labels of series " + seriesId + ": " + what, "#labels");
    }

    private static int writeVInt(byte[] buf, int n, int v) {
        while ((v & ~0x7F) != 0) {
            buf[n++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[n++] = (byte) v;
        return n;
    }

    private static int readVInt(byte[] b, int[] pos, int end, int seriesId) throws IOException {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (pos[0] >= end) throw corrupt(seriesId, "truncated vint");
            byte x = b[pos[0]++];
            v |= (x & 0x7F) << shift;
            if (x >= 0) return v;
        }
        throw corrupt(seriesId, "vint longer than 5 bytes");
    }
}
