package dev.strata.ingest.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes InfluxDB line protocol into series:
 * {@code measurement[,tag=value...] field=value[,field=value...] [timestamp]}.
 *
 * <p>Each numeric or boolean field becomes one series named {@code <measurement>_<field>}, sanitised
 * to a Prometheus metric name (characters outside {@code [a-zA-Z0-9_:]} become {@code _}, a leading
 * digit gets a {@code _} prefix), with the tags as labels (tag keys sanitised to label names, values
 * kept). Floats ({@code 1.5}, {@code 1e3}), integers ({@code 12i}), unsigned ({@code 12u}) and booleans
 * ({@code t T true True TRUE f F false False FALSE} as 1/0) are stored as doubles; string fields are
 * skipped and counted ({@link WriteBatch#stringFieldsIgnored()}). Escapes: {@code \,} and {@code \ }
 * in measurements; {@code \,} {@code \=} {@code \ } in tag keys, tag values and field keys; {@code \"}
 * and {@code \\} inside string values. A missing timestamp means "now". Lines that are empty or start
 * with {@code #} are skipped. Any malformed line fails the whole request, naming the line.
 */
public final class InfluxLineDecoder {
    private final byte[] in;
    private final int end;
    private final InfluxPrecision precision;
    private final long nowMs;
    private final WriteBatch out;
    private int lineNo;

    private byte[] scratch = new byte[256];
    private int[] tagKeyOff = new int[16];
    private int[] tagKeyLen = new int[16];
    private int[] tagValOff = new int[16];
    private int[] tagValLen = new int[16];
    private int tags;

    private InfluxLineDecoder(byte[] in, int off, int len, InfluxPrecision precision, long nowMs, WriteBatch out) {
        this.in = in;
        this.end = off + len;
        this.precision = precision;
        this.nowMs = nowMs;
        this.out = out;
    }

    public static void decode(byte[] in, int off, int len, InfluxPrecision precision, long nowMs, WriteBatch out) {
        out.reset(new byte[Math.max(256, len)], 0);
        InfluxLineDecoder d = new InfluxLineDecoder(in, off, len, precision, nowMs, out);
        int p = off;
        while (p < d.end) {
            int eol = p;
            while (eol < d.end && in[eol] != '\n') eol++;
            d.lineNo++;
            int s = p, e = eol;
            while (s < e && (in[s] == ' ' || in[s] == '\t')) s++;
            while (e > s && (in[e - 1] == '\r' || in[e - 1] == ' ' || in[e - 1] == '\t')) e--;
            if (s < e && in[s] != '#') d.line(s, e);
            p = eol + 1;
        }
    }

    private MalformedRequestException error(String what) {
        return new MalformedRequestException("line " + lineNo + ": " + what);
    }

    private void line(int s, int e) {
        // measurement: up to an unescaped ',' or ' '
        int p = s;
        int mLen = 0;
        while (p < e && in[p] != ',' && in[p] != ' ') {
            if (in[p] == '\\' && p + 1 < e && (in[p + 1] == ',' || in[p + 1] == ' ')) p++;
            scratchPut(mLen++, in[p++]);
        }
        if (mLen == 0) throw error("missing measurement");
        byte[] measurement = Arrays.copyOf(scratch, mLen);
        tags = 0;
        while (p < e && in[p] == ',') {
            p++;
            int kStart = p;
            int kLen = 0;
            while (p < e && in[p] != '=') {
                if (in[p] == ',' || in[p] == ' ') throw error("tag key without '=' near column " + (p - s + 1));
                if (in[p] == '\\' && p + 1 < e && isTagEscapable(in[p + 1])) p++;
                scratchPut(kLen++, in[p++]);
            }
            if (p >= e || kLen == 0) throw error("empty or unterminated tag key at column " + (kStart - s + 1));
            p++; // '='
            int keyOff = out.appendBytes(sanitise(scratch, kLen, false), 0, lastSanitisedLen);
            int keyLen = lastSanitisedLen;
            int vLen = 0;
            while (p < e && in[p] != ',' && in[p] != ' ') {
                if (in[p] == '\\' && p + 1 < e && isTagEscapable(in[p + 1])) p++;
                scratchPut(vLen++, in[p++]);
            }
            if (vLen == 0) throw error("empty value for tag \"" + Utf8Bytes.string(out.bytes(), keyOff, keyLen) + "\"");
            int valOff = out.appendBytes(scratch, 0, vLen);
            addTag(keyOff, keyLen, valOff, vLen);
        }
        if (p >= e || in[p] != ' ') throw error("missing fields after measurement and tags");
        while (p < e && in[p] == ' ') p++;
        // fields: find the end of the field set (an unescaped space outside quotes)
        int fStart = p;
        boolean quoted = false;
        while (p < e) {
            byte c = in[p];
            if (c == '\\' && p + 1 < e) { p += 2; continue; }
            if (c == '"') quoted = !quoted;
            else if (c == ' ' && !quoted) break;
            p++;
        }
        if (quoted) throw error("unterminated string field value");
        int fEnd = p;
        while (p < e && in[p] == ' ') p++;
        long tsMs;
        if (p < e) {
            String t = new String(in, p, e - p, StandardCharsets.US_ASCII);
            try {
                tsMs = precision.toMillis(Long.parseLong(t));
            } catch (NumberFormatException | ArithmeticException ex) {
                throw error("invalid timestamp \"" + t + "\"");
            }
        } else {
            tsMs = nowMs;
        }
        fields(fStart, fEnd, measurement, tsMs, s);
    }

    private void fields(int p, int e, byte[] measurement, long tsMs, int lineStart) {
        if (p >= e) throw error("missing fields");
        while (p < e) {
            int kLen = 0;
            while (p < e && in[p] != '=') {
                if (in[p] == ',' || in[p] == ' ') throw error("field key without '=' near column " + (p - lineStart + 1));
                if (in[p] == '\\' && p + 1 < e && isTagEscapable(in[p + 1])) p++;
                scratchPut(kLen++, in[p++]);
            }
            if (p >= e || kLen == 0) throw error("empty or unterminated field key");
            byte[] fieldKey = Arrays.copyOf(scratch, kLen);
            p++; // '='
            if (p >= e) throw error("missing value for field \"" + new String(fieldKey, StandardCharsets.UTF_8) + "\"");
            int vStart = p;
            if (in[p] == '"') {
                p++;
                while (p < e && in[p] != '"') {
                    if (in[p] == '\\' && p + 1 < e) p++;
                    p++;
                }
                if (p >= e) throw error("unterminated string field value");
                p++; // closing quote
                out.countStringFieldIgnored();
            } else {
                while (p < e && in[p] != ',') p++;
                if (p == vStart) {
                    throw error("missing value for field \"" + new String(fieldKey, StandardCharsets.UTF_8) + "\"");
                }
                double v = parseValue(new String(in, vStart, p - vStart, StandardCharsets.UTF_8), fieldKey);
                emit(measurement, fieldKey, tsMs, v);
            }
            if (p < e) {
                if (in[p] != ',') throw error("expected ',' between fields near column " + (p - lineStart + 1));
                p++;
                if (p >= e) throw error("trailing ',' after the last field");
            }
        }
    }

    private double parseValue(String v, byte[] fieldKey) {
        switch (v) {
            case "t", "T", "true", "True", "TRUE": return 1;
            case "f", "F", "false", "False", "FALSE": return 0;
            default: break;
        }
        try {
            char last = v.charAt(v.length() - 1);
            if (last == 'i') return Long.parseLong(v.substring(0, v.length() - 1));
            if (last == 'u') {
                String digits = v.substring(0, v.length() - 1);
                if (digits.startsWith("-")) throw new NumberFormatException("negative unsigned");
                return unsignedToDouble(Long.parseUnsignedLong(digits));
            }
            if (!v.isEmpty() && (Character.isDigit(last) || last == '.')) {
                double d = Double.parseDouble(v);
                return d;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error naming the field
        }
        throw error("invalid value \"" + v + "\" for field \"" + new String(fieldKey, StandardCharsets.UTF_8) + "\"");
    }

    private static double unsignedToDouble(long u) {
        double d = (double) (u >>> 1) * 2.0;
        return d + (u & 1);
    }

    private void emit(byte[] measurement, byte[] fieldKey, long tsMs, double v) {
        int n = measurement.length + 1 + fieldKey.length;
        byte[] joined = new byte[n];
        System.arraycopy(measurement, 0, joined, 0, measurement.length);
        joined[measurement.length] = '_';
        System.arraycopy(fieldKey, 0, joined, measurement.length + 1, fieldKey.length);
        byte[] name = sanitise(joined, n, true);
        int nameOff = out.appendBytes(name, 0, lastSanitisedLen);
        int nameLen = lastSanitisedLen;
        int metricKeyOff = out.appendBytes(METRIC_NAME, 0, METRIC_NAME.length);
        out.beginSeries();
        out.addLabel(metricKeyOff, METRIC_NAME.length, nameOff, nameLen);
        for (int i = 0; i < tags; i++) out.addLabel(tagKeyOff[i], tagKeyLen[i], tagValOff[i], tagValLen[i]);
        out.addSample(tsMs, v);
        out.endSeries();
    }

    private static final byte[] METRIC_NAME = "__name__".getBytes(StandardCharsets.US_ASCII);

    private int lastSanitisedLen;

    /**
     * Maps a name to Prometheus's legacy character set: each code point outside {@code [a-zA-Z0-9_]}
     * (plus {@code :} for metric names) becomes {@code _}; a leading digit gets a {@code _} prefix.
     */
    private byte[] sanitise(byte[] src, int len, boolean metric) {
        byte[] dst = new byte[len + 1];
        int n = 0;
        if (len > 0 && src[0] >= '0' && src[0] <= '9') dst[n++] = '_';
        for (int i = 0; i < len; i++) {
            int c = src[i] & 0xFF;
            if ((c & 0xC0) == 0x80) continue; // UTF-8 continuation byte: its lead already became '_'
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (metric && c == ':');
            dst[n++] = ok ? (byte) c : (byte) '_';
        }
        lastSanitisedLen = n;
        return dst;
    }

    private static boolean isTagEscapable(byte c) {
        return c == ',' || c == '=' || c == ' ' || c == '\\';
    }

    private void scratchPut(int i, byte b) {
        if (i == scratch.length) scratch = Arrays.copyOf(scratch, i * 2);
        scratch[i] = b;
    }

    private void addTag(int kOff, int kLen, int vOff, int vLen) {
        if (tags + 1 >= out.limits().maxLabelsPerSeries()) { // + 1: the metric name is a label too
            throw error("more than " + (out.limits().maxLabelsPerSeries() - 1) + " tags (the limit per series is "
                    + out.limits().maxLabelsPerSeries() + " labels, the metric name included)");
        }
        if (tags == tagKeyOff.length) {
            tagKeyOff = Arrays.copyOf(tagKeyOff, tags * 2);
            tagKeyLen = Arrays.copyOf(tagKeyLen, tags * 2);
            tagValOff = Arrays.copyOf(tagValOff, tags * 2);
            tagValLen = Arrays.copyOf(tagValLen, tags * 2);
        }
        tagKeyOff[tags] = kOff;
        tagKeyLen[tags] = kLen;
        tagValOff[tags] = vOff;
        tagValLen[tags] = vLen;
        tags++;
    }
}
