package dev.strata.store.encoding;

import dev.strata.store.model.FloatHistogram;
import java.util.Arrays;

/**
 * The native-histogram chunk, version 1 (docs/format/histogram-chunks.md): one self-describing blob
 * of one series' histogram samples that share schema, zero threshold and custom bounds (a change of
 * one of them cuts a new chunk; so does a change between float and histogram samples, which live in
 * {@link ChunkFormat} chunks). The chunk's buckets are the union of its samples' buckets (Layout);
 * samples whose spans differ from the previous sample's (the first sample's: from the union's) are
 * listed with their own spans (Changes), and their buckets outside them are 0 in the columns. Grammar:
 * <pre>
 *   HChunk   := Magic Version Flags Count FirstT Span [Hint] Layout [StHeader] Payload Crc
 *   Magic    := 0x48 ('H')   (float chunks start with 0x53 'S': the first byte tells the kinds apart)
 *   Version  := 0x01
 *   Flags    := u8: bit0 start-timestamp column | bit1 count derived | bit2 integer counts
 *               | bit3 one reset hint for all samples | bits 4-6 timestamp codec id
 *   Count    := uvarint (>= 1); FirstT := zigzag varint; Span := uvarint (last - first timestamp, ms)
 *   Hint     := u8, the reset hint of every sample (only with bit3)
 *   Layout   := schema zvarint | zeroThreshold f64 BE | Spans(positive) | Spans(negative) | nCustom uvarint f64 BE ^ nCustom
 *               | nChanges uvarint | (sampleIndex uvarint (increasing), Spans(positive), Spans(negative)) ^ nChanges
 *   Spans    := nSpans uvarint | (offset zvarint, length uvarint) ^ nSpans
 *   StHeader := as in float chunks: stCodec u8 | StFirst zvarint | StSpan zvarint | StBytes uvarint
 *   Payload  := timestamp bits, padded | [2-bit reset hints, padded (without bit3)]
 *               | sum: codec id u8, value-codec bits, padded
 *               | counts: [count column unless bit1 derived] zero-count column, one column per union bucket (positive, then negative)
 *               | [start timestamp bits, exactly StBytes bytes]
 *   Crc      := CRC32C of every preceding byte, 4 bytes big-endian
 * </pre>
 * Count columns: with bit2 (every count an integer below 2^53) all columns form ONE bit stream,
 * padded at its end; each column is its first value (7-bit length + zigzag bits) then, for
 * Count > 1, its deltas over time frame-of-reference packed: the smallest delta (7-bit length +
 * zigzag bits), a 7-bit width w, and Count-1 values of w bits (delta - smallest). Without bit2 each
 * column is a value-codec id u8 and that codec's bits, padded. "Count derived" (bit1): every
 * sample's count equals zeroCount + positive buckets + negative buckets, summed in that order, so
 * the count column is left out.
 */
public final class HistogramChunkFormat {
    private HistogramChunkFormat() {}

    public static final int MAGIC = 0x48;
    public static final int VERSION = 1;
    static final int FLAG_ST = 1;
    static final int FLAG_COUNT_DERIVED = 2;
    static final int FLAG_INTEGER = 4;
    static final int FLAG_ONE_HINT = 8;
    /** Magic, version, flags, count, firstT, span, schema, 8-byte threshold, 3 empty counts, CRC. */
    public static final int MIN_LENGTH = 6 + 1 + 8 + 3 + 4;

    /** True if chunk[off] starts a histogram chunk (rather than a float chunk). */
    public static boolean isHistogramChunk(byte[] chunk, int off, int len) {
        return len > 0 && (chunk[off] & 0xFF) == MAGIC;
    }

    /**
     * True if {@code a} and {@code b} can share one chunk: the same schema, zero threshold and custom
     * bounds (their spans may differ: the chunk holds the union of the buckets).
     */
    public static boolean shareChunk(FloatHistogram a, FloatHistogram b) {
        if (a == b) return true;
        return a.schema() == b.schema()
                && Double.doubleToRawLongBits(a.zeroThreshold()) == Double.doubleToRawLongBits(b.zeroThreshold())
                && Arrays.equals(a.customValues(), b.customValues());
    }
}
