package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectorTest {
    @Test
    void retriesUntilAnAttemptSucceedsThenClosesOnStop() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        List<String> closed = new CopyOnWriteArrayList<>();
        Connector<String> c = new Connector<>("test", Duration.ofMillis(10), ex -> {
            int n = attempts.incrementAndGet();
            if (n < 3) {
                throw new IllegalStateException("down " + n); // a synchronous failure counts as a failed attempt
            }
            if (n < 5) {
                return CompletableFuture.failedFuture(new IllegalStateException("still down"));
            }
            return CompletableFuture.completedFuture("conn" + n);
        }, closed::add);
        assertFalse(c.isReady());
        assertThrows(IllegalStateException.class, c::get);
        c.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.isReady() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(c.isReady());
        assertEquals("conn5", c.get());
        assertEquals(5, attempts.get());
        c.stop();
        assertFalse(c.isReady());
        assertEquals(List.of("conn5"), closed);
    }

    @Test
    void aConnectionArrivingAfterStopIsClosed() throws Exception {
        CompletableFuture<String> pending = new CompletableFuture<>();
        CountDownLatch attempted = new CountDownLatch(1);
        List<String> closed = new CopyOnWriteArrayList<>();
        Connector<String> c = new Connector<>("late", Duration.ofSeconds(1), ex -> {
            attempted.countDown();
            return pending;
        }, closed::add);
        c.start();
        assertTrue(attempted.await(5, TimeUnit.SECONDS));
        c.stop();
        pending.complete("late-conn");
        assertEquals(List.of("late-conn"), closed);
        assertFalse(c.isReady());
    }
}
