package dev.strata.query.api;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats sample values and timestamps exactly as Prometheus's HTTP API does.
 *
 * <p>Values: Go's {@code strconv.FormatFloat(v, fmt, -1, 64)} with {@code fmt = 'e'} when
 * {@code |v| < 1e-6 || |v| >= 1e21} (and v != 0), else {@code 'f'}: the shortest decimal that reads back
 * as the same double, "NaN", "+Inf", "-Inf", and exponents of at least two digits ({@code 1e-07}).
 *
 * <p>Timestamps (milliseconds) are written as seconds: the integer part, then, only when the
 * milliseconds are not zero, a point and exactly three digits ({@code 1435781451.780}), negative
 * times with a leading minus over the absolute value (Prometheus's {@code MarshalTimestamp}).
 *
 * <p>Java 17's {@link Double#toString} is not always the shortest round-trip form (JDK-4511638), so its
 * digits are only a starting point: they are shortened while a shorter rounding still reads back as
 * the same double, and the last-digit choice is checked against exact arithmetic only in the rare
 * case where two neighbours both read back.
 */
public final class SampleValueFormat {
    private SampleValueFormat() {}

    /** Appends the value as Prometheus writes it inside the JSON string (without quotes). */
    public static void appendValue(double v, StringBuilder out) {
        if (Double.isNaN(v)) { out.append("NaN"); return; }
        if (v == Double.POSITIVE_INFINITY) { out.append("+Inf"); return; }
        if (v == Double.NEGATIVE_INFINITY) { out.append("-Inf"); return; }
        if (v == 0) {
            // Go prints negative zero as "-0".
            out.append((Double.doubleToRawLongBits(v) < 0) ? "-0" : "0");
            return;
        }
        double abs = Math.abs(v);
        // Fast path: integers below 2^53 are exactly representable and their shortest form is the integer.
        if (abs < 1e15 && v == (long) v) {
            out.append((long) v);
            return;
        }
        Decimal d = shortest(abs);
        if (v < 0) out.append('-');
        if (abs < 1e-6 || abs >= 1e21) appendE(d, out); else appendF(d, out);
    }

    public static String formatValue(double v) {
        StringBuilder sb = new StringBuilder(24);
        appendValue(v, sb);
        return sb.toString();
    }

    /** Appends milliseconds as Prometheus's seconds form. */
    public static void appendTimestamp(long ms, StringBuilder out) {
        if (ms < 0) {
            out.append('-');
            if (ms == Long.MIN_VALUE) { // -ms overflows; Go wraps the same way, handle it exactly
                out.append("9223372036854775.808");
                return;
            }
            ms = -ms;
        }
        out.append(ms / 1000);
        int frac = (int) (ms % 1000);
        if (frac != 0) {
            out.append('.');
            if (frac < 100) out.append('0');
            if (frac < 10) out.append('0');
            out.append(frac);
        }
    }

    public static String formatTimestamp(long ms) {
        StringBuilder sb = new StringBuilder(20);
        appendTimestamp(ms, sb);
        return sb.toString();
    }

    /** digits d1..dn (no leading zeros) with the value 0.d1..dn * 10^point. */
    record Decimal(String digits, int point) {}

    static Decimal shortest(double abs) {
        Decimal d = fromJavaString(Double.toString(abs));
        // Shorten while a rounding to one digit less still reads back as the same double.
        while (d.digits.length() > 1) {
            Decimal shorter = roundTo(d, d.digits.length() - 1, abs);
            if (shorter == null) break;
            d = shorter;
        }
        return closestOfLength(d, abs);
    }

    /**
     * Rounds to n digits; returns the rounding if it reads back as {@code abs}, else null. When the
     * dropped part is ambiguous (the digits are themselves an approximation), both neighbours are tried.
     */
    private static Decimal roundTo(Decimal d, int n, double abs) {
        String s = d.digits;
        String head = s.substring(0, n);
        Decimal down = normalize(head, d.point);
        Decimal up = increment(head, d.point);
        boolean downOk = readsBack(down, abs);
        boolean upOk = readsBack(up, abs);
        if (downOk && upOk) return closer(down, up, abs);
        if (downOk) return down;
        if (upOk) return up;
        return null;
    }

    /** Among n-digit decimals that read back, Go picks the one closest to the exact value. */
    private static Decimal closestOfLength(Decimal d, double abs) {
        Decimal best = d;
        String s = d.digits;
        // Neighbours one unit in the last place away.
        Decimal up = increment(s, d.point);
        Decimal down = decrement(s, d.point);
        if (up != null && up.digits.length() <= s.length() && readsBack(up, abs)) best = closer(best, up, abs);
        if (down != null && down.digits.length() == s.length() && readsBack(down, abs)) best = closer(best, down, abs);
        return best;
    }

    private static Decimal closer(Decimal a, Decimal b, double abs) {
        BigDecimal exact = new BigDecimal(abs);
        BigDecimal da = toBig(a).subtract(exact).abs();
        BigDecimal db = toBig(b).subtract(exact).abs();
        int c = da.compareTo(db);
        if (c != 0) return c < 0 ? a : b;
        // Exact tie: Go rounds half to even on the last digit.
        int la = a.digits.charAt(a.digits.length() - 1) - '0';
        return (la % 2 == 0) ? a : b;
    }

    private static BigDecimal toBig(Decimal d) {
        return new BigDecimal(new java.math.BigInteger(d.digits), d.digits.length() - d.point);
    }

    private static boolean readsBack(Decimal d, double abs) {
        if (d == null) return false;
        return Double.parseDouble("0." + d.digits + "E" + d.point) == abs;
    }

    private static Decimal normalize(String digits, int point) {
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') end--;
        int start = 0;
        while (start < end - 1 && digits.charAt(start) == '0') { start++; point--; }
        return new Decimal(digits.substring(start, end), point);
    }

    private static Decimal increment(String digits, int point) {
        char[] c = digits.toCharArray();
        int i = c.length - 1;
        while (i >= 0 && c[i] == '9') { c[i] = '0'; i--; }
        if (i < 0) return normalize("1" + new String(c), point + 1);
        c[i]++;
        return normalize(new String(c), point);
    }

    private static Decimal decrement(String digits, int point) {
        char[] c = digits.toCharArray();
        int i = c.length - 1;
        while (i >= 0 && c[i] == '0') { c[i] = '9'; i--; }
        if (i < 0) return null;
        c[i]--;
        if (c[0] == '0') return null; // would lose a digit: not the same length
        return normalize(new String(c), point);
    }

    /** Parses Java's "1.2345E-7" / "123.45" forms into digits and point. */
    private static Decimal fromJavaString(String s) {
        int e = s.indexOf('E');
        int exp = 0;
        String mant = s;
        if (e >= 0) {
            exp = Integer.parseInt(s.substring(e + 1));
            mant = s.substring(0, e);
        }
        int dot = mant.indexOf('.');
        String intPart = dot < 0 ? mant : mant.substring(0, dot);
        String fracPart = dot < 0 ? "" : mant.substring(dot + 1);
        return normalize(intPart + fracPart, intPart.length() + exp);
    }

    private static void appendF(Decimal d, StringBuilder out) {
        String s = d.digits;
        int p = d.point;
        if (p <= 0) {
            out.append("0.");
            for (int i = 0; i < -p; i++) out.append('0');
            out.append(s);
        } else if (p >= s.length()) {
            out.append(s);
            for (int i = s.length(); i < p; i++) out.append('0');
        } else {
            out.append(s, 0, p).append('.').append(s, p, s.length());
        }
    }

    private static void appendE(Decimal d, StringBuilder out) {
        String s = d.digits;
        out.append(s.charAt(0));
        if (s.length() > 1) out.append('.').append(s, 1, s.length());
        int exp = d.point - 1;
        out.append('e').append(exp < 0 ? '-' : '+');
        int a = Math.abs(exp);
        if (a < 10) out.append('0');
        out.append(a);
    }

    /** Exact shortest form by brute force; used by tests as the reference. */
    static String referenceShortest(double abs) {
        BigDecimal exact = new BigDecimal(abs);
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == abs) {
                BigDecimal st = r.stripTrailingZeros();
                return st.unscaledValue().toString() + "e" + (st.precision() - st.scale());
            }
        }
        throw new AssertionError("no round trip for " + abs);
    }
}
