package dev.strata.ingest.gateway;

import java.util.concurrent.atomic.AtomicLong;

/** Bounds the bytes sent to Kafka and not yet acknowledged. Thread safe, non-blocking. */
public final class InFlightBytes {
    private final long max;
    private final AtomicLong used = new AtomicLong();

    public InFlightBytes(long max) {
        this.max = max;
    }

    /** Reserves {@code n} bytes unless that would exceed the bound (a single oversize request is allowed when idle). */
    public boolean tryAcquire(long n) {
        while (true) {
            long u = used.get();
            if (u > 0 && u + n > max) return false;
            if (used.compareAndSet(u, u + n)) return true;
        }
    }

    public void release(long n) {
        used.addAndGet(-n);
    }

    public long used() {
        return used.get();
    }

    public long max() {
        return max;
    }
}
