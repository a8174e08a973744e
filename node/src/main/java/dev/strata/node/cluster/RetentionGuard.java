package dev.strata.node.cluster;

import dev.strata.ingest.gateway.ShardWriteGuard;
import dev.strata.query.distributed.LocalShards;
import dev.strata.store.concurrent.NamedThreads;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prevention of retention loss (issue #13, case 2a): when a shard's oldest unflushed record (the one a
 * crash would replay from Kafka) is older than {@code ingest.retention-guard-percent} of
 * {@code kafka.retention}, writes to that shard are refused (503 + Retry-After: senders buffer and
 * retry) until the flush to Cassandra catches up, instead of piling more records onto a log that Kafka
 * will delete before they are durable.
 *
 * <p>How every node knows every shard's age: each owner publishes its shards' ages in
 * {@code GET /internal/v1/shards} ({@link InternalRoutes}, 7th field, ms); this guard reads its own
 * shards locally and asks every other node every {@link #REFRESH} on its own thread (peer timeout).
 * A shard's age is the lowest among its owners that answered (what one owner made durable is in
 * Cassandra for all of them); a shard none of whose owners answered has no known age and is not
 * refused (the guard acts on measurements only; an owner that is down is reported elsewhere).
 * {@link #refusal} reads the last refresh: cheap, any thread.
 */
public final class RetentionGuard implements ShardWriteGuard, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionGuard.class);
    /** Not a setting: how often ages are refreshed; retention is minutes to days, a few seconds late is nothing. */
    static final Duration REFRESH = Duration.ofSeconds(2);

    private final ClusterTopology topology;
    private final LocalShards local;
    private final PeerClient peers;
    private final long limitMs;
    private final int percent;
    private final Duration retention;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.named("strata-retention-guard"));
    /** Per cluster shard: the lowest known owner age in ms, -1 unknown. Replaced whole by each refresh. */
    private volatile long[] agesMs;
    private final boolean[] refusing;
    /** The shards this node holds (from the last refresh): the ones readiness answers for. */
    private volatile java.util.Set<Integer> held = java.util.Set.of();

    /**
     * @param percent   of {@code retention} an unflushed record may reach before its shard's writes are
     *                  refused; 0 disables the guard
     * @param retention the samples topic's retention ({@code kafka.retention})
     */
    public RetentionGuard(ClusterTopology topology, LocalShards local, PeerClient peers, int percent, Duration retention) {
        this.topology = topology;
        this.local = local;
        this.peers = peers;
        this.percent = percent;
        this.retention = retention;
        this.limitMs = retention.toMillis() / 100 * percent;
        long[] unknown = new long[topology.shardCount()];
        Arrays.fill(unknown, -1);
        this.agesMs = unknown;
        this.refusing = new boolean[topology.shardCount()];
    }

    /**
     * In normal operation a record waits up to about one {@code flush.interval} for its group's flush, so
     * a guard limit below {@value #FLUSH_CYCLES_MIN} flush intervals would refuse writes on a healthy
     * node: refused at start, naming the keys.
     *
     * @throws dev.strata.node.config.ConfigException when the limit is that tight
     */
    public static void checkSettings(int percent, Duration retention, Duration flushInterval) {
        long limitMs = retention.toMillis() / 100 * percent;
        if (percent == 0 || limitMs >= FLUSH_CYCLES_MIN * flushInterval.toMillis()) return;
        throw new dev.strata.node.config.ConfigException("ingest.retention-guard-percent=" + percent + " of kafka.retention="
                + retention.toSeconds() + "s is " + limitMs / 1000 + "s, below " + FLUSH_CYCLES_MIN + " x flush.interval="
                + flushInterval.toSeconds() + "s: the retention guard would refuse writes while flushes are on time; raise "
                + "kafka.retention or ingest.retention-guard-percent, lower flush.interval, or set ingest.retention-guard-percent=0");
    }

    /** Flush intervals the guard's limit must span at least (see {@link #checkSettings}). */
    static final int FLUSH_CYCLES_MIN = 3;

    /** Starts the refresh timer (nothing to do when disabled). */
    public void start() {
        if (limitMs <= 0) return;
        timer.scheduleWithFixedDelay(this::refresh, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String refusal(int shard) {
        if (limitMs <= 0) return null;
        long[] ages = agesMs;
        if (shard < 0 || shard >= ages.length || ages[shard] <= limitMs) return null;
        return "shard " + shard + ": its oldest record not yet flushed to Cassandra is " + ages[shard] / 1000 + " s old, over "
                + limitMs / 1000 + " s (ingest.retention-guard-percent=" + percent + "% of kafka.retention="
                + retention.toSeconds() + " s): writes to it are refused until the flush catches up (is Cassandra down?)";
    }

    /** Why this node is not ready on the guard's account (one of its own shards refused), or null. Cheap. */
    public String readinessProblem() {
        for (int shard : held) {
            String why = refusal(shard);
            if (why != null) return "writes refused by the retention guard: " + why;
        }
        return null;
    }

    /** {@code states} with the guard's refusal appended to the state of each refused shard (status page, UI). */
    public Map<Integer, String> annotate(Map<Integer, String> states) {
        if (limitMs <= 0) return states;
        Map<Integer, String> out = new java.util.TreeMap<>(states);
        out.replaceAll((shard, state) -> {
            String why = refusal(shard);
            return why == null ? state : state + "; writes refused: " + why;
        });
        return out;
    }

    /** Reads the local shards' ages and asks every other node for theirs; then replaces {@link #agesMs}. */
    void refresh() {
        try {
            Map<Integer, CompletableFuture<Map<Integer, LocalShards.ShardProgress>>> asks = ClusterStatus.askPeers(topology, peers);
            long[] ages = new long[topology.shardCount()];
            Arrays.fill(ages, -1);
            Map<Integer, LocalShards.ShardProgress> here = local.progress();
            held = java.util.Set.copyOf(here.keySet());
            merge(ages, here);
            for (CompletableFuture<Map<Integer, LocalShards.ShardProgress>> f : asks.values()) {
                try {
                    merge(ages, f.join());
                } catch (RuntimeException e) {
                    // that node did not answer: its shards count with their other owners' ages only
                }
            }
            agesMs = ages;
            logChanges(ages);
        } catch (RuntimeException e) {
            LOG.warn("retention guard: refresh failed", e);
        }
    }

    /** The lowest known age per shard: what one owner made durable is durable for all. */
    static void merge(long[] ages, Map<Integer, LocalShards.ShardProgress> progress) {
        progress.forEach((shard, p) -> {
            if (shard < 0 || shard >= ages.length || p.unflushedAgeMs() < 0) return;
            ages[shard] = ages[shard] < 0 ? p.unflushedAgeMs() : Math.min(ages[shard], p.unflushedAgeMs());
        });
    }

    private void logChanges(long[] ages) {
        for (int s = 0; s < ages.length; s++) {
            boolean now = ages[s] > limitMs;
            if (now == refusing[s]) continue;
            refusing[s] = now;
            if (now) LOG.error("retention guard: {}", refusal(s));
            else LOG.info("retention guard: shard {} takes writes again (oldest unflushed record {} s old)", s,
                    Math.max(0, ages[s]) / 1000);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
