package dev.strata.benchmarks;

import dev.strata.index.Matcher;
import dev.strata.index.ShardIndex;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.roaringbitmap.RoaringBitmap;

/**
 * Label-index lookups on a committed ~1M-series shard index (see {@link LabelSetGenerator}).
 * Targets (issue 4): name+job lookup returning <= 100 series >= 50k ops/s; instance=~"host-1.*" >= 2k
 * ops/s; label values of instance < 20 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class LabelIndexQueryBenchmark {
    private static final long MIN = Long.MIN_VALUE, MAX = Long.MAX_VALUE;

    private final List<Matcher> nameAndJob = List.of(
            Matcher.eq("__name__", "kube_deployment_status_replicas"), Matcher.eq("job", "kube-state-metrics"));
    private final List<Matcher> instancePrefix = List.of(Matcher.re("instance", "host-1.*"));
    private final List<Matcher> nameAndInstanceGeneral = List.of(
            Matcher.eq("__name__", "node_memory_m3_bytes"), Matcher.re("instance", "host-1[0-9]*:9100"));
    private final List<Matcher> podRegexWithinNamespace = List.of(Matcher.eq("__name__", "container_memory_rss"),
            Matcher.eq("namespace", "ns-7"), Matcher.re("pod", "deploy-47-.*"), Matcher.neq("container", "sidecar"));

    private ShardIndex index;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        index = CachedLabelIndex.openOrBuild(LabelSetGenerator.oneMillion());
        System.out.printf("%nseries=%d nameAndJob=%d instancePrefix=%d nameAndInstanceGeneral=%d podRegex=%d instances=%d%n",
                index.seriesCount(), index.select(nameAndJob, MIN, MAX).getCardinality(),
                index.select(instancePrefix, MIN, MAX).getCardinality(),
                index.select(nameAndInstanceGeneral, MIN, MAX).getCardinality(),
                index.select(podRegexWithinNamespace, MIN, MAX).getCardinality(),
                index.labelValues("instance", List.of(), MIN, MAX).size());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        index.close();
    }

    @Benchmark
    public RoaringBitmap selectNameAndJob() {
        return index.select(nameAndJob, MIN, MAX);
    }

    @Benchmark
    public RoaringBitmap selectInstancePrefixRegex() {
        return index.select(instancePrefix, MIN, MAX);
    }

    @Benchmark
    public RoaringBitmap selectNameAndInstancePrefixRegex() {
        return index.select(List.of(Matcher.eq("__name__", "node_misc_1"), Matcher.re("instance", "host-1.*")), MIN, MAX);
    }

    @Benchmark
    public RoaringBitmap selectNameAndInstanceGeneralRegex() {
        return index.select(nameAndInstanceGeneral, MIN, MAX);
    }

    @Benchmark
    public RoaringBitmap selectPodRegexInNamespace() {
        return index.select(podRegexWithinNamespace, MIN, MAX);
    }

    @Benchmark
    public List<String> labelValuesInstance() {
        return index.labelValues("instance", List.of(), MIN, MAX);
    }

    @Benchmark
    public List<String> labelValuesInstanceOfMetric() {
        return index.labelValues("instance", List.of(Matcher.eq("__name__", "node_misc_1")), MIN, MAX);
    }
}
