package dev.strata.query.engine;

/** Float operations with Go's semantics where Java's differ (Prometheus is written in Go). */
final class FloatMath {
    private FloatMath() {}

    /** Go's math.Pow special cases: Pow(x, ±0) = 1; Pow(1, y) = 1; Pow(-1, ±Inf) = 1. */
    static double pow(double x, double y) {
        if (y == 0) return 1;
        if (x == 1) return 1;
        if (x == -1 && Double.isInfinite(y)) return 1;
        return Math.pow(x, y);
    }

    /** Go's math.Mod: result has the sign of x; Java's % agrees. */
    static double mod(double x, double y) {
        return x % y;
    }

    /** Go's math.Round: half away from zero. */
    static double roundHalfAway(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) return x;
        double t = Math.floor(Math.abs(x) + 0.5);
        return Math.copySign(t, x);
    }

    /** Neumaier-compensated summation step: returns the new sum; c[0] holds the compensation. */
    static double kahanInc(double inc, double sum, double[] c) {
        double t = sum + inc;
        if (Double.isInfinite(t)) {
            c[0] = 0;
        } else if (Math.abs(sum) >= Math.abs(inc)) {
            c[0] += (sum - t) + inc;
        } else {
            c[0] += (inc - t) + sum;
        }
        return t;
    }

    private static final double LN2 = 0.693147180559945309417232121458176568;
    private static final double TINY = 0x1p-28;
    private static final double LARGE = 0x1p28;

    /**
     * Go's math.Asinh (FreeBSD's s_asinh.c): log1p near 0, so a tiny x gives x, not the 0 that
     * log(x + sqrt(x*x + 1)) rounds to.
     */
    static double asinh(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) return x;
        double a = Math.abs(x), r;
        if (a < TINY) return x;
        if (a > LARGE) r = Math.log(a) + LN2;
        else if (a > 2) r = Math.log(2 * a + 1 / (Math.sqrt(a * a + 1) + a));
        else r = Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
        return Math.copySign(r, x);
    }

    /** Go's math.Acosh (FreeBSD's e_acosh.c). */
    static double acosh(double x) {
        if (x < 1 || Double.isNaN(x)) return Double.NaN;
        if (x == 1) return 0;
        if (x >= LARGE) return Math.log(x) + LN2;
        if (x > 2) return Math.log(2 * x - 1 / (x + Math.sqrt(x * x - 1)));
        double t = x - 1;
        return Math.log1p(t + Math.sqrt(2 * t + t * t));
    }

    /** Go's math.Atanh (FreeBSD's e_atanh.c): log1p near 0, so a tiny x gives x. */
    static double atanh(double x) {
        if (x < -1 || x > 1 || Double.isNaN(x)) return Double.NaN;
        if (x == 1) return Double.POSITIVE_INFINITY;
        if (x == -1) return Double.NEGATIVE_INFINITY;
        double a = Math.abs(x), r;
        if (a < TINY) return x;
        if (a < 0.5) {
            double t = a + a;
            r = 0.5 * Math.log1p(t + t * a / (1 - a));
        } else {
            r = 0.5 * Math.log1p((a + a) / (1 - a));
        }
        return Math.copySign(r, x);
    }
}
