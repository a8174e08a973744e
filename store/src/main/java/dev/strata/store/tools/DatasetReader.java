package dev.strata.store.tools;

import dev.strata.store.model.Labels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Streams a dataset file (gzip-compressed JSON Lines, one series per line in the shape of a
 * Prometheus query API matrix element: {@code {"metric":{...},"values":[[1795294283.01,"1.5"],...]}})
 * series by series. Timestamps (seconds with up to millisecond precision) are converted to
 * milliseconds exactly from their decimal text; values "NaN", "+Inf", "-Inf" and decimals are parsed.
 */
public final class DatasetReader {
    /** Receives one series: samples [0, count) of the arrays (reused between calls). */
    @FunctionalInterface
    public interface SeriesConsumer {
        void accept(Labels labels, long[] timestamps, double[] values, int count);
    }

    private DatasetReader() {}

    public static void read(Path file, SeriesConsumer consumer) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16), consumer);
        }
    }

    static void read(java.io.Reader reader, SeriesConsumer consumer) throws IOException {
        JsonPullParser p = new JsonPullParser(reader);
        long[] ts = new long[1024];
        double[] vs = new double[1024];
        int line = 0;
        while (true) {
            JsonPullParser.Token t = p.next();
            if (t == JsonPullParser.Token.EOF) return;
            line++;
            if (t != JsonPullParser.Token.BEGIN_OBJECT) throw new IOException("series " + line + ": expected an object at offset " + p.offset());
            Map<String, String> metric = null;
            int n = 0;
            while ((t = p.next()) != JsonPullParser.Token.END_OBJECT) {
                String name = p.text();
                JsonPullParser.Token v = p.next();
                if (name.equals("metric") && v == JsonPullParser.Token.BEGIN_OBJECT) {
                    metric = new LinkedHashMap<>();
                    while (p.next() == JsonPullParser.Token.NAME) {
                        String k = p.text();
                        if (p.next() != JsonPullParser.Token.STRING) throw new IOException("series " + line + ": label " + k + " is not a string");
                        metric.put(k, p.text());
                    }
                } else if (name.equals("values") && v == JsonPullParser.Token.BEGIN_ARRAY) {
                    while (p.next() == JsonPullParser.Token.BEGIN_ARRAY) {
                        if (p.next() != JsonPullParser.Token.NUMBER) throw new IOException("series " + line + ": sample " + n + " has no numeric timestamp");
                        long tMs = parseMillis(p.text());
                        if (p.next() != JsonPullParser.Token.STRING) throw new IOException("series " + line + ": sample " + n + " has no string value");
                        double val = parseValue(p.text());
                        if (p.next() != JsonPullParser.Token.END_ARRAY) throw new IOException("series " + line + ": sample " + n + " has more than 2 elements");
                        if (n == ts.length) {
                            ts = Arrays.copyOf(ts, n * 2);
                            vs = Arrays.copyOf(vs, n * 2);
                        }
                        ts[n] = tMs;
                        vs[n] = val;
                        n++;
                    }
                } else {
                    p.skipValue(v);
                }
            }
            if (metric == null) throw new IOException("series " + line + ": no \"metric\" object");
            consumer.accept(Labels.of(metric), ts, vs, n);
        }
    }

    /** "1795294283.01" -> 1795294283010, exactly (no floating point). */
    static long parseMillis(String s) throws IOException {
        int dot = s.indexOf('.');
        if (s.indexOf('e') >= 0 || s.indexOf('E') >= 0) return Math.round(Double.parseDouble(s) * 1000);
        try {
            if (dot < 0) return Math.multiplyExact(Long.parseLong(s), 1000L);
            String frac = (s.substring(dot + 1) + "000").substring(0, 3);
            if (s.length() - dot - 1 > 3 && !s.substring(dot + 4).chars().allMatch(c -> c == '0')) {
                throw new IOException("timestamp " + s + " has sub-millisecond precision");
            }
            long secs = Long.parseLong(s.substring(0, dot).isEmpty() || s.substring(0, dot).equals("-") ? s.substring(0, dot) + "0" : s.substring(0, dot));
            long ms = Long.parseLong(frac);
            return s.startsWith("-") ? secs * 1000 - ms : secs * 1000 + ms;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IOException("bad timestamp " + s);
        }
    }

    static double parseValue(String s) throws IOException {
        switch (s) {
            case "NaN": return Double.NaN;
            case "+Inf": case "Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IOException("bad sample value \"" + s + "\"");
                }
        }
    }
}
