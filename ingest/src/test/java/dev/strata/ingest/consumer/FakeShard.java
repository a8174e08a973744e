package dev.strata.ingest.consumer;

import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test doubles of the store and index with the contract's behaviour (duplicates and too-old samples rejected). */
final class FakeShard implements ShardStore, SeriesIndex {
    record Sample(long ts, double v) {}

    final Map<Integer, Labels> storeSeries = new HashMap<>();
    final Map<Integer, List<Sample>> samples = new HashMap<>();
    final Map<Labels, Integer> indexIds = new HashMap<>();
    final Map<Integer, Long> lastSampleTime = new HashMap<>();
    final Map<Integer, Long> firstSampleTime = new HashMap<>();
    /** Start timestamps of stored samples appended with one: series id -> (ts -> st). */
    final Map<Integer, Map<Long, Long>> startTimestamps = new HashMap<>();
    int indexLookups;
    /** Every call in order: "p" + the ids of a {@link #prefetch} call, or "a" + the id of an append. */
    final List<String> calls = new ArrayList<>();
    volatile boolean pressure;

    @Override public boolean hasSeries(int id) { return storeSeries.containsKey(id); }

    @Override public void createSeries(int id, Labels labels) {
        if (storeSeries.putIfAbsent(id, labels) != null) throw new IllegalStateException("series " + id + " exists");
        samples.put(id, new ArrayList<>());
    }

    @Override public void prefetch(int[] ids, int n) {
        StringBuilder b = new StringBuilder("p");
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ",").append(ids[i]);
        calls.add(b.toString());
    }

    @Override public String append(int id, long ts, double v) {
        calls.add("a" + id);
        List<Sample> s = samples.get(id);
        if (s == null) throw new IllegalStateException("unknown series " + id);
        if (!s.isEmpty()) {
            long last = s.get(s.size() - 1).ts;
            if (ts == last) return "duplicate";
            if (ts < last) return "out_of_order_too_old";
        }
        s.add(new Sample(ts, v));
        return null;
    }

    @Override public String append(int id, long ts, long st, double v) {
        String r = append(id, ts, v);
        if (r == null) startTimestamps.computeIfAbsent(id, k -> new HashMap<>()).put(ts, st);
        return r;
    }

    long observedTimestamp = Long.MIN_VALUE;

    @Override public void observeTimestamp(long ts) { observedTimestamp = Math.max(observedTimestamp, ts); }

    @Override public boolean needsBackpressure() { return pressure; }
    @Override public int seriesCount() { return storeSeries.size(); }

    @Override public int seriesId(Labels labels) {
        indexLookups++;
        return indexIds.getOrDefault(labels, -1);
    }

    @Override public int addSeries(Labels labels, long firstMs) {
        Integer id = indexIds.get(labels);
        if (id != null) return id;
        int n = indexIds.size();
        indexIds.put(labels, n);
        firstSampleTime.put(n, firstMs);
        return n;
    }

    @Override public void updateLastSampleTime(int id, long ms) {
        lastSampleTime.merge(id, ms, Math::max);
    }
}
