package dev.strata.store.paging;

import dev.strata.store.cassandra.ChunkRow;
import dev.strata.store.memstore.MemShard;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chunks of one shard most recently paged in from storage, kept per series (least recently used
 * dropped first) within {@code maxBytes} and within the shard's memory budget: every entry is charged
 * to the {@link MemShard} with {@link MemShard#reserve}, so the cache only takes memory the shard does
 * not need, and gives it back first when the shard runs short ({@link MemShard.Reclaimable}).
 *
 * <p>An entry is the storage read of one series over [from, to] made while the oldest sample in
 * memory was {@code firstInMemory}. It answers a later read of a sub-range as long as the series'
 * oldest in-memory sample is still the same: what storage holds below that point only changes when
 * memory changes there too (eviction of persisted chunks or an older out-of-order sample both move
 * {@code firstInMemory}), so a stale entry is never used. Thread safe.
 */
final class PagedChunkCache implements MemShard.Reclaimable {
    /** Fixed accounting per entry on top of the chunk bytes (map node, entry, row objects). */
    static final long ENTRY_OVERHEAD = 96;
    static final long ROW_OVERHEAD = 80;

    private record Entry(long from, long to, long firstInMemory, List<ChunkRow> rows, long bytes) {}

    private final MemShard memory;
    private final long maxBytes;
    private final LinkedHashMap<Integer, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    PagedChunkCache(MemShard memory, long maxBytes) {
        if (maxBytes < 0) throw new IllegalArgumentException("paged chunk cache size must be >= 0: " + maxBytes);
        this.memory = memory;
        this.maxBytes = maxBytes;
        if (maxBytes > 0) memory.setReclaimable(this);
    }

    /** The cached rows covering [from, to] of the series, or null. */
    synchronized List<ChunkRow> get(int seriesId, long from, long to, long firstInMemory) {
        Entry e = entries.get(seriesId);
        if (e == null || e.firstInMemory != firstInMemory || e.from > from || e.to < to) {
            misses++;
            return null;
        }
        hits++;
        return e.rows;
    }

    /** Keeps rows read for [from, to] if they fit; replaces an earlier entry of the series. */
    synchronized void put(int seriesId, long from, long to, long firstInMemory, List<ChunkRow> rows) {
        long size = ENTRY_OVERHEAD;
        for (ChunkRow r : rows) size += ROW_OVERHEAD + r.data().remaining();
        if (size > maxBytes) return;
        remove(seriesId);
        while (bytes + size > maxBytes && dropEldest()) { }
        while (!memory.reserve(size)) {
            if (!dropEldest()) return; // the shard has no room to spare: serve uncached
        }
        entries.put(seriesId, new Entry(from, to, firstInMemory, compact(rows), size));
        bytes += size;
    }

    @Override
    public synchronized long reclaim(long wanted) {
        long before = bytes;
        while (before - bytes < wanted && dropEldest()) { }
        return before - bytes;
    }

    synchronized long bytes() { return bytes; }
    synchronized int entries() { return entries.size(); }
    synchronized long hits() { return hits; }
    synchronized long misses() { return misses; }

    /** Rows whose bytes are their own (a driver buffer may be a view of a larger response frame). */
    private static List<ChunkRow> compact(List<ChunkRow> rows) {
        ChunkRow[] out = new ChunkRow[rows.size()];
        for (int i = 0; i < out.length; i++) {
            ChunkRow r = rows.get(i);
            ByteBuffer d = r.data();
            if (d.hasArray() && d.arrayOffset() == 0 && d.position() == 0 && d.array().length == d.remaining()) {
                out[i] = r;
            } else {
                ByteBuffer own = ByteBuffer.allocate(d.remaining());
                own.put(d.duplicate()).flip();
                out[i] = new ChunkRow(r.series(), r.startMs(), r.endMs(), r.samples(), own, r.version());
            }
        }
        return List.of(out);
    }

    private void remove(int seriesId) {
        Entry e = entries.remove(seriesId);
        if (e != null) release(e);
    }

    private boolean dropEldest() {
        Iterator<Map.Entry<Integer, Entry>> it = entries.entrySet().iterator();
        if (!it.hasNext()) return false;
        Entry e = it.next().getValue();
        it.remove();
        release(e);
        return true;
    }

    private void release(Entry e) {
        bytes -= e.bytes;
        memory.unreserve(e.bytes);
    }
}
