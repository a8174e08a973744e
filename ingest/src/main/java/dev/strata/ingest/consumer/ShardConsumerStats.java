package dev.strata.ingest.consumer;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-shard ingestion counters and gauges. Written by the shard's consumer thread only (volatile
 * single-writer fields), read by anyone (status page, /metrics).
 */
public final class ShardConsumerStats {
    private final int shard;
    private final String topic;
    volatile long position = -1;      // next offset to read
    volatile long lastOffset = -1;    // last offset processed
    volatile long endOffset = -1;     // log end offset as last known
    volatile long lag = -1;
    volatile long samplesTotal;
    volatile long recordsTotal;
    volatile long seriesCreated;
    volatile long corruptRecords;
    volatile long replaySkippedSamples;
    volatile long offsetOutOfRange;
    volatile long offsetsLost;
    volatile long replayFrom = -1;
    volatile long replayTarget = -1;
    volatile double replayPercent;
    volatile double replaySamplesPerSecond;
    volatile double replayEtaSeconds = -1;
    volatile boolean ready;
    volatile double samplesPerSecond;
    volatile boolean paused;
    volatile boolean running;
    volatile int seriesCount;
    volatile String lastError = "";
    private final ConcurrentHashMap<String, LongAdder> rejected = new ConcurrentHashMap<>();

    ShardConsumerStats(int shard, String topic) {
        this.shard = shard;
        this.topic = topic;
    }

    void reject(String reason) {
        LongAdder a = rejected.get(reason);
        if (a == null) a = rejected.computeIfAbsent(reason, r -> new LongAdder());
        a.increment();
    }

    public int shard() { return shard; }
    public String topic() { return topic; }
    public long position() { return position; }
    public long lastOffset() { return lastOffset; }
    public long endOffset() { return endOffset; }
    /** Records between the position and the end of the log; -1 while unknown. */
    public long lag() { return lag; }
    public long samplesTotal() { return samplesTotal; }
    public long recordsTotal() { return recordsTotal; }
    public long seriesCreated() { return seriesCreated; }
    public long corruptRecords() { return corruptRecords; }
    /** Samples of replayed records skipped because their flush group's checkpoint already covers them. */
    public long replaySkippedSamples() { return replaySkippedSamples; }
    /** Times the log no longer held the offset to read (samples lost to Kafka retention). */
    public long offsetOutOfRange() { return offsetOutOfRange; }
    /** Offsets Kafka deleted (retention) before this consumer read them: samples lost, each range logged. */
    public long offsetsLost() { return offsetsLost; }
    /** First offset of the startup replay. */
    public long replayFrom() { return replayFrom; }
    /** Log-end offset taken at start: the shard is ready once its position reaches it (-1: no replay). */
    public long replayTarget() { return replayTarget; }
    public double replayPercent() { return replayPercent; }
    /** Samples read per second during the replay (applied and skipped). */
    public double replaySamplesPerSecond() { return replaySamplesPerSecond; }
    /** Estimated seconds until ready; -1 while unknown, 0 once ready. */
    public double replayEtaSeconds() { return replayEtaSeconds; }
    /** True once the startup replay reached {@link #replayTarget()}: the shard may serve queries. */
    public boolean ready() { return ready; }
    public double samplesPerSecond() { return samplesPerSecond; }
    public boolean paused() { return paused; }
    public boolean running() { return running; }
    public int seriesCount() { return seriesCount; }
    public String lastError() { return lastError; }

    /** Rejected samples by reason, sorted by reason. */
    public Map<String, Long> rejected() {
        Map<String, Long> m = new TreeMap<>();
        rejected.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    public long rejectedTotal() {
        long n = 0;
        for (LongAdder a : rejected.values()) n += a.sum();
        return n;
    }
}
