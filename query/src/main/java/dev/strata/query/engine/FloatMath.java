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
}
