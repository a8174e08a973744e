package dev.strata.store.json;

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
 * <p>Shortest form, fastest first: integers below 1e15 print directly; values with at most 15
 * significant digits are found by scaling with exact powers of ten ({@link #fewDigits}); other values
 * in [1e-6, 1e15) by a binary search over the decimal scale with exact rounding and an exact
 * read-back check ({@link #searchScale}, {@link DecimalToDouble}); the rest (huge, tiny, undecidable
 * cases) start from {@link Double#toString}'s digits, which on Java 17 are not always the shortest nor
 * the closest (JDK-4511638), and shorten and correct them.
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
        Decimal d = abs >= 1e-7 && abs < 1e15 ? fewDigits(abs) : null;
        if (d == null) d = shortest(abs);
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

    private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
            1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /**
     * Fast path for values with at most 15 significant digits (gauges like 20.5, most ratios of small
     * numbers): one probe at the finest scale k that keeps {@code m = abs * 10^k} below 1e15. When m is an
     * integer and {@code m / 10^k == abs} (division by an exact power of ten is correctly rounded), the
     * decimal m*10^-k reads back as abs. Decimals of at most 15 significant digits map to distinct
     * doubles, so that decimal, trailing zeros dropped, is the only one of its length or shorter: it is
     * the shortest and the closest. Null when the probe finds none (values of 16-17 digits, which rates
     * and averages mostly are, and the rare short decimal whose scaled product rounds off the integer):
     * {@link #searchScale} then decides exactly. One probe instead of one per scale keeps this path
     * cheap for the 16-17 digit values that fail it.
     */
    static Decimal fewDigits(double abs) {
        return unpack(fewDigitsScaled(abs));
    }

    /** {@link #fewDigits} as {@link #pack}ed {@code m, k}; -1 when there is none. */
    private static long fewDigitsScaled(double abs) {
        // Decimal digits before the point, from the binary exponent: exact or one too few.
        int intDigits = (int) Math.floor(Math.getExponent(abs) * 0.30103) + 1;
        int k = Math.max(0, Math.min(22, 15 - intDigits));
        double m = abs * POW10[k];
        if (m >= 1e15) {
            if (k == 0) return -1;
            m = abs * POW10[--k];
            if (m >= 1e15) return -1;
        }
        if (m != Math.rint(m) || m / POW10[k] != abs) return -1;
        long lm = (long) m;
        if (lm == 0) return -1;
        while (k > 0 && lm % 10 == 0) {
            lm /= 10;
            k--;
        }
        return pack(lm, k);
    }

    /**
     * For {@code 1e-6 <= abs < 1e15} (where Go writes the plain 'f' form): the shortest decimal that
     * reads back as {@code abs}, as {@link #pack}ed {@code m, k} meaning {@code m * 10^-k}, found without
     * allocating (the paths of {@link #appendValue} before its slow fallback); -1 when only that fallback
     * can decide. For writers that put the digits straight into their own buffer.
     */
    public static long shortestPlain(double abs) {
        long p = fewDigitsScaled(abs);
        return p >= 0 ? p : searchScaleScaled(abs);
    }

    /**
     * {@code m * 10^-k} with {@code 0 < m < 2^57} and {@code 0 <= k <= 22} in one long: {@code m << 5 | k}
     * (-1, "not found", for an m out of that range, which a shortest decimal of at most 17 digits never is).
     */
    private static long pack(long m, int k) {
        return m > 0 && m >>> 57 == 0 ? m << 5 | k : -1;
    }

    /** The m of a {@link #pack}ed decimal. */
    public static long packedDigits(long packed) {
        return packed >>> 5;
    }

    /** The k of a {@link #pack}ed decimal (digits after the point). */
    public static int packedScale(long packed) {
        return (int) (packed & 31);
    }

    private static Decimal unpack(long packed) {
        if (packed < 0) return null;
        String digits = Long.toString(packedDigits(packed));
        return normalize(digits, digits.length() - packedScale(packed));
    }

    static Decimal shortest(double abs) {
        if (abs >= 1e-6 && abs < 1e15) {
            Decimal d = searchScale(abs);
            if (d != null) return d;
        }
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
     * Shortest form by binary search over the decimal scale k: the smallest k for which the integer
     * nearest to {@code abs * 10^k} reads back as abs. Reading back is monotone in k, the nearest
     * integer is the closest decimal of its scale, and at the smallest k it has the fewest significant
     * digits, so this is Go's answer. Requires 1e-6 &lt;= abs &lt; 1e15 (k stays within 0..22, the
     * integer part needs no negative scale); null when a probe cannot be decided exactly.
     *
     * <p>Values that reach this search (not found by {@link #fewDigits}) mostly need 16 or 17
     * significant digits (rates, averages), so the first probe is the scale giving about 16 digits and,
     * when that does not read back, the next one up: usually two probes instead of five. Which scales are
     * probed first does not change the answer (the search still ends at the smallest scale that reads
     * back), only how soon it is found.
     */
    static Decimal searchScale(double abs) {
        return unpack(searchScaleScaled(abs));
    }

    /** {@link #searchScale} as {@link #pack}ed {@code m, k}; -1 when undecided. */
    private static long searchScaleScaled(double abs) {
        int lo = 0, hi = 22;
        long best = Long.MIN_VALUE;
        int bestK = -1;
        // Decimal digits before the point, approximately (log10(2) ~ 0.30103): a hint, off by one at most.
        int intDigits = (int) Math.floor(Math.getExponent(abs) * 0.30103) + 1;
        int guess = Math.max(lo, Math.min(hi, 16 - intDigits));
        int k = guess;
        while (lo <= hi) {
            long r = roundedScaled(abs, k);
            boolean ok;
            if (r == Long.MIN_VALUE) {
                if (!(abs * POW10[k] < 0x1p62)) {
                    ok = true; // more than 18 digits: past the 17 that always suffice
                    r = Long.MIN_VALUE;
                } else {
                    return -1; // too close to a half to decide cheaply
                }
            } else {
                double back = r == 0 ? 0 : DecimalToDouble.convert(r, -k);
                if (Double.isNaN(back)) return -1;
                ok = back == abs;
            }
            if (ok) {
                if (r != Long.MIN_VALUE) {
                    best = r;
                    bestK = k;
                }
                hi = k - 1;
            } else {
                lo = k + 1;
            }
            // Around the guessed scale (about 16 digits) first: when it fails, the next finer one (17
            // digits) is the likely answer; when it reads back, the next coarser one most likely does
            // not, which ends the search there instead of bisecting every coarser scale.
            k = k != guess ? (lo + hi) >>> 1 : ok ? hi : lo;
        }
        if (best == Long.MIN_VALUE || bestK != lo) return -1;
        return pack(best, bestK);
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
        // Common scale: both candidates as integers times 10^-k.
        int ka = a.digits.length() - a.point;
        int kb = b.digits.length() - b.point;
        int k = Math.max(ka, kb);
        if (k >= 0 && k <= 22 && a.digits.length() + (k - ka) <= 18 && b.digits.length() + (k - kb) <= 18) {
            long ua = Long.parseLong(a.digits) * (long) POW10[k - ka];
            long ub = Long.parseLong(b.digits) * (long) POW10[k - kb];
            long nearest = roundedScaled(abs, k);
            if (nearest != Long.MIN_VALUE) {
                if (nearest == ua) return a;
                if (nearest == ub) return b;
            }
        }
        BigDecimal exact = new BigDecimal(abs);
        BigDecimal da = toBig(a).subtract(exact).abs();
        BigDecimal db = toBig(b).subtract(exact).abs();
        int c = da.compareTo(db);
        if (c != 0) return c < 0 ? a : b;
        // Exact tie: Go rounds half to even on the last digit.
        int la = a.digits.charAt(a.digits.length() - 1) - '0';
        return (la % 2 == 0) ? a : b;
    }

    /**
     * The integer nearest to {@code abs * 10^k} (ties to even), computed exactly with an error-free
     * product ({@code hi + lo == abs * 10^k} by fma) and an error-free sum; Long.MIN_VALUE when the
     * answer is too close to a half to decide cheaply or out of range (the caller then uses BigDecimal).
     */
    static long roundedScaled(double abs, int k) {
        double p = POW10[k];
        double hi = abs * p;
        if (!(hi < 0x1p62)) return Long.MIN_VALUE;
        double lo = Math.fma(abs, p, -hi);
        double fh = Math.floor(hi);
        long ih = (long) fh;
        double rem = hi - fh; // exact
        double s = rem + lo;
        double bb = s - rem;
        double err = (rem - (s - bb)) + (lo - bb); // s + err == rem + lo exactly
        double fs = Math.floor(s);
        double f = s - fs; // exact: |s| is small
        long base = ih + (long) fs;
        double d = f - 0.5;
        if (d > 0 && d > Math.abs(err)) return base + 1;
        if (d < 0 && -d > Math.abs(err)) return base;
        if (d == 0) {
            if (err > 0) return base + 1;
            if (err < 0) return base;
            return (base & 1) == 0 ? base : base + 1;
        }
        return Long.MIN_VALUE;
    }

    private static BigDecimal toBig(Decimal d) {
        return new BigDecimal(new java.math.BigInteger(d.digits), d.digits.length() - d.point);
    }

    private static boolean readsBack(Decimal d, double abs) {
        if (d == null) return false;
        return DecimalToDouble.parse(d.digits, d.point) == abs;
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
