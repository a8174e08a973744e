package dev.strata.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.util.Locale;

/**
 * Creates Strata's keyspace and tables idempotently ({@code IF NOT EXISTS}) and applies the configured
 * retention as the chunk table's default TTL on every start (so a changed retention takes effect).
 *
 * <p>Tables (see docs/format/cassandra.md for the full contract):
 * <ul>
 *   <li>{@code chunks ((shard, series, bucket), start_ms, epoch)}: one row per chunk (and writer epoch); a partition
 *       holds one series for one day, so partitions stay bounded; TimeWindowCompactionStrategy with
 *       one-day windows and a TTL equal to the retention.</li>
 *   <li>{@code series_keys ((shard, part), series)}: every series of a shard, spread over
 *       {@link SeriesKeyTable#PARTS} partitions; used to rebuild the label index.</li>
 *   <li>{@code checkpoints ((shard), flush_group)}: the Kafka offset up to which a flush group's
 *       samples are durable, with the topic id of the log it counts in and the flush-group count.</li>
 *   <li>{@code metric_metadata ((metric), entry)}: each metric family's distinct (type, unit, help) entries
 *       ({@link MetricMetadataTable}).</li>
 *   <li>{@code members ((cluster), ordinal)} and {@code cluster_assignment ((cluster))}: cluster membership
 *       (TTL'd heartbeats) and the shard assignment in force (changed only by lightweight transactions);
 *       written and read by the node's membership, contract in docs/format/membership.md.</li>
 * </ul>
 */
public final class CassandraSchema {
    private CassandraSchema() {}

    /**
     * @param replication a CQL replication map, e.g. {@code {'class':'SimpleStrategy','replication_factor':1}}
     * @param retention   chunk TTL; must be at least one second
     */
    public static void create(CqlSession session, String keyspace, String replication, Duration retention) {
        if (!keyspace.matches("[a-zA-Z][a-zA-Z0-9_]{0,47}")) {
            throw new IllegalArgumentException("invalid Cassandra keyspace name \"" + keyspace + "\"");
        }
        long ttl = retention.toSeconds();
        if (ttl < 1 || ttl > 630_720_000L) { // Cassandra's maximum TTL is 20 years
            throw new IllegalArgumentException("retention must be between 1s and 20y, got " + retention);
        }
        exec(session, "CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = " + replication);
        exec(session, "CREATE TABLE IF NOT EXISTS " + keyspace + ".chunks ("
                + "shard int, series bigint, bucket int, start_ms bigint, epoch bigint, end_ms bigint, samples int, data blob, "
                + "PRIMARY KEY ((shard, series, bucket), start_ms, epoch)) WITH CLUSTERING ORDER BY (start_ms ASC, epoch ASC)"
                + " AND compaction = {'class':'TimeWindowCompactionStrategy',"
                + " 'compaction_window_unit':'DAYS', 'compaction_window_size':1}");
        // ALTER is a schema change (the driver waits for schema agreement): only when the TTL differs.
        Row current = session.execute(SimpleStatement.newInstance(
                "SELECT default_time_to_live FROM system_schema.tables WHERE keyspace_name = ? AND table_name = 'chunks'",
                keyspace.toLowerCase(Locale.ROOT)).setTimeout(Duration.ofSeconds(30))).one(); // unquoted names are folded
        if (current == null || current.getInt(0) != ttl) {
            exec(session, "ALTER TABLE " + keyspace + ".chunks WITH default_time_to_live = " + ttl);
        }
        exec(session, "CREATE TABLE IF NOT EXISTS " + keyspace + ".series_keys ("
                + "shard int, part int, series bigint, series_id int, labels blob, first_ms bigint, last_ms bigint, "
                + "PRIMARY KEY ((shard, part), series))");
        exec(session, "CREATE TABLE IF NOT EXISTS " + keyspace + ".checkpoints ("
                + "shard int, flush_group int, kafka_offset bigint, topic_id text, flush_groups int, updated_ms bigint, "
                + "PRIMARY KEY ((shard), flush_group))");
        exec(session, "CREATE TABLE IF NOT EXISTS " + keyspace + ".metric_metadata ("
                + "metric text, entry bigint, type text, unit text, help text, updated_ms bigint, "
                + "PRIMARY KEY ((metric), entry))");
        createMembershipTables(session, keyspace);
        // Keyspaces created before checkpoints named their log and layout get the columns added.
        for (String column : new String[] {"topic_id text", "flush_groups int"}) {
            String name = column.substring(0, column.indexOf(' '));
            Row present = session.execute(SimpleStatement.newInstance("SELECT column_name FROM system_schema.columns"
                    + " WHERE keyspace_name = ? AND table_name = 'checkpoints' AND column_name = ?",
                    keyspace.toLowerCase(Locale.ROOT), name).setTimeout(Duration.ofSeconds(30))).one();
            if (present == null) exec(session, "ALTER TABLE " + keyspace + ".checkpoints ADD " + column);
        }
    }

    /**
     * The membership tables alone (docs/format/membership.md), in an existing keyspace; part of
     * {@link #create}. Instance, state, ready and heartbeat are written with a TTL by each heartbeat;
     * address and zone without, so a dead member stays listed.
     */
    public static void createMembershipTables(CqlSession session, String keyspace) {
        exec(session, "CREATE TABLE IF NOT EXISTS " + keyspace + ".members ("
                + "cluster text, ordinal int, instance text, address text, zone text, state text, ready text, "
                + "drained boolean, heartbeat bigint, PRIMARY KEY ((cluster), ordinal))");
        exec(session, "CREATE TABLE IF NOT EXISTS " + keyspace + ".cluster_assignment ("
                + "cluster text PRIMARY KEY, epoch bigint, assignment text, members text)");
    }

    /**
     * The keyspace's replication factor in {@code localDatacenter}: SimpleStrategy's
     * {@code replication_factor}, NetworkTopologyStrategy's entry for the datacenter (the largest entry
     * if it has none); 1 if the keyspace is unknown.
     */
    public static int replicationFactor(CqlSession session, String keyspace, String localDatacenter) {
        Row row = session.execute(SimpleStatement.newInstance("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?",
                keyspace.toLowerCase(Locale.ROOT)).setTimeout(Duration.ofSeconds(30))).one();
        if (row == null) return 1;
        java.util.Map<String, String> m = row.getMap(0, String.class, String.class);
        String rf = m.get("replication_factor");
        if (rf == null) rf = m.get(localDatacenter);
        if (rf != null) return Integer.parseInt(rf.replaceAll("[^0-9].*", ""));
        int max = 1;
        for (java.util.Map.Entry<String, String> e : m.entrySet()) {
            if (!e.getKey().equals("class") && e.getValue().matches("[0-9]+")) max = Math.max(max, Integer.parseInt(e.getValue()));
        }
        return max;
    }

    private static void exec(CqlSession session, String cql) {
        session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(30)));
    }
}
