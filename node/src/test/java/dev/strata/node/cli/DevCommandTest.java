package dev.strata.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class DevCommandTest {

    @Test
    void theNodeConfigurationCarriesTheStacksEndpoints() {
        Path dir = Path.of("/tmp/it's here/node");
        String yaml = DevCommand.nodeYaml(new DevCommand.NodeEndpoints("localhost:19092", "127.0.0.1:19042", 9191, dir));
        Map<String, Object> config = new Yaml().load(yaml);
        assertEquals(Map.of("port", 9191), config.get("http"));
        assertEquals(Map.of("dir", dir.resolve("data").toString()), config.get("data"));
        assertEquals(Map.of("bootstrap", List.of("localhost:19092")), config.get("kafka"));
        assertEquals(Map.of("contact-points", List.of("127.0.0.1:19042")), config.get("cassandra"));
    }

    @Test
    void aClusterNodesConfigurationUsesDynamicMembership() {
        Path dir = Path.of("/tmp/d/node-1");
        String yaml = DevCommand.nodeYaml(new DevCommand.NodeEndpoints("localhost:19092", "127.0.0.1:19042", 9091, dir),
                new DevCommand.Placement(1, 3, 2, Path.of("/tmp/d/cluster-secret")));
        Map<String, Object> config = new Yaml().load(yaml);
        assertEquals(Map.of("ordinal", 1), config.get("node"));
        // No cluster.nodes and no cluster.peers: the nodes find each other in Cassandra. The same cluster
        // section on every node (a free port, announced at 127.0.0.1), so a copied file joins as is.
        assertEquals(Map.of("replicas", 2, "port", 0, "advertise-address", "127.0.0.1", "heartbeat-interval", "1s",
                        "failure-timeout", "5s", "leave-timeout", "10s", "secret-file", "/tmp/d/cluster-secret"),
                config.get("cluster"));
        assertEquals(Map.of("port", 9091), config.get("http"));
        String other = DevCommand.nodeYaml(new DevCommand.NodeEndpoints("localhost:19092", "127.0.0.1:19042", 9092, Path.of("/tmp/d/node-2")),
                new DevCommand.Placement(2, 3, 2, Path.of("/tmp/d/cluster-secret")));
        assertEquals(config.get("cluster"), new Yaml().<Map<String, Object>>load(other).get("cluster"));
    }

    @Test
    void theClusterSecretIsGeneratedOnceOwnerOnlyAndKept(@org.junit.jupiter.api.io.TempDir Path base) throws Exception {
        Path secret = DevCommand.clusterSecret(base);
        String first = java.nio.file.Files.readString(secret);
        assertEquals(65, first.length(), "32 random bytes in hex and a newline");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(secret)));
        assertEquals(first, java.nio.file.Files.readString(DevCommand.clusterSecret(base)), "a second run reuses it");
    }

    @Test
    void badClusterShapesAreUsageErrors() {
        assertTrue(assertThrows(UsageException.class, () -> new DevCommand().run(new String[] {"--nodes", "2", "--replicas", "3"}))
                .getMessage().contains("--replicas 3 exceeds --nodes 2"));
        assertThrows(UsageException.class, () -> new DevCommand().run(new String[] {"--nodes", "0"}));
        assertThrows(UsageException.class, () -> new DevCommand().run(new String[] {"--nodes", "x"}));
        assertTrue(assertThrows(UsageException.class, () -> new DevCommand().run(new String[] {"--nodes", "3", "--port", "9090", "--kafka-port", "9092"}))
                .getMessage().contains("port 9092 is used twice"));
    }

    @Test
    void collidingPortsAreAUsageError() {
        UsageException e = assertThrows(UsageException.class,
                () -> new DevCommand().run(new String[] {"--port", "9092"}));
        assertTrue(e.getMessage().contains("port 9092 is used twice"), e.getMessage());
    }

    @Test
    void everyCommandHasRealHelp() {
        for (Command c : List.of(new DevCommand(), new KafkaCommand(), new CassandraCommand())) {
            assertTrue(c.help().startsWith("Usage: strata " + c.name()), c.name());
            assertTrue(c.help().contains("--data DIR") && c.help().contains("--port N"), c.name());
            assertTrue(c.summary().length() < 70, c.name());
        }
    }

    @Test
    void badOptionsFailBeforeAnythingStarts() {
        assertThrows(UsageException.class, () -> new KafkaCommand().run(new String[] {"--port", "0"}));
        assertThrows(UsageException.class,
                () -> new KafkaCommand().run(new String[] {"--port", "19092", "--controller-port", "19092"}));
        assertThrows(UsageException.class,
                () -> new CassandraCommand().run(new String[] {"--port", "19042", "--storage-port", "19042"}));
        assertThrows(UsageException.class, () -> new CassandraCommand().run(new String[] {"--java", "/no/such/java"}));
    }
}
