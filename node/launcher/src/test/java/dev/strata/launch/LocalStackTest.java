package dev.strata.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `strata dev` relies on: both servers start, answer, and stopping leaves no process behind. */
class LocalStackTest {

    @Test
    void stoppingTheStackLeavesNoProcessBehind(@TempDir Path dir) throws Exception {
        KafkaServerConfig kafka = TestServers.kafka(dir.resolve("kafka"));
        CassandraServerConfig cassandra = TestServers.cassandra(dir.resolve("cassandra"));
        long t0 = System.nanoTime();
        LocalStack stack = LocalStack.start(kafka, cassandra);
        System.out.println("local stack (kafka + cassandra forked in parallel) ready in " + TestServers.millisSince(t0) + " ms");
        List<ProcessHandle> servers = List.of(stack.kafka().process().handle(), stack.cassandra().process().handle());
        try {
            assertTrue(FreePorts.accepts(kafka.host(), kafka.port()), "kafka port closed");
            assertTrue(FreePorts.accepts(cassandra.host(), cassandra.nativePort()), "cql port closed");
            for (ProcessHandle p : servers) {
                assertTrue(p.isAlive());
                assertEquals(p.pid(), ProcessHandle.current().children().filter(c -> c.pid() == p.pid())
                        .findFirst().orElseThrow().pid(), "server is not our direct child");
            }
            assertTrue(Files.exists(kafka.dataDir().resolve("server.pid")));
            assertTrue(Files.exists(cassandra.dataDir().resolve("server.pid")));
            // Kafka dying on its own is what `strata dev` waits for (it does not restart Kafka or Cassandra).
            servers.get(0).destroyForcibly();
            ChildProcess died = stack.awaitServerExit();
            assertEquals(servers.get(0).pid(), died.pid(), "awaitServerExit names the server that died");
            assertEquals(137, died.waitFor());
            assertTrue(servers.get(1).isAlive(), "Cassandra is left to close()");
        } finally {
            long t1 = System.nanoTime();
            stack.close();
            System.out.println("local stack stopped (SIGTERM) in " + TestServers.millisSince(t1) + " ms");
        }
        for (ProcessHandle p : servers) {
            assertFalse(p.isAlive(), "pid " + p.pid() + " outlived the stack");
        }
        assertEquals(0, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count(),
                "children left: " + ProcessHandle.current().children().map(ProcessHandle::info).toList());
        assertFalse(Files.exists(kafka.dataDir().resolve("server.pid")));
        assertFalse(Files.exists(cassandra.dataDir().resolve("server.pid")));
        assertTrue(ChildReaper.live().isEmpty());
        assertFalse(FreePorts.accepts(kafka.host(), kafka.port()), "kafka port still open");
        assertFalse(FreePorts.accepts(cassandra.host(), cassandra.nativePort()), "cql port still open");
    }
}
