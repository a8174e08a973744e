package dev.strata.benchmarks.cluster;

import dev.strata.store.concurrent.NamedThreads;
import dev.strata.index.ShardIndex;
import dev.strata.store.sharding.ShardMapper;
import dev.strata.query.distributed.ClusterQueryable;
import dev.strata.node.cluster.ClusterTopology;
import dev.strata.node.cluster.InternalRoutes;
import dev.strata.query.distributed.LocalShards;
import dev.strata.node.cluster.PeerAddresses;
import dev.strata.node.cluster.PeerClient;
import dev.strata.query.distributed.PushdownEvaluator;
import dev.strata.node.cluster.ShardOwnership;
import dev.strata.node.config.HttpSettings;
import dev.strata.node.http.HttpServer;
import dev.strata.node.http.Router;
import dev.strata.query.api.QueryEvaluator;
import dev.strata.query.engine.Engine;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.selfmetrics.MetricsRegistry;
import dev.strata.store.model.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * N cluster nodes in one JVM (no Kafka or Cassandra) and a single node over the same data, for
 * {@link ClusterQueryBenchmark}: each node holds the shards it owns (MemShard chunks + in-memory label
 * index), serves {@code /internal/v1/*} over Netty on loopback and evaluates with {@link PushdownEvaluator}
 * over {@link ClusterQueryable} and a real {@link PeerClient}, as a node process wires them.
 * The data: {@code series} counters {@code m{job="jobN",instance="iN"}} (10 jobs) every 15 s over
 * {@code samples} scrapes, random increments (seed 42), shard key {@code job}.
 */
final class ClusterNodes implements AutoCloseable {
    static final long SCRAPE = 15_000;

    final QueryOptions options = QueryOptions.defaults().withTimeoutMs(0);
    final QueryEvaluator single;
    final List<QueryEvaluator> evaluators = new ArrayList<>();
    final List<PeerClient> clients = new ArrayList<>();
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<ShardIndex> indexes = new ArrayList<>();
    private final List<ExecutorService> executors = new ArrayList<>();

    /**
     * @param sequential    partial queries run on the asking thread one after another (the behaviour before they ran at once)
     * @param answerDelayMs every node holds its answers to pushed-down queries this long (a stand-in for a
     *                      network or a busy peer), 0 for none
     */
    ClusterNodes(int nodes, int shards, int replicas, int series, int samples, boolean sequential, long answerDelayMs)
            throws Exception {

        ShardMapper mapper = new ShardMapper(shards, 1, new String[] {"job"});
        ShardOwnership ownership = new ShardOwnership(nodes, shards, replicas);
        List<Map<Integer, LocalShardsQueryable.Shard>> owned = new ArrayList<>();
        for (int o = 0; o < nodes; o++) {
            Map<Integer, LocalShardsQueryable.Shard> m = new TreeMap<>();
            for (int s : ownership.ownedBy(o)) m.put(s, shard(s));
            owned.add(m);
        }
        Map<Integer, LocalShardsQueryable.Shard> reference = new TreeMap<>();
        for (int s = 0; s < shards; s++) reference.put(s, shard(s));
        Random rnd = new Random(42);
        for (int i = 0; i < series; i++) {
            Labels l = Labels.of("__name__", "m", "job", "job" + (i % 10), "instance", "i" + i);
            int s = mapper.shard(l);
            long[] t = new long[samples];
            double[] v = new double[samples];
            double c = 0;
            for (int k = 0; k < samples; k++) {
                t[k] = k * SCRAPE;
                v[k] = c += rnd.nextInt(100);
            }
            append(reference.get(s), l, t, v);
            for (int o : ownership.owners(s)) append(owned.get(o).get(s), l, t, v);
        }
        for (LocalShardsQueryable.Shard s : reference.values()) s.memory().sealAll();
        for (Map<Integer, LocalShardsQueryable.Shard> m : owned) for (LocalShardsQueryable.Shard s : m.values()) s.memory().sealAll();
        single = QueryEvaluator.of(new Engine(new LocalShardsQueryable(new ArrayList<>(reference.values())), options));

        List<String> addresses = new ArrayList<>();
        List<LocalShards> locals = new ArrayList<>();
        for (int o = 0; o < nodes; o++) {
            LocalShards local = local(owned.get(o));
            locals.add(local);
            ExecutorService internal = executor(4, "bench-select-" + o);
            InternalRoutes routes = new InternalRoutes(local, internal, options);
            Router router = Router.builder()
                    .post(ClusterQueryable.SELECT_PATH, routes::select)
                    .post(PushdownEvaluator.QUERY_PATH, answerDelayMs == 0 ? routes::query : req -> routes.query(req)
                            .thenApplyAsync(r -> r, CompletableFuture.delayedExecutor(answerDelayMs, TimeUnit.MILLISECONDS)))
                    .build();
            HttpServer server = new HttpServer(new HttpSettings("127.0.0.1", 0, 1 << 24, Duration.ofSeconds(30), 1), router,
                    new MetricsRegistry());
            server.start();
            servers.add(server);
            addresses.add("127.0.0.1:" + server.port());
        }
        for (int o = 0; o < nodes; o++) {
            ClusterTopology topology = new ClusterTopology(o, ownership, new PeerAddresses(addresses, "", "default", nodes));
            PeerClient client = new PeerClient(topology.peers(), Duration.ofSeconds(5), Duration.ofSeconds(60));
            clients.add(client);
            ClusterQueryable data = new ClusterQueryable(topology, locals.get(o), client, mapper);
            ExecutorService partials = sequential ? new SameThreadExecutor() : executor(4, "bench-pushdown-" + o);
            executors.add(partials);
            evaluators.add(new PushdownEvaluator(QueryEvaluator.of(new Engine(data, options)), data, topology, locals.get(o), client,
                    partials));
        }
    }

    private LocalShardsQueryable.Shard shard(int s) {
        ShardIndex index = ShardIndex.inMemory(s);
        indexes.add(index);
        return new LocalShardsQueryable.Shard(index, new MemShard(s, MemShardOptions.defaults().withMemoryBudgetBytes(4L << 30)));
    }

    private static void append(LocalShardsQueryable.Shard shard, Labels l, long[] t, double[] v) {
        int id = shard.index().addSeries(l, t[0]);
        shard.memory().createSeries(id, l);
        for (int k = 0; k < t.length; k++) shard.memory().append(id, t[k], v[k]);
        shard.index().updateLastSampleTime(id, t[t.length - 1]);
    }

    private static LocalShards local(Map<Integer, LocalShardsQueryable.Shard> owned) {
        return new LocalShards() {
            @Override
            public boolean isReady(int shard) {
                return owned.containsKey(shard);
            }

            @Override
            public List<LocalShardsQueryable.Shard> open(Set<Integer> shards) {
                List<LocalShardsQueryable.Shard> out = new ArrayList<>();
                for (int s : shards) if (owned.containsKey(s)) out.add(owned.get(s));
                return out;
            }

            @Override
            public Map<Integer, ShardProgress> progress() {
                Map<Integer, ShardProgress> m = new TreeMap<>();
                for (int s : owned.keySet()) m.put(s, new ShardProgress(true, 1, 1, true, 0, 0));
                return m;
            }
        };
    }

    private ExecutorService executor(int threads, String prefix) {
        ExecutorService e = NamedThreads.fixedPool(threads, prefix);
        executors.add(e);
        return e;
    }

    /** Runs each task on the submitting thread: partial queries one after another. */
    private static final class SameThreadExecutor extends java.util.concurrent.AbstractExecutorService {
        private volatile boolean shutdown;

        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    @Override
    public void close() throws Exception {
        for (HttpServer s : servers) s.close();
        for (PeerClient c : clients) c.close();
        for (ExecutorService e : executors) e.shutdownNow();
        for (ShardIndex i : indexes) i.close();
    }
}
