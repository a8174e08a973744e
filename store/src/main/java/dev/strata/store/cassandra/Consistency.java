package dev.strata.store.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.util.Locale;

/**
 * Consistency levels of Strata's Cassandra requests: chunk and series-key writes, checkpoint writes,
 * and reads (chunk paging, series-key listing, checkpoints). The flush writes a checkpoint only after
 * its chunk and series-key writes succeeded at {@link #write}, so a checkpoint never covers data that is
 * durable on fewer replicas than that level. With {@link #derive} the levels follow the keyspace's
 * replication factor: LOCAL_QUORUM from 3 replicas on (a lost replica neither stops writes nor loses
 * acknowledged ones, and quorum reads see quorum writes), ONE below (a single dev node; with two
 * replicas QUORUM would need both).
 */
public record Consistency(ConsistencyLevel write, ConsistencyLevel checkpoint, ConsistencyLevel read) {
    /** Every request at ONE: tests and a single node. */
    public static final Consistency ONE = new Consistency(DefaultConsistencyLevel.ONE, DefaultConsistencyLevel.ONE,
            DefaultConsistencyLevel.ONE);

    /** The defaults for a keyspace with {@code replicationFactor} replicas (in the local datacenter). */
    public static ConsistencyLevel derive(int replicationFactor) {
        return replicationFactor >= 3 ? DefaultConsistencyLevel.LOCAL_QUORUM : DefaultConsistencyLevel.ONE;
    }

    /**
     * A configured level: {@code auto} for {@link #derive}, else a level name such as {@code LOCAL_QUORUM}.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static ConsistencyLevel parse(String text, int replicationFactor) {
        if (text.equalsIgnoreCase("auto")) return derive(replicationFactor);
        return DefaultConsistencyLevel.valueOf(text.toUpperCase(Locale.ROOT));
    }
}
