package dev.strata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CassandraExtension.class)
class CassandraExtensionTest {
    private static final int ROWS = 500;

    @Test
    void rowsAndSchemaSurviveASigkillOfTheNode(CassandraNode cassandra) {
        Map<Integer, String> written = new HashMap<>();
        try (CqlSession session = cassandra.openSession()) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS crash WITH replication = "
                    + "{'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE IF NOT EXISTS crash.chunks (series int, seq int, body blob, "
                    + "PRIMARY KEY (series, seq))");
            PreparedStatement insert = session.prepare("INSERT INTO crash.chunks (series, seq, body) VALUES (?, ?, ?)");
            List<CompletableFuture<?>> inserts = new ArrayList<>();
            for (int i = 0; i < ROWS; i++) {
                String body = "chunk-" + i;
                inserts.add(session.executeAsync(insert.bind(i % 10, i, ByteBuffer.wrap(body.getBytes())))
                        .toCompletableFuture());
                written.put(i, body);
            }
            CompletableFuture.allOf(inserts.toArray(CompletableFuture[]::new)).join();
            assertEquals(ROWS, readAll(session).size());
        }

        long pid = cassandra.pid();
        cassandra.kill();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "SIGKILLed node still alive");
        assertThrows(IllegalStateException.class, cassandra::openSession);

        long t0 = System.nanoTime();
        cassandra.restart();
        System.out.println("cassandra: restart after SIGKILL (commitlog replay) " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertNotEquals(pid, cassandra.pid());
        try (CqlSession session = cassandra.openSession()) {
            assertEquals(written, readAll(session), "rows lost or changed across SIGKILL");
        }
    }

    @Test
    void theSharedNodeIsOnePerRunAndRunning(CassandraNode first, CassandraNode second) {
        assertSame(first, second);
        assertTrue(first.isRunning());
        try (CqlSession session = first.openSession()) {
            Row row = session.execute("SELECT release_version FROM system.local").one();
            assertTrue(row.getString(0).startsWith("5.0"), row.getString(0));
        }
    }

    private static Map<Integer, String> readAll(CqlSession session) {
        Map<Integer, String> rows = new HashMap<>();
        for (Row row : session.execute("SELECT seq, body FROM crash.chunks")) {
            ByteBuffer body = row.getByteBuffer("body");
            byte[] bytes = new byte[body.remaining()];
            body.get(bytes);
            rows.put(row.getInt("seq"), new String(bytes));
        }
        return rows;
    }
}
