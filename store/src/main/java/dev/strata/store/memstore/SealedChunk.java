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
    /** See {@link #sinceOffset()}; set once by the sealing series before the chunk is published. */
    private long sinceOffset = -1;

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

    /**
     * The generation of the series' memory this chunk was cut from: it holds samples of log records
     * after this offset only (-1: of any record this run applied). A new generation begins at each
     * {@link MemShard#cutEarly early cut}; the flush writes a chunk under the writer epoch of its
     * generation (see ChunkTable.write), as if the shard had restarted from that offset.
     */
    public long sinceOffset() { return sinceOffset; }

    void sinceOffset(long offset) { sinceOffset = offset; }

    void setPersisted() { persisted = true; }

    long heapBytes() {
        return OVERHEAD_BYTES + bytes.length;
    }

    @Override
    public String toString() {
        return "SealedChunk[" + minT + ".." + maxT + ", " + count + " samples, " + bytes.length + " bytes" + (persisted ? ", persisted" : "")
                + (sinceOffset >= 0 ? ", since offset " + sinceOffset : "") + "]";
    }
}
