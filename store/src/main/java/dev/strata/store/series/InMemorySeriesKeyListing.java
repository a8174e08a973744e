package dev.strata.store.series;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A {@link SeriesKeyListing} held in memory: keys per shard, newest write per series id wins.
 * Thread safe. For tests and for single-process runs without Cassandra.
 */
public final class InMemorySeriesKeyListing implements SeriesKeyListing {
    private final Map<Integer, Map<Integer, SeriesKey>> byShard = new ConcurrentHashMap<>();

    /** Records (or replaces) the key of {@code key.seriesId()} in {@code shard}. */
    public void put(int shard, SeriesKey key) {
        byShard.computeIfAbsent(shard, s -> new ConcurrentHashMap<>()).put(key.seriesId(), key);
    }

    public int size(int shard) {
        Map<Integer, SeriesKey> keys = byShard.get(shard);
        return keys == null ? 0 : keys.size();
    }

    @Override
    public void forEach(int shard, Consumer<SeriesKey> action) {
        Map<Integer, SeriesKey> keys = byShard.get(shard);
        if (keys == null) return;
        List<SeriesKey> snapshot = new ArrayList<>(keys.values());
        snapshot.forEach(action);
    }
}
