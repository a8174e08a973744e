package dev.strata.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A single Cassandra node.
 *
 * @param dataDir      everything of this node lives here: {@code data/} (cassandra.storagedir: data,
 *                     commitlog, hints, saved caches), {@code conf/}, {@code triggers/}, {@code server.log},
 *                     {@code server.pid}
 * @param clusterName  cluster_name; a data directory keeps the name it was created with
 * @param host         listen and rpc address (an IP literal)
 * @param nativePort   CQL port
 * @param storagePort  inter-node (gossip) port
 * @param heap         -Xmx of the node JVM, e.g. "512m" (256m gave write timeouts under batch load)
 * @param java         java executable: Cassandra 5.0 runs on Java 11 or 17 only
 * @param classpath    node classpath (see {@link RuntimeClasspath#cassandra})
 * @param startTimeout how long a start (including commitlog replay after a crash) may take
 * @param extraJvmOptions appended to the node's JVM options (tests use C1-only JIT to start cheaper)
 */
public record CassandraServerConfig(Path dataDir, String clusterName, String host, int nativePort, int storagePort,
                                    String heap, Path java, String classpath, Duration startTimeout,
                                    List<String> extraJvmOptions) {

    public static final int DEFAULT_NATIVE_PORT = 9042;
    public static final int DEFAULT_STORAGE_PORT = 7000;

    public CassandraServerConfig {
        dataDir = dataDir.toAbsolutePath().normalize();
        extraJvmOptions = List.copyOf(extraJvmOptions);
        Ports.check("cassandra native port", nativePort);
        Ports.check("cassandra storage port", storagePort);
        if (nativePort == storagePort) {
            throw new IllegalArgumentException("cassandra native and storage ports are both " + nativePort);
        }
        if (!clusterName.matches("[A-Za-z0-9 _-]+")) {
            throw new IllegalArgumentException("cassandra cluster name must be letters, digits, space, _ or -: " + clusterName);
        }
    }

    /** Defaults: cluster "strata", 127.0.0.1, 512 MB heap, the running JVM's java, 180 s start timeout. */
    public static CassandraServerConfig of(Path dataDir, int nativePort, int storagePort, String classpath) {
        return new CassandraServerConfig(dataDir, "strata", "127.0.0.1", nativePort, storagePort, "512m",
                JavaCommand.currentJava(), classpath, Duration.ofSeconds(180), List.of());
    }

    /** host:port of the CQL endpoint. */
    public String contactPoint() {
        return host + ":" + nativePort;
    }
}
