package dev.strata.store;

import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges ascending sample iterators of one series into one ascending iterator without duplicate
 * timestamps. Sources may overlap (a partial chunk snapshot stored next to the final chunk, memory
 * next to storage after a replay): when several sources hold the same timestamp, the one earliest in
 * the list wins and the others' samples at that timestamp are skipped. Sources must each be
 * ascending without duplicates. Not thread safe.
 */
public final class MergedSampleIterator implements SampleIterator {
    private record Head(SampleIterator it, int priority) {}

    private final PriorityQueue<Head> heads;
    private long ts;
    private long st;
    private double value;
    private dev.strata.store.model.FloatHistogram histogram;

    private MergedSampleIterator(List<SampleIterator> sources) {
        heads = new PriorityQueue<>(Math.max(1, sources.size()), (a, b) -> {
            int c = Long.compare(a.it.timestamp(), b.it.timestamp());
            return c != 0 ? c : Integer.compare(a.priority, b.priority);
        });
        for (int i = 0; i < sources.size(); i++) {
            SampleIterator it = sources.get(i);
            if (it.next()) heads.add(new Head(it, i));
        }
    }

    /** The merge of {@code sources}, earlier sources winning ties; a single source is returned as is. */
    public static SampleIterator of(List<SampleIterator> sources) {
        if (sources.isEmpty()) return SampleIterator.EMPTY;
        if (sources.size() == 1) return sources.get(0);
        return new MergedSampleIterator(sources);
    }

    @Override
    public boolean next() {
        Head top = heads.poll();
        if (top == null) return false;
        ts = top.it.timestamp();
        value = top.it.value();
        st = top.it.startTimestamp();
        histogram = top.it.histogram();
        if (top.it.next()) heads.add(top);
        while (!heads.isEmpty() && heads.peek().it.timestamp() == ts) {
            Head dup = heads.poll();
            if (dup.it.next()) heads.add(dup);
        }
        return true;
    }

    /** Only the iterator's own current sample (already taken from its source) is not in the heads. */
    @Override
    public boolean floatsOnly() {
        for (Head h : heads) {
            if (h.it.histogram() != null || !h.it.floatsOnly()) return false;
        }
        return true;
    }

    @Override
    public long timestamp() {
        return ts;
    }

    @Override
    public double value() {
        return value;
    }

    @Override
    public long startTimestamp() {
        return st;
    }

    @Override
    public dev.strata.store.model.FloatHistogram histogram() {
        return histogram;
    }
}
