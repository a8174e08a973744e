package dev.strata.query.distributed;

import dev.strata.query.storage.LocalShardsQueryable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The shards this node holds, as the cluster layer sees them. Thread safe. */
public interface LocalShards {
    /** Open here and caught up with the partition's end offset at open. */
    boolean isReady(int shard);

    /** The open shards among {@code shards}. */
    List<LocalShardsQueryable.Shard> open(Set<Integer> shards);

    /** Every owned shard's progress (key = shard), in shard order. */
    Map<Integer, ShardProgress> progress();

    /**
     * @param open     the shard is open (its consumer started)
     * @param position next offset to read
     * @param target   the partition's end offset when the shard opened (ready once position >= target)
     * @param running  the consumer loop is running
     * @param lag      records behind the partition's latest end offset (-1 unknown)
     * @param unflushedAgeMs age of the oldest record Kafka's retention threatens: applied but not yet durable
     *                 in Cassandra, or waiting unread behind a paused consumer (0: none, -1 unknown: not
     *                 open), for the retention guard
     */
    record ShardProgress(boolean open, long position, long target, boolean running, long lag, long unflushedAgeMs) {
        public boolean ready() {
            return open && running && position >= target;
        }
    }
}
