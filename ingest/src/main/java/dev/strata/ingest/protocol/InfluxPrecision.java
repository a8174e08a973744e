package dev.strata.ingest.protocol;

/** Timestamp precision of InfluxDB line protocol, as given by the {@code precision} query parameter. */
public enum InfluxPrecision {
    NANOSECONDS, MICROSECONDS, MILLISECONDS, SECONDS, MINUTES, HOURS;

    /** Parses {@code ns|n|us|u|ms|s|m|h}; null or empty means nanoseconds (the Influx default). */
    public static InfluxPrecision parse(String p) {
        if (p == null || p.isEmpty()) return NANOSECONDS;
        return switch (p) {
            case "ns", "n" -> NANOSECONDS;
            case "us", "u" -> MICROSECONDS;
            case "ms" -> MILLISECONDS;
            case "s" -> SECONDS;
            case "m" -> MINUTES;
            case "h" -> HOURS;
            default -> throw new MalformedRequestException("invalid precision \"" + p + "\": expected ns, us, ms or s");
        };
    }

    public long toMillis(long t) {
        return switch (this) {
            case NANOSECONDS -> Math.floorDiv(t, 1_000_000L);
            case MICROSECONDS -> Math.floorDiv(t, 1_000L);
            case MILLISECONDS -> t;
            case SECONDS -> Math.multiplyExact(t, 1_000L);
            case MINUTES -> Math.multiplyExact(t, 60_000L);
            case HOURS -> Math.multiplyExact(t, 3_600_000L);
        };
    }
}
