package dev.strata.query.promqltest;

/** The float equality of Prometheus's test harness. */
final class FloatCompare {
    private FloatCompare() {}

    static final long STALE = 0x7ff0000000000002L;

    static boolean equal(double a, double b) {
        boolean sa = Double.doubleToRawLongBits(a) == STALE, sb = Double.doubleToRawLongBits(b) == STALE;
        if (sa || sb) return sa && sb;
        if (Double.isNaN(a) && Double.isNaN(b)) return true;
        if (a == b) return true;
        if (a == 0 || b == 0 || Math.abs(a) + Math.abs(b) < Double.MIN_NORMAL) return false;
        return Math.abs(a - b) / Math.min(Math.abs(a) + Math.abs(b), Double.MAX_VALUE) < 1e-6;
    }
}
