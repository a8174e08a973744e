package dev.strata.store.encoding;

/**
 * Encodes a chunk's strictly increasing millisecond timestamps. The chunk header already holds the
 * first and last timestamp and the sample count, which codecs may rely on.
 */
public interface TimestampCodec {
    /** The codec id stored in the chunk header (4 bits). */
    int id();

    String name();

    /**
     * Appends timestamps[0..count) to {@code out}; returns false (possibly having written bits the
     * caller discards) if this codec cannot represent them.
     */
    boolean encode(long[] timestamps, int count, BitWriter out);

    /** Decodes {@code count} timestamps into dst[0..count). */
    void decode(BitReader in, long first, long last, int count, long[] dst);
}
