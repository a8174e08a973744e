package dev.strata.store.sharding;

import dev.strata.store.model.Labels;
import java.util.Arrays;

/**
 * Maps a series to its shard (= Kafka partition). With {@code numShards = 2^B} and {@code spread = S}
 * (0 <= S <= B):
 * <pre>
 *   keyHash  = XXH64 over the shard-key labels   (= Labels.hashOf(shardKeyNames))
 *   fullHash = XXH64 over all labels              (= Labels.hash())
 *   shard    = (keyHash &amp; (2^(B-S) - 1))  |  ((fullHash &gt;&gt;&gt; (64-S)) &lt;&lt; (B-S))      (S &gt; 0)
 *   shard    =  keyHash &amp; (2^B - 1)                                                  (S = 0)
 * </pre>
 * So all series sharing shard-key values land on the 2^S shards whose low B-S bits are
 * {@code keyHash}'s, chosen by the top S bits of the full hash; a query naming the shard-key values
 * only needs those shards ({@link #shardsForKeyHash}). See docs/sharding.md. Immutable, thread safe.
 */
public final class ShardMapper {
    private final int numShards;
    private final int bits;
    // Defaults, declared once: the node's keys shards, ingest.spread and ingest.shard-key and the
    // ingest benchmark use these, so a benchmark run encodes exactly as a node with default settings.
    public static final int DEFAULT_SHARDS = 8;
    public static final int DEFAULT_SPREAD = 1;
    public static final String DEFAULT_SHARD_KEY = "__name__";

    private final int spread;
    private final int lowBits;
    private final long lowMask;
    private final String[] shardKeyNames;

    /**
     * @param numShards     power of two, 1..2^16
     * @param spread        0..log2(numShards): a shard key's series cover 2^spread shards
     * @param shardKeyNames label names that form the shard key (default {@code __name__})
     */
    public ShardMapper(int numShards, int spread, String... shardKeyNames) {
        if (numShards < 1 || numShards > 65536 || Integer.bitCount(numShards) != 1) {
            throw new IllegalArgumentException("number of shards must be a power of two in 1..65536, got " + numShards);
        }
        this.numShards = numShards;
        this.bits = Integer.numberOfTrailingZeros(numShards);
        if (spread < 0 || spread > bits) {
            throw new IllegalArgumentException("spread must be in 0.." + bits + " for " + numShards + " shards, got " + spread);
        }
        if (shardKeyNames.length == 0) throw new IllegalArgumentException("at least one shard-key label name is needed");
        this.spread = spread;
        this.lowBits = bits - spread;
        this.lowMask = (1L << lowBits) - 1;
        this.shardKeyNames = shardKeyNames.clone();
        Arrays.sort(this.shardKeyNames);
    }

    public static ShardMapper byMetricName(int numShards, int spread) {
        return new ShardMapper(numShards, spread, Labels.METRIC_NAME);
    }

    public int numShards() { return numShards; }
    public int spread() { return spread; }

    /** The shard-key label names, sorted (the order {@code Labels.hashOf} expects). */
    public String[] shardKeyNames() { return shardKeyNames.clone(); }

    public int shard(long keyHash, long fullHash) {
        long low = keyHash & lowMask;
        if (spread == 0) return (int) low;
        return (int) (low | ((fullHash >>> (64 - spread)) << lowBits));
    }

    public int shard(Labels labels) {
        return shard(labels.hashOf(shardKeyNames), labels.hash());
    }

    /** The 2^spread shards that may hold series whose shard-key hash is {@code keyHash}, ascending. */
    public int[] shardsForKeyHash(long keyHash) {
        int[] out = new int[1 << spread];
        long low = keyHash & lowMask;
        for (int i = 0; i < out.length; i++) out[i] = (int) (low | ((long) i << lowBits));
        return out;
    }

    /** The shards a query needs when it fixes all shard-key labels to the values in {@code keyLabels}. */
    public int[] shardsForKey(Labels keyLabels) {
        return shardsForKeyHash(keyLabels.hashOf(shardKeyNames));
    }

    /** True if {@code name} is one of the shard-key label names. */
    public boolean isShardKey(String name) {
        return Arrays.binarySearch(shardKeyNames, name) >= 0;
    }
}
