package dev.strata.query.distributed;

import dev.strata.index.Matcher;
import dev.strata.store.sharding.ShardMapper;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.query.storage.Queryable;
import dev.strata.query.storage.Series;
import dev.strata.store.model.Labels;
import java.util.List;

/**
 * The cluster's data as one {@link Queryable}. For a selector it
 * <ol>
 *   <li>picks the shards the series can live in: the shard group of the shard key when the matchers fix
 *       every shard-key label with {@code =} (to a non-empty value), else every shard;</li>
 *   <li>reads each shard from one ready owner, this node first when it owns the shard and is caught up,
 *       then the other owners in ownership order: one request per peer carrying all its shards
 *       (POST /internal/v1/select, docs/format/select.md), all peers in parallel;</li>
 *   <li>retries the shards a peer did not serve (not ready there) or could not answer (down, timeout)
 *       on their next owner;</li>
 *   <li>shards left without any answering owner are missing: with {@code partial_response=false} the
 *       query fails naming them, else they are recorded in the {@link QueryScope} for a warning.</li>
 * </ol>
 * A shard lives in exactly one Kafka partition, so shards never share a series and the merge is a sort.
 * The routing (owner choice, failover, missing shards) is {@link ShardRouter}'s.
 */
public final class ClusterQueryable implements Queryable {
    public static final String SELECT_PATH = "/internal/v1/select";

    private final ShardOwners topology;
    private final LocalShards local;
    private final PeerTransport peers;
    private final ShardMapper mapper;
    private final ShardRouter router;
    private final long maxSamples;

    public ClusterQueryable(ShardOwners topology, LocalShards local, PeerTransport peers, ShardMapper mapper) {
        this(topology, local, peers, mapper, 0);
    }

    /**
     * @param maxSamples the node's query.max-samples, sent with every select so an owner stops reading
     *                   once one select alone would fail the query (0: no limit); the owner stops at the
     *                   asker's work timeout too
     */
    public ClusterQueryable(ShardOwners topology, LocalShards local, PeerTransport peers, ShardMapper mapper,
                            long maxSamples) {
        this.maxSamples = maxSamples;
        this.topology = topology;
        this.local = local;
        this.peers = peers;
        this.mapper = mapper;
        this.router = new ShardRouter(topology, local, peers);
    }

    @Override
    public List<Series> select(List<Matcher> matchers, long minT, long maxT) {
        List<Series> out = router.gather(touchedShards(matchers),
                shards -> new LocalShardsQueryable(local.open(shards)).select(matchers, minT, maxT),
                (peer, shards) -> peers.post(peer, SELECT_PATH,
                        SelectCodec.encodeRequest(new SelectRequest(shards, matchers, minT, maxT,
                                peers.workTimeout().toMillis(), maxSamples))));
        out.sort((a, b) -> a.labels().compareTo(b.labels()));
        return out;
    }

    /** The shards a selector can touch (ascending). */
    int[] touchedShards(List<Matcher> matchers) {
        return touchedShards(mapper, topology.shardCount(), matchers);
    }

    /**
     * The shards a selector can touch (ascending): the shard group of the shard key when the matchers
     * fix every shard-key label with {@code =} to a non-empty value, else all {@code shardCount} shards.
     */
    static int[] touchedShards(ShardMapper mapper, int shardCount, List<Matcher> matchers) {
        String[] keyNames = mapper.shardKeyNames();
        String[] kv = new String[keyNames.length * 2];
        int found = 0;
        for (int i = 0; i < keyNames.length; i++) {
            for (Matcher m : matchers) {
                if (m.type() == Matcher.Type.EQ && m.name().equals(keyNames[i]) && !m.value().isEmpty()) {
                    kv[2 * i] = keyNames[i];
                    kv[2 * i + 1] = m.value();
                    found++;
                    break;
                }
            }
        }
        if (found == keyNames.length) {
            int[] group = mapper.shardsForKey(Labels.of(kv));
            java.util.Arrays.sort(group);
            return group;
        }
        int[] all = new int[shardCount];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return all;
    }
}
