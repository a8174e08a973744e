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
 * Cassandra for all of them).
 *
 * <p>A shard that no owner reports (none has it open, e.g. a node restarted while Cassandra is down
 * cannot read its checkpoints, or its owners are down) is not consumed, so its records only age: the
 * guard keeps its last known age and lets it grow with wall time ({@link #carry}); a shard never
 * measured since this guard started counts from that start. The second is a lower bound of the true
 * age (records may have waited before), short by at most the age the shard had when its owner
 * stopped reporting, which the guard kept under its limit; so with {@code ingest.retention-guard-percent}
 * at most 50 (the default), writes to a shard that stays unreported are refused before any record
 * accepted after the refusal could be deleted by retention. It also means a shard that takes longer
 * than the limit to open refuses writes until it is open. {@link #refusal} reads the last refresh:
 * cheap, any thread.
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
    /** Per cluster shard: true if no owner reported it in the last refresh (its age is carried, see {@link #carry}). */
    private volatile boolean[] unreported;
    private final boolean[] refusing;
    /** The shards this node holds (from the last refresh): the ones readiness answers for. */
    private volatile java.util.Set<Integer> held = java.util.Set.of();
    /** Per shard: the last age an owner reported, and the wall-clock ms when (the guard's start before any); refresh thread only. */
    private final long[] lastAgeMs;
    private final long[] lastAtMs;
    private final java.util.function.LongSupplier clock;

    /**
     * @param percent   of {@code retention} an unflushed record may reach before its shard's writes are
     *                  refused; 0 disables the guard
     * @param retention the samples topic's retention ({@code kafka.retention})
     */
    public RetentionGuard(ClusterTopology topology, LocalShards local, PeerClient peers, int percent, Duration retention) {
        this(topology, local, peers, percent, retention, System::currentTimeMillis);
    }

    /** @param clock wall-clock ms (tests pass their own) */
    RetentionGuard(ClusterTopology topology, LocalShards local, PeerClient peers, int percent, Duration retention,
                   java.util.function.LongSupplier clock) {
        this.clock = clock;
        this.topology = topology;
        this.local = local;
        this.peers = peers;
        this.percent = percent;
        this.retention = retention;
        this.limitMs = retention.toMillis() / 100 * percent;
        long[] unknown = new long[topology.shardCount()];
        Arrays.fill(unknown, -1);
        this.agesMs = unknown;
        this.unreported = new boolean[topology.shardCount()];
        this.refusing = new boolean[topology.shardCount()];
        this.lastAgeMs = new long[topology.shardCount()];
        this.lastAtMs = new long[topology.shardCount()];
        Arrays.fill(lastAtMs, clock.getAsLong());
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
        String age = unreported[shard]
                ? "no owner has it open (its last known unflushed age grown by the time since), so its oldest record not yet"
                        + " flushed to Cassandra is at least " + ages[shard] / 1000 + " s old"
                : "its oldest record not yet flushed to Cassandra is " + ages[shard] / 1000 + " s old";
        return "shard " + shard + ": " + age + ", over " + limitMs / 1000 + " s (ingest.retention-guard-percent=" + percent + "% of kafka.retention="
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
            boolean[] missing = new boolean[ages.length];
            for (int s = 0; s < ages.length; s++) missing[s] = ages[s] < 0;
            carry(ages, lastAgeMs, lastAtMs, clock.getAsLong());
            unreported = missing;
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

    /**
     * Shards reported now ({@code ages[s] >= 0}) are remembered with {@code nowMs}; a shard no owner
     * reported gets its last remembered age plus the wall time since ({@code lastAtMs} starts at the
     * guard's start, {@code lastAgeMs} at 0): a shard nobody consumes only gets older.
     */
    static void carry(long[] ages, long[] lastAgeMs, long[] lastAtMs, long nowMs) {
        for (int s = 0; s < ages.length; s++) {
            if (ages[s] >= 0) {
                lastAgeMs[s] = ages[s];
                lastAtMs[s] = nowMs;
            } else {
                ages[s] = lastAgeMs[s] + Math.max(0, nowMs - lastAtMs[s]);
            }
        }
    }

    /** The age the guard holds for {@code shard} after the last refresh, in ms (-1 before the first). */
    long ageMs(int shard) {
        return agesMs[shard];
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
