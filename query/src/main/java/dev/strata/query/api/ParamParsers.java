package dev.strata.query.api;

import dev.strata.query.ast.GoQuote;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the API's parameter values with Prometheus's rules and messages (web/api/v1:
 * {@code parseTime}, {@code parseDuration}, {@code parseLimitParam}). Times are milliseconds since
 * the epoch; durations are nanoseconds (as Go's {@code time.Duration}), so that the range checks
 * ({@code step <= 0}, 11,000 points) behave exactly as Prometheus's.
 */
public final class ParamParsers {
    private ParamParsers() {}

    /**
     * Prometheus's default start of optional time ranges ({@code MinTime}): Unix seconds
     * {@code MinInt64/1000 + 62135596801}.
     */
    public static final long MIN_TIME_MS = (Long.MIN_VALUE / 1000 + 62135596801L) * 1000;
    /** Prometheus's default end of optional time ranges ({@code MaxTime}), with its 999999999 ns. */
    public static final long MAX_TIME_MS = (Long.MAX_VALUE / 1000 - 62135596801L) * 1000 + 999;

    /**
     * How Go's RFC3339Nano formats MinTime and MaxTime; clients (Grafana, promtool) send these strings
     * back for open bounds. Go's calendar is off by one day from the proleptic Gregorian one for that
     * far negative year, so the strings are Go's own rather than computed here.
     */
    static final String MIN_TIME_FORMATTED = "-292273086-05-16T16:47:06Z";
    static final String MAX_TIME_FORMATTED = "292277025-08-18T07:12:54.999999999Z";

    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(?:(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?i:inf|infinity|nan))");
    private static final Pattern RFC3339 = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d+))?(?:(Z)|([+-])(\\d{2}):(\\d{2}))");

    /**
     * A time as Unix float seconds or RFC 3339 (fractional seconds, {@code Z} or an offset);
     * fractions below a millisecond are rounded (float form) or truncated (RFC 3339 form) as in
     * Prometheus.
     *
     * @throws IllegalArgumentException {@code cannot parse "x" to a valid timestamp}
     */
    public static long parseTime(String s) {
        Double f = parseGoFloat(s);
        if (f != null) {
            double t = f;
            // Prometheus: s, ns := math.Modf(t); ns = math.Round(ns*1000)/1000.
            if (Double.isFinite(t) && Math.abs(t) < 9.2e15) {
                double whole = t < 0 ? Math.ceil(t) : Math.floor(t);
                double frac = t - whole;
                long ms = Math.round(Math.abs(frac) * 1000) * (frac < 0 ? -1 : 1);
                return (long) whole * 1000 + ms;
            }
            throw new IllegalArgumentException("cannot parse " + GoQuote.quote(s) + " to a valid timestamp");
        }
        Matcher m = RFC3339.matcher(s);
        if (m.matches()) {
            try {
                LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
                int h = Integer.parseInt(m.group(4)), mi = Integer.parseInt(m.group(5)), sec = Integer.parseInt(m.group(6));
                if (h < 24 && mi < 60 && sec < 60) {
                    long epochSec = LocalDateTime.of(date, java.time.LocalTime.of(h, mi, sec)).toEpochSecond(ZoneOffset.UTC);
                    if (m.group(8) == null) {
                        int oh = Integer.parseInt(m.group(10)), om = Integer.parseInt(m.group(11));
                        if (oh < 24 && om < 60) {
                            int off = oh * 3600 + om * 60;
                            epochSec -= m.group(9).equals("+") ? off : -off;
                        } else {
                            epochSec = Long.MIN_VALUE;
                        }
                    }
                    if (epochSec != Long.MIN_VALUE) {
                        String frac = m.group(7) == null ? "" : m.group(7);
                        int ms = 0;
                        for (int i = 0; i < 3; i++) ms = ms * 10 + (i < frac.length() ? frac.charAt(i) - '0' : 0);
                        return epochSec * 1000 + ms;
                    }
                }
            } catch (DateTimeException | NumberFormatException e) {
                // fall through to the error
            }
        }
        if (s.equals(MIN_TIME_FORMATTED)) return MIN_TIME_MS;
        if (s.equals(MAX_TIME_FORMATTED)) return MAX_TIME_MS;
        throw new IllegalArgumentException("cannot parse " + GoQuote.quote(s) + " to a valid timestamp");
    }

    /**
     * A duration as float seconds or a Prometheus duration string ({@code 1h30m}, {@code 500ms},
     * {@code 1d}, {@code 1w}, {@code 1y}), in nanoseconds.
     *
     * @throws IllegalArgumentException {@code cannot parse "x" to a valid duration}
     */
    public static long parseDurationNanos(String s) {
        Double f = parseGoFloat(s);
        if (f != null) {
            double ns = f * 1e9;
            if (ns > 9.223372036854775807E18 || ns < -9.223372036854775808E18) {
                throw new IllegalArgumentException("cannot parse " + GoQuote.quote(s) + " to a valid duration. It overflows int64");
            }
            return (long) ns;
        }
        long ms = parsePromDurationMs(s);
        if (ms < 0) throw new IllegalArgumentException("cannot parse " + GoQuote.quote(s) + " to a valid duration");
        return ms * 1_000_000L;
    }

    /** Prometheus's model.ParseDuration in milliseconds; -1 when not a valid duration string. */
    static long parsePromDurationMs(String s) {
        if (s.equals("0")) return 0;
        if (s.isEmpty()) return -1;
        long totalMs = 0;
        int lastPos = 0;
        int i = 0;
        while (i < s.length()) {
            int d = i;
            while (d < s.length() && isDigit(s.charAt(d))) d++;
            if (d == i) return -1;
            long v;
            try {
                v = Long.parseLong(s.substring(i, d));
            } catch (NumberFormatException e) {
                return -1;
            }
            int u = d;
            while (u < s.length() && !isDigit(s.charAt(u))) u++;
            String unit = s.substring(d, u);
            long mult;
            int pos;
            switch (unit) {
                case "y" -> { mult = 365L * 24 * 3600 * 1000; pos = 1; }
                case "w" -> { mult = 7L * 24 * 3600 * 1000; pos = 2; }
                case "d" -> { mult = 24L * 3600 * 1000; pos = 3; }
                case "h" -> { mult = 3600L * 1000; pos = 4; }
                case "m" -> { mult = 60L * 1000; pos = 5; }
                case "s" -> { mult = 1000; pos = 6; }
                case "ms" -> { mult = 1; pos = 7; }
                default -> { return -1; }
            }
            if (pos <= lastPos) return -1;
            lastPos = pos;
            // Go's time.Duration is int64 nanoseconds; larger durations are "out of range".
            long maxMs = Long.MAX_VALUE / 1_000_000L;
            if (v > maxMs / mult) return -1;
            totalMs += v * mult;
            if (totalMs > maxMs) return -1;
            i = u;
        }
        return totalMs;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Go's {@code strconv.ParseFloat(s, 64)} for decimal input: null when Go would refuse it
     * (including a finite literal that overflows to infinity). Hexadecimal floats are not accepted.
     */
    static Double parseGoFloat(String s) {
        if (s.isEmpty() || !FLOAT.matcher(s).matches()) return null;
        String t = s.toLowerCase(java.util.Locale.ROOT);
        int sign = t.startsWith("-") ? -1 : 1;
        String body = (t.startsWith("-") || t.startsWith("+")) ? t.substring(1) : t;
        if (body.equals("inf") || body.equals("infinity")) return sign * Double.POSITIVE_INFINITY;
        if (body.equals("nan")) return Double.NaN;
        double d = Double.parseDouble(s);
        if (Double.isInfinite(d)) return null; // Go: ErrRange
        return d;
    }

    /**
     * Prometheus's {@code parseLimitParam}: "" is 0 (no limit); otherwise a non-negative integer.
     *
     * @throws IllegalArgumentException with Go's strconv.Atoi message or "limit must be non-negative"
     */
    public static long parseLimit(String s) {
        if (s.isEmpty()) return 0;
        long v = parseGoInt("strconv.Atoi", s);
        if (v < 0) throw new IllegalArgumentException("limit must be non-negative");
        return v;
    }

    /** Go's strconv.Atoi on a 64-bit platform, with its error text. */
    static long parseGoInt(String fn, String s) {
        String digits = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        boolean ok = !digits.isEmpty();
        for (int i = 0; i < digits.length() && ok; i++) ok = isDigit(digits.charAt(i));
        if (!ok) throw new IllegalArgumentException(fn + ": parsing " + GoQuote.quote(s) + ": invalid syntax");
        try {
            return Long.parseLong(s.startsWith("+") ? digits : s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(fn + ": parsing " + GoQuote.quote(s) + ": value out of range");
        }
    }
}
