package dev.strata.ingest.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Strata's chunk bytes at rest: the sum of the {@code data} blobs of every live row of a keyspace's
 * {@code chunks} table, read with a paged full scan (docs/format/cassandra.md). Cassandra resolves
 * the versioned overwrites (a write buffer flushed again as it grows lands on the same key: only the
 * fullest version is live), so rewrites are not counted, while rows that overlap one another (a
 * partial snapshot that started elsewhere than the final chunk) are: they are stored. Cassandra's
 * own per-row key columns and SSTable framing are not counted, as VictoriaMetrics' index is not.
 * Used by {@code strata bench compare --strata-cassandra HOST:PORT}; opens a session per reading.
 */
final class ChunkBytesAtRest {
    private final String host;
    private final int port;
    private final String keyspace;
    private final String datacenter;

    ChunkBytesAtRest(String hostPort, String keyspace, String datacenter) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) throw new IllegalArgumentException("--strata-cassandra " + hostPort + ": expected HOST:PORT");
        this.host = hostPort.substring(0, colon);
        try {
            this.port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--strata-cassandra " + hostPort + ": expected HOST:PORT");
        }
        if (!keyspace.matches("[a-zA-Z][a-zA-Z0-9_]{0,47}")) throw new IllegalArgumentException("--strata-keyspace " + keyspace + ": not a keyspace name");
        this.keyspace = keyspace;
        this.datacenter = datacenter;
    }

    /** Sum of the chunk blobs' lengths over the live rows now. */
    long bytes() throws IOException {
        try (CqlSession session = CqlSession.builder().addContactPoint(new InetSocketAddress(host, port)).withLocalDatacenter(datacenter)
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(60))
                        .withString(DefaultDriverOption.SESSION_NAME, "strata-bench-compare").build())
                .build()) {
            long total = 0;
            for (Row r : session.execute(SimpleStatement.newInstance("SELECT data FROM " + keyspace + ".chunks").setPageSize(2000))) {
                ByteBuffer data = r.getByteBuffer(0);
                if (data != null) total += data.remaining();
            }
            return total;
        } catch (RuntimeException e) {
            throw new IOException("Strata: cannot read the chunks table of keyspace " + keyspace + " at " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }
}
