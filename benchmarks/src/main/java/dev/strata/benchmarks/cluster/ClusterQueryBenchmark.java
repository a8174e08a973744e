package dev.strata.benchmarks.cluster;

import dev.strata.query.engine.QueryResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of pushed-down queries asked of node 0 of a 3-node in-process cluster (8 shards, R=2,
 * {@link ClusterNodes}), against one node holding the same data ({@code single}): instant queries at the
 * last scrape over {@code series} counters (21 scrapes, 10 jobs). {@code mode}: {@code single} (the engine over all
 * shards in this JVM), {@code cluster} (partial queries at once) or {@code sequential} (partial queries one
 * after another, as before they ran at once); {@code answerDelayMs} holds every answer to a pushed-down
 * query that long (the latency of a network or a busy peer: partial queries at once wait for it once,
 * one after another once each; meaningless for {@code single}). Aux counters per query: {@code bytesIn} received by node 0
 * from the other nodes, {@code promSamples} Prometheus's "samples" statistic (equal in all modes).
 * All nodes share this JVM's cores, so the cluster/single ratio shows the protocol's overhead, not a
 * real cluster's speedup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
public class ClusterQueryBenchmark {
    @Param({"single", "cluster", "sequential"})
    public String mode;

    @Param({"sum by (job) (rate(m[5m]))", "avg by (job) (rate(m[5m]))"})
    public String query;

    /** Counters in the data set (10 jobs); few make the answer delay dominate the latency. */
    @Param({"10000"})
    public int series;

    /** How long every node holds its answers to pushed-down queries (a stand-in for network and peer latency). */
    @Param({"0", "50"})
    public long answerDelayMs;

    private ClusterNodes nodes;
    private long time;

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Moved {
        public long bytesIn;
        public long promSamples;
        public long queries;
    }

    @Setup(Level.Trial)
    public void setup() throws Exception {
        int samples = 21;
        nodes = new ClusterNodes(3, 8, 2, series, samples, mode.equals("sequential"), answerDelayMs);
        time = (samples - 1) * ClusterNodes.SCRAPE;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        nodes.close();
    }

    @Benchmark
    public QueryResult instant(Moved moved) {
        long before = nodes.clients.get(0).bytesReceived();
        QueryResult r = mode.equals("single") ? nodes.single.instant(query, time, nodes.options)
                : nodes.evaluators.get(0).instant(query, time, nodes.options);
        moved.bytesIn += nodes.clients.get(0).bytesReceived() - before;
        moved.promSamples += r.stats().totalQueryableSamples();
        moved.queries++;
        return r;
    }
}
