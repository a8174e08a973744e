package dev.strata.node.chaos;

import dev.strata.store.model.Labels;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * What a remote-write load sent, step by step: step k carries one sample per series at timestamp
 * {@code t0 + k * stepMs} with seeded random values, and ends up in one of three states: never sent
 * (no byte left the client), sent but not acknowledged (the node died, answered an error, or the
 * client gave up: its samples may or may not be stored, and may be partial), or acknowledged
 * (a 2xx came back: every sample must be stored, exactly once). Thread-safe: one writer thread marks
 * steps while the test thread reads.
 */
public final class SentSamples {
    static final int NOT_SENT = 0;
    static final int UNACKNOWLEDGED = 1;
    static final int ACKNOWLEDGED = 2;

    private final List<Labels> series;
    private final long t0;
    private final long stepMs;
    private final double[][] values;
    private final AtomicIntegerArray state;
    private final java.util.concurrent.atomic.AtomicLongArray acknowledgedAtNanos;

    /**
     * @param maxSteps how many steps can be sent at most (values are drawn up front)
     * @param seed     the values' seed (random doubles of every magnitude class: integers, decimals, full-precision)
     */
    public SentSamples(List<Labels> series, long t0, long stepMs, int maxSteps, long seed) {
        this.series = List.copyOf(series);
        this.t0 = t0;
        this.stepMs = stepMs;
        this.values = new double[maxSteps][series.size()];
        this.state = new AtomicIntegerArray(maxSteps);
        this.acknowledgedAtNanos = new java.util.concurrent.atomic.AtomicLongArray(maxSteps);
        SplittableRandom random = new SplittableRandom(seed);
        for (int k = 0; k < maxSteps; k++) {
            for (int i = 0; i < series.size(); i++) {
                values[k][i] = switch (i % 3) {
                    case 0 -> random.nextInt(1000);                          // a gauge of integers
                    case 1 -> Math.round(random.nextDouble() * 1e4) / 100.0; // two decimals
                    default -> random.nextDouble() * Math.pow(10, random.nextInt(-3, 12)); // full precision
                };
            }
        }
    }

    public List<Labels> series() {
        return series;
    }

    public int maxSteps() {
        return values.length;
    }

    public long timestamp(int step) {
        return t0 + step * stepMs;
    }

    public double[] values(int step) {
        return values[step];
    }

    /** Before a request of {@code step} leaves the client: from now on its samples may be stored. */
    public void markSending(int step) {
        state.compareAndSet(step, NOT_SENT, UNACKNOWLEDGED);
    }

    /** No request of {@code step} ever reached a node (every attempt was refused before sending). */
    void markNotSent(int step) {
        state.compareAndSet(step, UNACKNOWLEDGED, NOT_SENT);
    }

    public void markAcknowledged(int step) {
        acknowledgedAtNanos.set(step, System.nanoTime());
        state.set(step, ACKNOWLEDGED);
    }

    public boolean acknowledged(int step) {
        return state.get(step) == ACKNOWLEDGED;
    }

    /** When {@code step} was acknowledged ({@code System.nanoTime()}); meaningful only if {@link #acknowledged} it is. */
    public long acknowledgedAtNanos(int step) {
        return acknowledgedAtNanos.get(step);
    }

    /** The step whose timestamp is {@code timestampMs}, or -1 if no step has it. */
    public int stepOf(long timestampMs) {
        long d = timestampMs - t0;
        if (d < 0 || d % stepMs != 0 || d / stepMs >= values.length) return -1;
        return (int) (d / stepMs);
    }

    /** Samples per step (one per series). */
    public int seriesCount() {
        return series.size();
    }

    /** Steps acknowledged so far. */
    public int acknowledgedSteps() {
        int n = 0;
        for (int k = 0; k < state.length(); k++) if (state.get(k) == ACKNOWLEDGED) n++;
        return n;
    }

    /** Steps sent at least partly but never acknowledged. */
    public int unacknowledgedSteps() {
        int n = 0;
        for (int k = 0; k < state.length(); k++) if (state.get(k) == UNACKNOWLEDGED) n++;
        return n;
    }

    /** The newest acknowledged timestamp, or {@code Long.MIN_VALUE}. */
    public long lastAcknowledgedTimestamp() {
        for (int k = state.length() - 1; k >= 0; k--) if (state.get(k) == ACKNOWLEDGED) return timestamp(k);
        return Long.MIN_VALUE;
    }

    /** Per series (Prometheus label string), timestamp -> value bits of every acknowledged sample. */
    public Map<String, TreeMap<Long, Long>> acknowledgedSamples() {
        return samplesOf(k -> state.get(k) == ACKNOWLEDGED);
    }

    /** Per series, the acknowledged samples whose acknowledgement came before {@code System.nanoTime()} was {@code nanos}. */
    public Map<String, TreeMap<Long, Long>> acknowledgedSamplesBefore(long nanos) {
        return samplesOf(k -> state.get(k) == ACKNOWLEDGED && acknowledgedAtNanos.get(k) - nanos < 0);
    }

    /** Per series, every sample sent but not (yet) acknowledged, including the request in flight. */
    public Map<String, TreeMap<Long, Long>> unacknowledgedSamples() {
        return samplesOf(k -> state.get(k) == UNACKNOWLEDGED);
    }

    /** Per series, every sample that may be stored: acknowledged, or sent without acknowledgement (yet). */
    public Map<String, TreeMap<Long, Long>> sentSamples() {
        return samplesOf(k -> state.get(k) != NOT_SENT);
    }

    private Map<String, TreeMap<Long, Long>> samplesOf(java.util.function.IntPredicate steps) {
        Map<String, TreeMap<Long, Long>> out = new java.util.HashMap<>();
        for (Labels l : series) out.put(l.toString(), new TreeMap<>());
        for (int k = 0; k < state.length(); k++) {
            if (!steps.test(k)) continue;
            for (int i = 0; i < series.size(); i++) {
                out.get(series.get(i).toString()).put(timestamp(k), Double.doubleToRawLongBits(values[k][i]));
            }
        }
        return out;
    }
}
