package dev.strata.store.paging;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-query allowance for chunks paged in from storage. One budget per query, shared by all the
 * series the query reads (thread safe). Exceeding it fails the query with
 * {@link PagingLimitException} rather than returning partial data.
 */
public final class PageBudget {
    private final long maxChunks;
    private final long maxBytes;
    private final AtomicLong chunks = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    public PageBudget(long maxChunks, long maxBytes) {
        if (maxChunks < 1 || maxBytes < 1) throw new IllegalArgumentException("page budget limits must be >= 1: chunks=" + maxChunks + " bytes=" + maxBytes);
        this.maxChunks = maxChunks;
        this.maxBytes = maxBytes;
    }

    /** Charges one fetched result; throws when a limit is passed. */
    void charge(long chunkCount, long byteCount) {
        long c = chunks.addAndGet(chunkCount);
        long b = bytes.addAndGet(byteCount);
        if (c > maxChunks) throw new PagingLimitException("query reads " + c + " chunks from storage, over the limit of " + maxChunks);
        if (b > maxBytes) throw new PagingLimitException("query reads " + b + " chunk bytes from storage, over the limit of " + maxBytes);
    }

    public long chunks() { return chunks.get(); }
    public long bytes() { return bytes.get(); }
}
