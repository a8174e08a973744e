package dev.strata.query.engine;

/**
 * The UTC calendar fields Prometheus's date functions ({@code year()}, {@code hour()}, ...) return for a
 * sample value: Go's {@code time.Unix(int64(v), 0).UTC()}, for every value, as Prometheus computes it on
 * amd64. There {@code int64(v)} truncates toward zero and gives {@code math.MinInt64} for NaN, ±Inf and
 * values outside the int64 range, and Go's time arithmetic then wraps by 2^64 seconds: NaN's year is
 * 292277026596 (found by the differential test against a real Prometheus). java.time cannot hold such
 * dates (it threw, and the query failed with a 500), so the calendar is computed here with days-from-civil
 * arithmetic on longs (H. Hinnant's algorithm), which holds for any day count.
 */
record GoDate(long year, int month, int day, int hour, int minute, int dayOfWeek, int dayOfYear) {
    /** Go's unixToInternal + internalToAbsolute: seconds below minus this wrap around in Go's time package. */
    private static final long WRAP_BELOW = -9_223_372_028_715_321_600L;

    static GoDate of(double v) {
        long sec = goInt64(v);
        long days, secondOfDay;
        if (sec >= WRAP_BELOW) {
            days = Math.floorDiv(sec, 86_400L);
            secondOfDay = Math.floorMod(sec, 86_400L);
        } else {
            // sec + 2^64 seconds after the epoch: the same bits read as unsigned.
            days = Long.divideUnsigned(sec, 86_400L);
            secondOfDay = Long.remainderUnsigned(sec, 86_400L);
        }
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097L);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int) (doy - (153 * mp + 2) / 5 + 1);
        int m = (int) (mp < 10 ? mp + 3 : mp - 9);
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        int dayOfYear = CUMULATIVE[m - 1] + d + (m > 2 && leap(y) ? 1 : 0);
        return new GoDate(y, m, d, (int) (secondOfDay / 3600), (int) (secondOfDay / 60 % 60),
                (int) Math.floorMod(days + 4, 7L), dayOfYear);
    }

    private static final int[] CUMULATIVE = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    private static final int[] LENGTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    int daysInMonth() {
        return month == 2 && leap(year) ? 29 : LENGTH[month - 1];
    }

    private static boolean leap(long y) {
        return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    }

    /** Go's float64 to int64 conversion on amd64 (CVTTSD2SQ): NaN and out-of-range values give MinInt64. */
    static long goInt64(double v) {
        if (Double.isNaN(v) || v >= 0x1p63 || v < -0x1p63) return Long.MIN_VALUE;
        return (long) v;
    }
}
