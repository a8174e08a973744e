package dev.strata.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Counts the benchmark thread's CPU time around each invocation, so a run on a shared, overloaded
 * machine still yields "samples per CPU-second" (= per core) next to JMH's wall-clock score.
 * Print with {@link #report} at iteration teardown.
 */
final class ThreadCpu {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private long cpuNanos;
    private long items;
    private long start;

    void begin() {
        start = MX.getCurrentThreadCpuTime();
    }

    void end(long itemsDone) {
        cpuNanos += MX.getCurrentThreadCpuTime() - start;
        items += itemsDone;
    }

    void report(String what) {
        if (cpuNanos > 0) {
            System.out.printf("%n  [cpu] %s: %.0f per cpu-second (%d in %.2f s of thread cpu)%n",
                    what, items / (cpuNanos / 1e9), items, cpuNanos / 1e9);
        }
        cpuNanos = 0;
        items = 0;
    }
}
