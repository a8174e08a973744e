package dev.strata.query.engine;

/**
 * The rules by which counter functions read per-sample start timestamps (ST: when the counter the
 * sample belongs to started from zero; 0 = unknown), as Prometheus 3.x's experimental start-timestamp
 * support defines them. Cumulative series keep one ST until the counter restarts; delta series (OTel
 * delta temporality) give each sample the previous sample's time as ST, so every sample is a reset.
 */
final class StartTimestamps {
    private StartTimestamps() {}

    /**
     * Whether the counter restarted between the previous sample (prevSt, prevT) and the current one.
     * An unknown ST or one not before its own sample is never a reset. An ST after the previous sample
     * is. An ST exactly at the previous sample is a delta-style reset only if the previous sample had a
     * valid ST of its own: OTel's "cumulative with unknown start" also points ST at the previous sample,
     * and then the previous ST is unknown (0) or equal to its own time.
     */
    static boolean isReset(long prevSt, long prevT, long curSt, long curT) {
        if (curSt == 0 || curSt >= curT) return false;
        if (curSt < prevT) return false;
        if (curSt > prevT) return true;
        return prevSt != 0 && prevSt < prevT;
    }

    /** A known ST before the previous sample's time that is not the previous sample's ST: two counts overlap. */
    static boolean overlaps(long prevSt, long prevT, long curSt) {
        return curSt != 0 && curSt < prevT && curSt != prevSt;
    }

    /**
     * Whether rate/increase may take the first sample's ST as a zero-valued sample instead of
     * extrapolating to the left: the ST is known, inside the window (rangeStart, ...] and before the
     * sample itself.
     */
    static boolean startsInside(long st, long t, long rangeStart) {
        return st != 0 && st > rangeStart && st < t;
    }

    static String overlapWarning(String metricName, String position) {
        return "sample has start time that overlaps with previous sample timestamp for metric \""
                + (metricName == null ? "" : metricName) + "\"" + position;
    }
}
