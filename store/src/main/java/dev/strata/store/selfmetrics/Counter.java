package dev.strata.store.selfmetrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A monotonically increasing count. Thread safe; increments are uncontended adds (LongAdder). */
public final class Counter {
    private final LongAdder whole = new LongAdder();
    private final DoubleAdder fraction = new DoubleAdder();

    public void inc() {
        whole.increment();
    }

    /** @throws IllegalArgumentException if {@code n} is negative: counters never go down */
    public void inc(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("counter increment must be >= 0, got " + n);
        }
        whole.add(n);
    }

    /** For non-integral amounts such as seconds. */
    public void inc(double amount) {
        if (!(amount >= 0)) {
            throw new IllegalArgumentException("counter increment must be >= 0, got " + amount);
        }
        fraction.add(amount);
    }

    public double value() {
        return whole.sum() + fraction.sum();
    }
}
