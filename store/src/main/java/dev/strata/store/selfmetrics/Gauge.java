package dev.strata.store.selfmetrics;

import java.util.concurrent.atomic.AtomicLong;

/** A value that goes up and down, set by its owner. Thread safe. For values computed on demand use a supplier gauge. */
public final class Gauge {
    private final AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(0));

    public void set(double value) {
        bits.set(Double.doubleToRawLongBits(value));
    }

    public void add(double delta) {
        long prev;
        long next;
        do {
            prev = bits.get();
            next = Double.doubleToRawLongBits(Double.longBitsToDouble(prev) + delta);
        } while (!bits.compareAndSet(prev, next));
    }

    public void inc() {
        add(1);
    }

    public void dec() {
        add(-1);
    }

    public double value() {
        return Double.longBitsToDouble(bits.get());
    }
}
