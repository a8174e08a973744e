package dev.strata.store.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal append-only JSON writer into a growable byte array, UTF-8 encoded. Callers write the
 * structure ({@code {}[],:}) themselves; this class gets strings and Prometheus's numbers right.
 *
 * <p>Strings are escaped as Prometheus's JSON library (jsoniter, standard-library compatible mode)
 * escapes them: {@code \" \\ \n \r \t}, other control characters and {@code < > &} as
 * {@code \}{@code u00xx} with lowercase hex, U+2028/U+2029 as escapes, and an unpaired surrogate as
 * U+FFFD. Not thread safe; one writer per response.
 */
public final class JsonWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int len;
    private final StringBuilder scratch = new StringBuilder(32);

    public JsonWriter() {
        this(256);
    }

    public JsonWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            int cap = Math.max(buf.length * 2, len + extra);
            if (cap < 0) throw new IllegalStateException("JSON response too large: " + len + " + " + extra + " bytes");
            buf = Arrays.copyOf(buf, cap);
        }
    }

    /** Appends one ASCII structural character. */
    public JsonWriter raw(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    /** Appends ASCII text verbatim (structure, field names known to need no escaping, numbers). */
    public JsonWriter raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) buf[len++] = (byte) ascii.charAt(i);
        return this;
    }

    private JsonWriter raw(CharSequence ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) buf[len++] = (byte) ascii.charAt(i);
        return this;
    }

    /** Appends {@code "name":} (the name is escaped). */
    public JsonWriter field(String name) {
        string(name);
        return raw(':');
    }

    public JsonWriter number(long v) {
        scratch.setLength(0);
        scratch.append(v);
        return raw(scratch);
    }

    public JsonWriter bool(boolean b) {
        return raw(b ? "true" : "false");
    }

    /** Milliseconds as Prometheus's seconds number, e.g. {@code 1435781451.781}. */
    public JsonWriter timestamp(long ms) {
        if (ms < 0) {
            scratch.setLength(0);
            SampleValueFormat.appendTimestamp(ms, scratch);
            return raw(scratch);
        }
        ensure(24);
        writeDigits(ms / 1000);
        int frac = (int) (ms % 1000);
        if (frac != 0) {
            buf[len++] = '.';
            buf[len++] = (byte) ('0' + frac / 100);
            buf[len++] = (byte) ('0' + frac / 10 % 10);
            buf[len++] = (byte) ('0' + frac % 10);
        }
        return this;
    }

    /** 10^0 .. 10^18. */
    private static final long[] POW10 = new long[19];
    /** The tens and ones digit of 0..99, for writing two digits per division. */
    private static final byte[] TENS = new byte[100];
    private static final byte[] ONES = new byte[100];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) POW10[i] = POW10[i - 1] * 10;
        for (int i = 0; i < 100; i++) {
            TENS[i] = (byte) ('0' + i / 10);
            ONES[i] = (byte) ('0' + i % 10);
        }
    }

    /** Number of decimal digits of a non-negative value (by comparisons, no divisions). */
    private static int digitCount(long v) {
        int n = 1;
        while (n < POW10.length && v >= POW10[n]) n++;
        return n;
    }

    /**
     * Non-negative decimal digits straight into the buffer (room already ensured): eight digits per long
     * division, then two per int division (sample values and timestamps run to 13-17 digits).
     */
    private void writeDigits(long v) {
        int end = len + digitCount(v);
        int pos = end;
        while (v >= 100_000_000L) {
            long q = v / 100_000_000L;
            int low = (int) (v - q * 100_000_000L);
            v = q;
            for (int j = 0; j < 4; j++) {
                int q2 = low / 100;
                int r = low - q2 * 100;
                buf[--pos] = ONES[r];
                buf[--pos] = TENS[r];
                low = q2;
            }
        }
        int iv = (int) v;
        while (iv >= 100) {
            int q2 = iv / 100;
            int r = iv - q2 * 100;
            buf[--pos] = ONES[r];
            buf[--pos] = TENS[r];
            iv = q2;
        }
        if (iv >= 10) {
            buf[--pos] = ONES[iv];
            buf[--pos] = TENS[iv];
        } else {
            buf[--pos] = (byte) ('0' + iv);
        }
        len = end;
    }

    /** A sample value as Prometheus's quoted string, e.g. {@code "1.5"}, {@code "NaN"}, {@code "+Inf"}. */
    public JsonWriter sampleValue(double v) {
        if (v >= 0 && v < 1e15 && v == (long) v && (v != 0 || Double.doubleToRawLongBits(v) == 0)) {
            ensure(18);
            buf[len++] = '"';
            writeDigits((long) v);
            buf[len++] = '"';
            return this;
        }
        double abs = Math.abs(v);
        if (abs >= 1e-6 && abs < 1e15) {
            long packed = SampleValueFormat.shortestPlain(abs);
            if (packed >= 0) return plainDecimal(v < 0, SampleValueFormat.packedDigits(packed), SampleValueFormat.packedScale(packed));
        }
        scratch.setLength(0);
        scratch.append('"');
        SampleValueFormat.appendValue(v, scratch);
        scratch.append('"');
        return raw(scratch);
    }

    /**
     * {@code "-m*10^-k"} in Go's 'f' form, quoted, written straight into the buffer (the same text
     * {@link SampleValueFormat#appendValue} gives, without its strings): trailing zeros of the fraction
     * dropped, {@code 0.} and leading zeros when m has k digits or fewer.
     */
    private JsonWriter plainDecimal(boolean negative, long m, int k) {
        while (k > 0 && m % 10 == 0) {
            m /= 10;
            k--;
        }
        int n = digitCount(m);
        ensure(n + k + 5);
        buf[len++] = '"';
        if (negative) buf[len++] = '-';
        if (n > k) {
            writeDigits(m);
            if (k > 0) {
                System.arraycopy(buf, len - k, buf, len - k + 1, k);
                buf[len - k] = '.';
                len++;
            }
        } else {
            buf[len++] = '0';
            buf[len++] = '.';
            for (int i = n; i < k; i++) buf[len++] = '0';
            writeDigits(m);
        }
        buf[len++] = '"';
        return this;
    }

    /** A quoted, escaped JSON string. */
    public JsonWriter string(String s) {
        int n = s.length();
        ensure(n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
                    ensure(1);
                    buf[len++] = (byte) c;
                    continue;
                }
                switch (c) {
                    case '"' -> escape2('"');
                    case '\\' -> escape2('\\');
                    case '\n' -> escape2('n');
                    case '\r' -> escape2('r');
                    case '\t' -> escape2('t');
                    default -> unicodeEscape(c);
                }
            } else if (c < 0x800) {
                ensure(2);
                buf[len++] = (byte) (0xC0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    ensure(4);
                    buf[len++] = (byte) (0xF0 | (cp >> 18));
                    buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    buf[len++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    unicodeEscape('\ufffd');
                }
            } else if (c == '\u2028' || c == '\u2029') {
                unicodeEscape(c);
            } else {
                ensure(3);
                buf[len++] = (byte) (0xE0 | (c >> 12));
                buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        ensure(1);
        buf[len++] = '"';
        return this;
    }

    private void escape2(char c) {
        ensure(2);
        buf[len++] = '\\';
        buf[len++] = (byte) c;
    }

    private void unicodeEscape(char c) {
        ensure(6);
        buf[len++] = '\\';
        buf[len++] = 'u';
        buf[len++] = HEX[(c >> 12) & 0xF];
        buf[len++] = HEX[(c >> 8) & 0xF];
        buf[len++] = HEX[(c >> 4) & 0xF];
        buf[len++] = HEX[c & 0xF];
    }

    /**
     * {@code s} as a JSON string literal (quotes included), escaped exactly as {@link #string} escapes:
     * for answers assembled as text (status pages).
     */
    public static String quote(String s) {
        return new JsonWriter(s.length() + 16).string(s).toString();
    }

    /**
     * A JSON number for status pages: integral values without a fraction, others as Java prints them;
     * NaN and infinities, which JSON cannot represent, as {@code null}.
     */
    public static StringBuilder appendNumber(StringBuilder sb, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) return sb.append("null");
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return sb.append((long) d);
        return sb.append(d);
    }

    public int size() {
        return len;
    }

    /** The bytes written so far (the internal array; valid up to {@link #size()}). */
    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }
}
