package dev.strata.node.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * When each fault was active, on the {@code System.nanoTime()} clock: from its injection until the
 * process is back (resumed, or restarted and ready). A sample is attributed to the window active when
 * its request was acknowledged; outside every window it is in {@link #NO_FAULT}. Thread-safe.
 */
public final class FaultWindows {
    public static final String NO_FAULT = "no fault";

    private record Window(String label, long startNanos, long endNanos) {}

    private final List<Window> windows = new ArrayList<>();

    /** Opens a window now; returns its handle for {@link #close}. */
    public synchronized int open(String label) {
        windows.add(new Window(label, System.nanoTime(), Long.MAX_VALUE));
        return windows.size() - 1;
    }

    public synchronized void close(int handle) {
        Window w = windows.get(handle);
        windows.set(handle, new Window(w.label(), w.startNanos(), System.nanoTime()));
    }

    /** The label of the window open at {@code nanos} (the latest opened if several), or {@link #NO_FAULT}. */
    public synchronized String labelAt(long nanos) {
        for (int i = windows.size() - 1; i >= 0; i--) {
            Window w = windows.get(i);
            if (nanos - w.startNanos() >= 0 && (w.endNanos() == Long.MAX_VALUE || w.endNanos() - nanos >= 0)) return w.label();
        }
        return NO_FAULT;
    }

    /** How many windows carry {@code label}. */
    public synchronized int count(String label) {
        int n = 0;
        for (Window w : windows) if (w.label().equals(label)) n++;
        return n;
    }

    /** The label of the window still open, or null. */
    public synchronized String current() {
        for (int i = windows.size() - 1; i >= 0; i--) if (windows.get(i).endNanos() == Long.MAX_VALUE) return windows.get(i).label();
        return null;
    }

    /** Every label, once each. */
    public synchronized java.util.Set<String> labels() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (Window w : windows) out.add(w.label());
        return out;
    }

    public synchronized int size() {
        return windows.size();
    }
}
