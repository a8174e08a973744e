package dev.strata.store.memstore;

/**
 * The version a chunk's storage row is written with (Cassandra's write timestamp, last write wins):
 * {@code windowMaxT_ms * 1_000_000 + min(windowCount, 999_999)}, where windowMaxT and windowCount are
 * the newest timestamp and the number of samples in memory of the chunk's whole window (all its
 * chunks and buffered samples) when the chunk was written.
 *
 * <p>Why the window and not the chunk: samples are only added to a window, so the window's (maxT,
 * count) grows with every change and any later write of any chunk key of the window carries a
 * higher version. Per chunk this would not hold: an out-of-order sample in a window cut into capped
 * chunks moves the cut, and the rewritten first chunk then has a smaller maxT than its earlier
 * version. Identical versions mean identical window contents, hence identical bytes. The factor
 * 10^6 keeps counts of 1 s scrapes (7,200 per 2 h window) distinct; it overflows in the year 2262.
 */
public final class ChunkVersion {
    private ChunkVersion() {}

    public static long of(long windowMaxT, long windowCount) {
        return windowMaxT * 1_000_000L + Math.min(windowCount, 999_999L);
    }
}
