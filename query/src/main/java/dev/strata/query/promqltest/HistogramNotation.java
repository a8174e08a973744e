package dev.strata.query.promqltest;

import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.FloatHistogram.ResetHint;
import java.util.ArrayList;
import java.util.List;

/**
 * The test scripts' native-histogram notation: {@code {{schema:0 sum:5 count:4 z_bucket:1 z_bucket_w:0.001
 * buckets:[1 2 1] offset:1 n_buckets:[1] n_offset:0 custom_values:[1 2] counter_reset_hint:gauge}}}.
 * The bucket lists are contiguous from their offset (one span each); unset fields are 0 (schema 0,
 * hint unknown), as in Prometheus's series-description parser.
 */
record HistogramNotation(FloatHistogram histogram, boolean hintSet) {

    /** Parses one {@code {{...}}} group (braces included). */
    static HistogramNotation parse(String text) {
        String t = text.trim();
        if (!t.startsWith("{{") || !t.endsWith("}}")) throw new IllegalArgumentException("not a histogram: " + text);
        String body = t.substring(2, t.length() - 2).trim();
        int schema = 0;
        double sum = 0, count = 0, zeroCount = 0, zeroWidth = 0;
        double[] buckets = new double[0], nBuckets = new double[0], custom = null;
        int offset = 0, nOffset = 0;
        ResetHint hint = ResetHint.UNKNOWN;
        boolean hintSet = false;
        int i = 0;
        while (i < body.length()) {
            while (i < body.length() && Character.isWhitespace(body.charAt(i))) i++;
            if (i >= body.length()) break;
            int colon = body.indexOf(':', i);
            if (colon < 0) throw new IllegalArgumentException("bad histogram field in " + text);
            String key = body.substring(i, colon).trim();
            i = colon + 1;
            while (i < body.length() && Character.isWhitespace(body.charAt(i))) i++;
            String value;
            if (i < body.length() && body.charAt(i) == '[') {
                int close = body.indexOf(']', i);
                value = body.substring(i, close + 1);
                i = close + 1;
            } else {
                int s = i;
                while (i < body.length() && !Character.isWhitespace(body.charAt(i))) i++;
                value = body.substring(s, i);
            }
            switch (key) {
                case "schema" -> schema = Integer.parseInt(value);
                case "sum" -> sum = SeriesSpec.number(value);
                case "count" -> count = SeriesSpec.number(value);
                case "z_bucket" -> zeroCount = SeriesSpec.number(value);
                case "z_bucket_w" -> zeroWidth = SeriesSpec.number(value);
                case "buckets" -> buckets = list(value);
                case "n_buckets" -> nBuckets = list(value);
                case "offset" -> offset = Integer.parseInt(value);
                case "n_offset" -> nOffset = Integer.parseInt(value);
                case "custom_values" -> custom = list(value);
                case "counter_reset_hint" -> {
                    hintSet = true;
                    hint = switch (value) {
                        case "unknown" -> ResetHint.UNKNOWN;
                        case "reset" -> ResetHint.YES;
                        case "not_reset" -> ResetHint.NO;
                        case "gauge" -> ResetHint.GAUGE;
                        default -> throw new IllegalArgumentException("unknown counter_reset_hint " + value);
                    };
                }
                default -> throw new IllegalArgumentException("unknown histogram field " + key + " in " + text);
            }
        }
        int[] po = buckets.length == 0 ? new int[0] : new int[] {offset};
        int[] pl = buckets.length == 0 ? new int[0] : new int[] {buckets.length};
        int[] no = nBuckets.length == 0 ? new int[0] : new int[] {nOffset};
        int[] nl = nBuckets.length == 0 ? new int[0] : new int[] {nBuckets.length};
        FloatHistogram h = new FloatHistogram(hint, schema, zeroWidth, zeroCount, count, sum, po, pl, buckets, no, nl,
                nBuckets, custom);
        return new HistogramNotation(h, hintSet);
    }

    private static double[] list(String value) {
        String inner = value.substring(1, value.length() - 1).trim();
        if (inner.isEmpty()) return new double[0];
        List<Double> out = new ArrayList<>();
        for (String p : inner.split("\\s+")) out.add(SeriesSpec.number(p));
        double[] a = new double[out.size()];
        for (int k = 0; k < a.length; k++) a[k] = out.get(k);
        return a;
    }
}
