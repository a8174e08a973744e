package dev.strata.store.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NamedThreadsTest {
    @Test
    void numberedThreadsAreDaemonsNamedInOrder() {
        ThreadFactory f = NamedThreads.numbered("strata-test");
        Thread a = f.newThread(() -> {});
        Thread b = f.newThread(() -> {});
        assertEquals("strata-test-1", a.getName());
        assertEquals("strata-test-2", b.getName());
        assertTrue(a.isDaemon() && b.isDaemon());
    }

    @Test
    void namedThreadsKeepTheirName() {
        Thread t = NamedThreads.named("strata-one").newThread(() -> {});
        assertEquals("strata-one", t.getName());
        assertTrue(t.isDaemon());
    }

    @Test
    void aPoolRunsOnItsNamedThreads() throws Exception {
        ExecutorService pool = NamedThreads.fixedPool(2, "strata-pool");
        try {
            String name = pool.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
            assertTrue(name.startsWith("strata-pool-"), name);
        } finally {
            pool.shutdownNow();
        }
    }
}
