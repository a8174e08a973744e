package dev.strata.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Cassandra node (cassandra-all from Maven Central) in a forked JVM. Ready when the CQL port
 * accepts connections (the native transport starts last). SIGTERM flushes memtables; SIGKILL leaves
 * the commitlog to be replayed by the next start. Not thread-safe: one owner drives it.
 */
public final class CassandraServer extends ForkedServer {

    /** From upstream conf/jvm17-server.options: without them Cassandra cannot reach JDK internals on 17. */
    private static final List<String> JAVA17_ACCESS = List.of(
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED");

    private final CassandraServerConfig config;

    private CassandraServer(CassandraServerConfig config) {
        super(config.dataDir());
        this.config = config;
    }

    /** Writes the configuration, forks the node and waits until the CQL port accepts connections. */
    public static CassandraServer start(CassandraServerConfig config) throws InterruptedException {
        CassandraServer server = new CassandraServer(config);
        server.launch();
        return server;
    }

    public CassandraServerConfig config() {
        return config;
    }

    public String host() {
        return config.host();
    }

    public int port() {
        return config.nativePort();
    }

    @Override
    protected void launch() throws InterruptedException {
        Path dir = config.dataDir();
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("conf"));
            Files.createDirectories(dir.resolve("triggers"));
            Files.createDirectories(dir.resolve("logs"));
            Files.writeString(dir.resolve("conf/cassandra.yaml"), cassandraYaml(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("conf/logback.xml"), LOGBACK_XML, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare cassandra data directory " + dir, e);
        }
        ChildProcess child = ChildProcess.start("cassandra", command(), dir, log(), dir.resolve("server.pid"));
        child.awaitReady(Readiness.tcp(config.host(), config.nativePort()), config.startTimeout());
        process = child;
    }

    private JavaCommand command() {
        Path dir = config.dataDir();
        List<String> jvm = new ArrayList<>(List.of("-Xms" + config.heap(), "-Xmx" + config.heap(),
                "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                "-Djdk.attach.allowAttachSelf=true", "-Dio.netty.tryReflectionSetAccessible=true",
                "-Djava.net.preferIPv4Stack=true"));
        jvm.addAll(JAVA17_ACCESS);
        jvm.addAll(config.extraJvmOptions());
        jvm.addAll(List.of(
                "-Dcassandra-foreground=yes",
                "-Dcassandra.config=" + dir.resolve("conf/cassandra.yaml").toUri(),
                "-Dcassandra.storagedir=" + dir.resolve("data"),
                "-Dcassandra.logdir=" + dir.resolve("logs"),
                "-Dcassandra.triggers_dir=" + dir.resolve("triggers"),
                "-Dlogback.configurationFile=" + dir.resolve("conf/logback.xml").toUri(),
                "-Dcassandra.native_transport_port=" + config.nativePort(),
                "-Dcassandra.storage_port=" + config.storagePort(),
                // Startup and shutdown speed for a single local node; none of these trades durability.
                "-Dcassandra.memtable.row_overhead_size=180",
                "-Dcassandra.shutdown_announce_in_ms=0",
                "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                "-Dcassandra.ring_delay_ms=100",
                "-Dcassandra.superuser_setup_delay_ms=0"));
        return new JavaCommand(config.java(), jvm, config.classpath(),
                "org.apache.cassandra.service.CassandraDaemon", List.of());
    }

    String cassandraYaml() {
        String host = config.host();
        return String.join("\n",
                "# Generated by the Strata launcher at every start; edits are overwritten.",
                "cluster_name: '" + config.clusterName() + "'",
                "num_tokens: 1",
                "initial_token: 0",
                "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                "endpoint_snitch: SimpleSnitch",
                "seed_provider:",
                "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                "    parameters:",
                // No port in the seed: it follows storage_port, so a changed port cannot break gossip.
                "      - seeds: \"" + host + "\"",
                "listen_address: " + host,
                "rpc_address: " + host,
                "start_native_transport: true",
                "commitlog_sync: periodic",
                "commitlog_sync_period: 10000ms",
                "commitlog_segment_size: 8MiB",
                "memtable_heap_space: 64MiB",
                "memtable_offheap_space: 64MiB",
                "concurrent_compactors: 1",
                "authenticator: AllowAllAuthenticator",
                "authorizer: AllowAllAuthorizer",
                "dynamic_snitch: false",
                "auto_snapshot: false",
                "");
    }

    static final String LOGBACK_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- Generated by the Strata launcher: everything to stdout, which the launcher appends to server.log. -->
            <configuration scan="false">
              <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="STDOUT"/></root>
            </configuration>
            """;
}
