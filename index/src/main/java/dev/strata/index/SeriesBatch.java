package dev.strata.index;

/**
 * New series handed from the ingest thread to the {@link BackgroundIndexer}, in id order: what a
 * series document is built from (labels as {@link LabelsCodec} bytes, the two hashes, first sample
 * time). Filled by one thread, then read by another after a happens-before hand-over (executor).
 */
final class SeriesBatch {
    private final int[] ids;
    private final byte[][] encoded;
    private final long[] hashes;
    private final long[] checks;
    private final long[] firstMs;
    private int size;

    SeriesBatch(int capacity) {
        ids = new int[capacity];
        encoded = new byte[capacity][];
        hashes = new long[capacity];
        checks = new long[capacity];
        firstMs = new long[capacity];
    }

    void add(int id, byte[] labels, long hash, long check, long first) {
        ids[size] = id;
        encoded[size] = labels;
        hashes[size] = hash;
        checks[size] = check;
        firstMs[size] = first;
        size++;
    }

    int size() {
        return size;
    }

    int id(int i) {
        return ids[i];
    }

    byte[] encoded(int i) {
        return encoded[i];
    }

    long hash(int i) {
        return hashes[i];
    }

    long check(int i) {
        return checks[i];
    }

    long firstMs(int i) {
        return firstMs[i];
    }

    int firstId() {
        return size == 0 ? -1 : ids[0];
    }

    int lastId() {
        return size == 0 ? -1 : ids[size - 1];
    }
}
