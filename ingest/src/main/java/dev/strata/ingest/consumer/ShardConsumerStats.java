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
    /** Kafka timestamp (ms) of the last record applied, set once per poll batch; -1 before the first. */
    volatile long lastRecordTimestampMs = -1;
    /** See {@link #oldestUnflushedTimestampMs()}. */
    volatile long oldestUnflushedTimestampMs = -1;
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
    /** Paused for memory with nothing left to flush (see ShardConsumer#checkStuck): needs a larger budget. */
    volatile boolean stuck;
    volatile boolean running;
    volatile int seriesCount;
    /** The shard's memory accounted against its budget, and that budget (bytes). */
    volatile long memoryUsedBytes;
    volatile long memoryBudgetBytes;
    volatile long earlyCuts;
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
    /** Kafka timestamp (producer's CreateTime, or the broker's LogAppendTime) of the last record applied; -1 before the first. */
    public long lastRecordTimestampMs() { return lastRecordTimestampMs; }

    /**
     * Kafka timestamp (ms) of the oldest record this consumer applied whose samples are not yet durable
     * in every flush group (the record after the lowest checkpoint: where a crash would replay from),
     * or a little older (see {@link RecordTimeline}); -1 when everything applied is durable. Kafka's
     * retention must not reach it, or a crash loses it.
     */
    public long oldestUnflushedTimestampMs() { return oldestUnflushedTimestampMs; }

    /** Age of {@link #oldestUnflushedTimestampMs()} at {@code nowMs} in seconds; 0 when everything applied is durable. */
    public double oldestUnflushedAgeSeconds(long nowMs) {
        long ts = oldestUnflushedTimestampMs;
        return ts < 0 ? 0 : Math.max(0, nowMs - ts) / 1000.0;
    }

    /**
     * Consumer lag in time, as Burrow and kafka-lag-exporter define it: how old the oldest record not
     * yet applied is. Approximated from what this consumer knows: {@code nowMs} minus the Kafka
     * timestamp of the last record applied while {@link #lag()} is above 0 (an upper bound: the next
     * record is at least that old), 0 when caught up (lag 0 records), -1 while unknown (lag unknown,
     * or records behind but none applied yet by this consumer). Grows while the consumer is stuck
     * (paused, failing) and records wait; stays 0 when nothing is written.
     */
    public double lagSeconds(long nowMs) {
        long records = lag;
        if (records < 0) return -1;
        if (records == 0) return 0;
        long ts = lastRecordTimestampMs;
        return ts < 0 ? -1 : Math.max(0, nowMs - ts) / 1000.0;
    }
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
    /** Paused over the memory budget with nothing left to flush for a while: stalled until the budget is raised. */
    public boolean stuck() { return stuck; }

    /**
     * What Kafka's retention threatens, in ms at {@code nowMs}: the age of the oldest unflushed record,
     * or while paused with records waiting ({@link #lag()} above 0), the age of the last record applied
     * (the unread ones are at most that old), whichever is older; 0 when nothing is at risk.
     */
    public long atRiskAgeMs(long nowMs) {
        long age = Math.round(oldestUnflushedAgeSeconds(nowMs) * 1000);
        if (paused && lag > 0 && lastRecordTimestampMs >= 0) age = Math.max(age, nowMs - lastRecordTimestampMs);
        return Math.max(0, age);
    }
    public boolean running() { return running; }
    public int seriesCount() { return seriesCount; }
    public long memoryUsedBytes() { return memoryUsedBytes; }
    public long memoryBudgetBytes() { return memoryBudgetBytes; }
    /** Times the store cut its write buffers early to free its budget (see MemShard.cutEarly). */
    public long earlyCuts() { return earlyCuts; }
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
