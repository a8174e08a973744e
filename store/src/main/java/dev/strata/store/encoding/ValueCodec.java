package dev.strata.store.encoding;

/**
 * Encodes a chunk's values bit-exactly (every NaN payload, infinities and -0.0 survive). Codecs
 * that only fit some inputs report that by returning false from {@link #encode}; the chunk writer
 * then tries the next candidate.
 */
public interface ValueCodec {
    /** The codec id stored in the chunk header (4 bits). */
    int id();

    String name();

    /**
     * Appends values[0..count) (count >= 1) to {@code out}; returns false if this codec cannot
     * represent them bit-exactly (the caller discards whatever was written).
     */
    boolean encode(double[] values, int count, BitWriter out);

    /** Decodes {@code count} values into dst[0..count); throws {@link CorruptChunkException} on inconsistent input. */
    void decode(BitReader in, int count, double[] dst);
}
