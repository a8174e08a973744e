package dev.strata.node.process;

import dev.strata.node.chaos.NodeProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.launch.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue #13, case 6: a node whose shards' memory budgets exceed what its heap can hold refuses to
 * start, naming the keys, instead of dying of OutOfMemoryError hours later under back-pressure. The
 * node is a separate process with the fault tests' 384 MiB heap; the check runs before it connects to
 * anything, so no Kafka or Cassandra is needed (the addresses point at closed ports).
 */
class NodeMemoryBudgetTest {
    @Test
    void aBudgetLargerThanTheHeapFailsTheStartNamingTheKeys() throws Exception {
        Path dir = FaultFixtures.tempDir("node-memory-budget").resolve("node");
        int[] ports = FreePorts.many(3);
        try (NodeProcess node = NodeProcess.start("strata-memory-budget", dir, ports[0], List.of("shards=8",
                "store.memory-budget-per-shard=256MiB", "kafka.bootstrap=127.0.0.1:" + ports[1],
                "cassandra.contact-points=127.0.0.1:" + ports[2]))) {
            int code = node.awaitExit(Duration.ofSeconds(60));
            String log = node.logText();
            assertEquals(2, code, "a configuration error exits with 2:\n" + node.logTail());
            assertTrue(log.contains("store.memory-budget-per-shard=256MiB x 8 owned shards = 2048MiB exceeds 50% of the JVM's"),
                    "the message names the key, the shards and the heap:\n" + log);
        }
    }
}
