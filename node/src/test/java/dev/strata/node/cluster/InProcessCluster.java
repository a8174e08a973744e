package dev.strata.node.cluster;

import dev.strata.query.distributed.ClusterMetadataSource;
import dev.strata.query.distributed.ClusterQueryable;
import dev.strata.query.distributed.LocalShards;
import dev.strata.query.distributed.PartialResponseEvaluator;
import dev.strata.query.distributed.PushdownEvaluator;
import dev.strata.query.distributed.PushdownRequest;
import dev.strata.query.distributed.SelectCodec;
import dev.strata.index.ShardIndex;
import dev.strata.store.sharding.ShardMapper;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A cluster of N nodes in this JVM without Kafka or Cassandra: every node holds in-memory copies of the
 * shards it owns (label index + memory), serves {@code /internal/v1/*} over a real Netty HTTP server, and
 * evaluates queries through {@link PushdownEvaluator} over {@link ClusterQueryable} with a real
 * {@link PeerClient}. A reference single "node" holds one more copy of every shard. Samples are placed
 * with the same {@link ShardMapper} the cluster prunes with. Shards can be marked not ready per node.
 */
final class InProcessCluster implements AutoCloseable {
    static final String[] SHARD_KEY = {"job"};

    final int shards;
    final ShardMapper mapper;
    final ShardOwnership ownership;
    final QueryOptions options;
    final List<Node> nodes = new ArrayList<>();
    private final Map<Integer, LocalShardsQueryable.Shard> reference = new TreeMap<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "test-internal");
        t.setDaemon(true);
        return t;
    });
    /** The nodes' executor of pushed-down partial queries (enough threads for the most partial queries a test query has). */
    private final ExecutorService partialExecutor = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "test-pushdown");
        t.setDaemon(true);
        return t;
    });

    /** Stands between a node's answer to a pushed-down query and its sending. */
    interface AnswerHook {
        java.util.concurrent.CompletableFuture<io.netty.handler.codec.http.FullHttpResponse> apply(PushdownRequest request,
                java.util.concurrent.CompletableFuture<io.netty.handler.codec.http.FullHttpResponse> answer);
    }

    /** One node: its shards, server, client and evaluators. */
    static final class Node implements LocalShards {
        final int ordinal;
        final Map<Integer, LocalShardsQueryable.Shard> owned = new TreeMap<>();
        final Set<Integer> notReady = ConcurrentHashMap.newKeySet();
        HttpServer server;
        /**
         * What this node does with its answers to pushed-down queries before sending them (tests hold or
         * fail them); by default it sends them as they are.
         */
        volatile AnswerHook pushdownAnswers = (request, answer) -> answer;
        PeerClient peers;
        ClusterQueryable data;
        QueryEvaluator evaluator;
        dev.strata.query.api.SeriesMetadataSource metadata;
        dev.strata.node.status.TsdbStatus tsdb;
        ClusterStatus status;
        dev.strata.node.status.ClusterOverview overview;

        Node(int ordinal) {
            this.ordinal = ordinal;
        }

        @Override
        public boolean isReady(int shard) {
            return owned.containsKey(shard) && !notReady.contains(shard);
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
            for (int s : owned.keySet()) m.put(s, new ShardProgress(true, 1, 1, !notReady.contains(s), 0, 0));
            return m;
        }

        /** Bytes this node received from other nodes so far. */
        long bytesReceived() {
            return peers.bytesReceived();
        }
    }

    InProcessCluster(int nodeCount, int shards, int replicas, QueryOptions options) throws Exception {
        this.shards = shards;
        this.mapper = new ShardMapper(shards, 1, SHARD_KEY);
        this.ownership = new ShardOwnership(nodeCount, shards, replicas);
        this.options = options;
        MemShardOptions memOptions = MemShardOptions.defaults();
        for (int s = 0; s < shards; s++) {
            reference.put(s, new LocalShardsQueryable.Shard(ShardIndex.inMemory(s), new MemShard(s, memOptions)));
        }
        List<String> addresses = new ArrayList<>();
        dev.strata.node.ui.UiAssets ui = new dev.strata.node.ui.UiAssets();
        for (int o = 0; o < nodeCount; o++) {
            Node n = new Node(o);
            for (int s : ownership.ownedBy(o)) {
                n.owned.put(s, new LocalShardsQueryable.Shard(ShardIndex.inMemory(s), new MemShard(s, memOptions)));
            }
            InternalRoutes internal = new InternalRoutes(n, executor, options);
            Router router = Router.builder()
                    .post(ClusterQueryable.SELECT_PATH, internal::select)
                    .post(PushdownEvaluator.QUERY_PATH, req -> n.pushdownAnswers.apply(
                            SelectCodec.decodePushdown(io.netty.buffer.ByteBufUtil.getBytes(req.content())), internal.query(req)))
                    .post(ClusterMetadataSource.METADATA_PATH, internal::metadata)
                    .post(dev.strata.node.status.TsdbStatus.INTERNAL_PATH, req -> n.tsdb.internal(req))
                    .get(InternalRoutes.SHARDS_PATH, internal::shards)
                    // What the UI's cluster page reads (ClusterPageBrowserTest), served by every node.
                    .get(dev.strata.node.status.ClusterOverview.INTERNAL_PATH, req -> n.overview.local(req))
                    .get("/api/v1/status/shards", req -> n.status.handle(req))
                    .get("/api/v1/status/cluster", req -> n.overview.cluster(req))
                    .get("/", ui::index)
                    .prefix(io.netty.handler.codec.http.HttpMethod.GET, "/ui/", ui::asset)
                    .build();
            n.server = new HttpServer(new HttpSettings("127.0.0.1", 0, 1 << 20, Duration.ofSeconds(30), 1), router,
                    new MetricsRegistry());
            n.server.start();
            addresses.add("127.0.0.1:" + n.server.port());
            nodes.add(n);
        }
        for (Node n : nodes) {
            ClusterTopology topology = new ClusterTopology(n.ordinal, ownership,
                    new PeerAddresses(addresses, "", "default", nodeCount));
            n.peers = new PeerClient(topology.peers(), Duration.ofSeconds(5), Duration.ofSeconds(30));
            n.data = new ClusterQueryable(topology, n, n.peers, mapper);
            n.evaluator = new PartialResponseEvaluator(new PushdownEvaluator(QueryEvaluator.of(new Engine(n.data, options)),
                    n.data, topology, n, n.peers, partialExecutor));
            n.metadata = new ClusterMetadataSource(topology, n, n.peers, mapper);
            n.tsdb = new dev.strata.node.status.TsdbStatus(topology, n, n.peers, executor);
            n.status = new ClusterStatus(topology, n, n.peers);
            // No Kafka consumers or flushes here: the per-shard consumer and flush figures are empty.
            n.overview = new dev.strata.node.status.ClusterOverview(topology, n.peers, List::of, java.util.Map::of, List::of,
                    System::currentTimeMillis);
        }
    }

    /** Appends one sample to the series' shard on every owner and on the reference. */
    void append(Labels labels, long t, double v) {
        int s = mapper.shard(labels);
        append(reference.get(s), labels, t, v);
        for (int o : ownership.owners(s)) append(nodes.get(o).owned.get(s), labels, t, v);
    }

    /** Appends one native histogram sample to the series' shard on every owner and on the reference. */
    void append(Labels labels, long t, dev.strata.store.model.FloatHistogram h) {
        int s = mapper.shard(labels);
        append(reference.get(s), labels, t, h);
        for (int o : ownership.owners(s)) append(nodes.get(o).owned.get(s), labels, t, h);
    }

    private static void append(LocalShardsQueryable.Shard shard, Labels labels, long t, dev.strata.store.model.FloatHistogram h) {
        int id = shard.index().addSeries(labels, t);
        shard.memory().createSeries(id, labels);
        shard.memory().append(id, t, 0, h);
        shard.index().updateLastSampleTime(id, t);
    }

    private static void append(LocalShardsQueryable.Shard shard, Labels labels, long t, double v) {
        int id = shard.index().addSeries(labels, t);
        shard.memory().createSeries(id, labels);
        shard.memory().append(id, t, v);
        shard.index().updateLastSampleTime(id, t);
    }

    /** The single-node answer: the engine over one copy of every shard. */
    QueryEvaluator single() {
        return QueryEvaluator.of(new Engine(new LocalShardsQueryable(new ArrayList<>(reference.values())), options));
    }

    List<LocalShardsQueryable.Shard> referenceShards() {
        return new ArrayList<>(reference.values());
    }

    @Override
    public void close() throws Exception {
        for (Node n : nodes) {
            n.server.close();
            n.peers.close();
        }
        executor.shutdownNow();
        partialExecutor.shutdownNow();
        for (LocalShardsQueryable.Shard s : reference.values()) s.index().close();
        for (Node n : nodes) for (LocalShardsQueryable.Shard s : n.owned.values()) s.index().close();
    }
}
