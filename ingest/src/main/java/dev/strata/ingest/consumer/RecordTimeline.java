package dev.strata.ingest.consumer;

/**
 * Kafka timestamps of one partition's records as a consumer read them, sampled (the first record of
 * each poll batch) so that it stays small: what {@link #timestampAtOrBefore} answers for an offset is
 * the timestamp of the nearest sampled record at or before it, a lower bound of that record's own
 * timestamp while timestamps grow with offsets (producer CreateTime, one clock per gateway), so an age
 * computed from it errs on the old side. Holds at most {@link #CAPACITY} samples: when full, every other
 * one is dropped (the oldest kept), which only moves answers further back. Not thread safe: the
 * consumer's thread only.
 */
final class RecordTimeline {
    /** Samples kept at most; with one per poll batch this covers many thousand batches before thinning. */
    static final int CAPACITY = 1024;
    private final long[] offsets = new long[CAPACITY];
    private final long[] timestamps = new long[CAPACITY];
    private int size;

    /** Remembers that the record at {@code offset} has Kafka timestamp {@code timestampMs}; ignored unless past the last one. */
    void add(long offset, long timestampMs) {
        if (size > 0 && offset <= offsets[size - 1]) return;
        if (size == CAPACITY) thin();
        offsets[size] = offset;
        timestamps[size] = timestampMs;
        size++;
    }

    /**
     * Forgets samples no longer needed to answer for {@code offset} or later: every one before the
     * last sample at or before it.
     */
    void forgetBefore(long offset) {
        int drop = 0;
        while (drop + 1 < size && offsets[drop + 1] <= offset) drop++;
        if (drop == 0) return;
        System.arraycopy(offsets, drop, offsets, 0, size - drop);
        System.arraycopy(timestamps, drop, timestamps, 0, size - drop);
        size -= drop;
    }

    /**
     * The timestamp of the last sample at or before {@code offset}; the first sample's when every sample
     * is after it; -1 when there is none.
     */
    long timestampAtOrBefore(long offset) {
        if (size == 0) return -1;
        int i = 0;
        while (i + 1 < size && offsets[i + 1] <= offset) i++;
        return timestamps[i];
    }

    int size() {
        return size;
    }

    private void thin() {
        int n = 0;
        for (int i = 0; i < size; i += 2, n++) {
            offsets[n] = offsets[i];
            timestamps[n] = timestamps[i];
        }
        size = n;
    }
}
