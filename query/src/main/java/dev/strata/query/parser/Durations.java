package dev.strata.query.parser;

/** Parses Prometheus durations such as {@code 1h30m}, {@code 5m}, {@code 100ms}, {@code 1y}. */
public final class Durations {
    private Durations() {}

    /** Milliseconds of a duration literal; throws IllegalArgumentException if malformed. */
    public static long parseMs(String s) {
        if (s.isEmpty()) throw new IllegalArgumentException("empty duration string");
        if (s.equals("0")) return 0;
        long total = 0;
        int i = 0;
        int lastUnitRank = Integer.MAX_VALUE;
        while (i < s.length()) {
            int d = i;
            while (d < s.length() && Character.isDigit(s.charAt(d))) d++;
            if (d == i || d >= s.length()) throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
            long n = Long.parseLong(s.substring(i, d));
            long unit;
            int rank;
            int next = d + 1;
            switch (s.charAt(d)) {
                case 'y' -> { unit = 365L * 86_400_000; rank = 7; }
                case 'w' -> { unit = 7L * 86_400_000; rank = 6; }
                case 'd' -> { unit = 86_400_000; rank = 5; }
                case 'h' -> { unit = 3_600_000; rank = 4; }
                case 'm' -> {
                    if (next < s.length() && s.charAt(next) == 's') { unit = 1; rank = 1; next++; }
                    else { unit = 60_000; rank = 3; }
                }
                case 's' -> { unit = 1000; rank = 2; }
                default -> throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
            }
            if (rank >= lastUnitRank) throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
            lastUnitRank = rank;
            total = Math.addExact(total, Math.multiplyExact(n, unit));
            i = next;
        }
        return total;
    }

    /** Parses either a duration ("5m") or a float number of seconds ("300", "1.5") into milliseconds. */
    public static long parseDurationOrSeconds(String s) {
        try {
            return parseMs(s);
        } catch (IllegalArgumentException e) {
            double secs = Double.parseDouble(s);
            return Math.round(secs * 1000);
        }
    }
}
