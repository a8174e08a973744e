package dev.strata.store.memstore;

/**
 * An immutable encoded chunk of one series (format: dev.strata.store.encoding.ChunkFormat) with its
 * time range. {@link #bytes()} returns the backing array: callers must not modify it. The persisted
 * flag is set by the flush code through {@link MemShard#markPersisted}; only persisted chunks may be
 * evicted.
 */
public final class SealedChunk {
    /** Estimated heap bytes of this object and its array header, beyond the encoded bytes. */
    static final int OVERHEAD_BYTES = 56;

    private final byte[] bytes;
    private final long minT;
    private final long maxT;
    private final int count;
    private volatile boolean persisted;

    SealedChunk(byte[] bytes, long minT, long maxT, int count) {
        this.bytes = bytes;
        this.minT = minT;
        this.maxT = maxT;
        this.count = count;
    }

    public byte[] bytes() { return bytes; }
    public long minT() { return minT; }
    public long maxT() { return maxT; }
    public int count() { return count; }
    public boolean persisted() { return persisted; }

    void setPersisted() { persisted = true; }

    long heapBytes() {
        return OVERHEAD_BYTES + bytes.length;
    }

    @Override
    public String toString() {
        return "SealedChunk[" + minT + ".." + maxT + ", " + count + " samples, " + bytes.length + " bytes" + (persisted ? ", persisted" : "") + "]";
    }
}
