package dev.strata.store.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * A canonical, immutable label set: pairs sorted by name, names unique, no empty values (a label
 * with an empty value is the same as no label, as in Prometheus), strings interned so that millions
 * of series share one copy of each name and common value.
 *
 * <p>The series hash is XXH64 (seed 0) over {@code name 0xFF value 0xFF} for every pair in order, as
 * Prometheus's {@code labels.Hash} does; it is stable forever (see {@link XxHash64}).
 *
 * <p>{@link #of} validates names against Prometheus's rules: {@code __name__} must be present and
 * non-empty only when {@code requireName} is asked for; names must be non-empty, valid UTF-8 and
 * (legacy mode) match {@code [a-zA-Z_][a-zA-Z0-9_]*}. Prometheus 3 allows any UTF-8 name; we accept
 * UTF-8 names too and leave stricter checks to the receivers' configuration.
 */
public final class Labels implements Comparable<Labels>, Iterable<Labels.Label> {
    public static final String METRIC_NAME = "__name__";
    public static final Labels EMPTY = new Labels(new String[0]);

    private static final Map<String, String> INTERN = new ConcurrentHashMap<>();

    /** name0, value0, name1, value1, ... sorted by name. */
    private final String[] kv;
    private long hash;
    private boolean hashed;

    public record Label(String name, String value) {}

    private Labels(String[] kv) {
        this.kv = kv;
    }

    /** Builds a canonical label set from name/value pairs in any order. Empty values are dropped. */
    public static Labels of(String... nameValues) {
        if (nameValues.length % 2 != 0) {
            throw new InvalidLabelsException("odd number of label name/value strings: " + nameValues.length);
        }
        List<String[]> pairs = new ArrayList<>(nameValues.length / 2);
        for (int i = 0; i < nameValues.length; i += 2) {
            pairs.add(new String[] {nameValues[i], nameValues[i + 1]});
        }
        return fromPairs(pairs);
    }

    public static Labels of(Map<String, String> map) {
        List<String[]> pairs = new ArrayList<>(map.size());
        map.forEach((k, v) -> pairs.add(new String[] {k, v}));
        return fromPairs(pairs);
    }

    private static Labels fromPairs(List<String[]> pairs) {
        pairs.removeIf(p -> p[1] == null || p[1].isEmpty());
        pairs.sort((a, b) -> a[0].compareTo(b[0]));
        String[] kv = new String[pairs.size() * 2];
        for (int i = 0; i < pairs.size(); i++) {
            String name = pairs.get(i)[0];
            validateName(name);
            if (i > 0 && name.equals(pairs.get(i - 1)[0])) {
                throw new InvalidLabelsException("duplicate label name \"" + name + "\"");
            }
            validateUtf8(name, pairs.get(i)[1]);
            kv[2 * i] = intern(name);
            kv[2 * i + 1] = intern(pairs.get(i)[1]);
        }
        return new Labels(kv);
    }

    static void validateName(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidLabelsException("empty label name");
        }
    }

    private static void validateUtf8(String name, String value) {
        // Java strings are UTF-16; an unpaired surrogate cannot be encoded as UTF-8.
        for (String s : new String[] {name, value}) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isHighSurrogate(c)) {
                    if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                        throw new InvalidLabelsException("label \"" + name + "\" is not valid UTF-8");
                    }
                    i++;
                } else if (Character.isLowSurrogate(c)) {
                    throw new InvalidLabelsException("label \"" + name + "\" is not valid UTF-8");
                }
            }
        }
    }

    /** True if the name matches Prometheus's legacy rule {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    public static boolean isLegacyLabelName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) return false;
        }
        return true;
    }

    /** True if the name matches Prometheus's legacy metric-name rule {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
    public static boolean isLegacyMetricName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) return false;
        }
        return true;
    }

    public static String intern(String s) {
        String prev = INTERN.putIfAbsent(s, s);
        return prev == null ? s : prev;
    }

    public int size() {
        return kv.length / 2;
    }

    public boolean isEmpty() {
        return kv.length == 0;
    }

    public String name(int i) {
        return kv[2 * i];
    }

    public String value(int i) {
        return kv[2 * i + 1];
    }

    /** The value of {@code name}, or "" when absent (Prometheus semantics). */
    public String get(String name) {
        int lo = 0, hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = kv[2 * mid].compareTo(name);
            if (c == 0) return kv[2 * mid + 1];
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return "";
    }

    public boolean has(String name) {
        return !get(name).isEmpty();
    }

    public String metricName() {
        return get(METRIC_NAME);
    }

    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < kv.length; i += 2) action.accept(kv[i], kv[i + 1]);
    }

    /** Returns a copy with {@code name} set to {@code value} (removed when value is empty). */
    public Labels with(String name, String value) {
        Builder b = toBuilder();
        b.set(name, value);
        return b.build();
    }

    /** Returns this set without the given names ({@code this} when it has none of them). */
    public Labels without(String... names) {
        // A subset of a canonical set is canonical: filter the pairs, no re-sorting or validation.
        String[] out = new String[kv.length];
        int n = 0;
        for (int i = 0; i < kv.length; i += 2) {
            boolean drop = false;
            for (String name : names) {
                if (kv[i].equals(name)) {
                    drop = true;
                    break;
                }
            }
            if (drop) continue;
            out[n++] = kv[i];
            out[n++] = kv[i + 1];
        }
        return n == kv.length ? this : new Labels(Arrays.copyOf(out, n));
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        forEach(b::set);
        return b;
    }

    /** Stable 64-bit series hash: XXH64 over name 0xFF value 0xFF ... in canonical order. */
    public long hash() {
        if (!hashed) {
            hash = hashOf(null);
            hashed = true;
        }
        return hash;
    }

    /** XXH64 over only the given label names (in canonical order); absent names contribute nothing. */
    public long hashOf(String[] onlyNames) {
        byte[] buf = new byte[64];
        int n = 0;
        for (int i = 0; i < kv.length; i += 2) {
            if (onlyNames != null && Arrays.binarySearch(onlyNames, kv[i]) < 0) continue;
            byte[] k = kv[i].getBytes(StandardCharsets.UTF_8);
            byte[] v = kv[i + 1].getBytes(StandardCharsets.UTF_8);
            int need = n + k.length + v.length + 2;
            if (need > buf.length) buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
            System.arraycopy(k, 0, buf, n, k.length); n += k.length; buf[n++] = (byte) 0xFF;
            System.arraycopy(v, 0, buf, n, v.length); n += v.length; buf[n++] = (byte) 0xFF;
        }
        return XxHash64.hash(buf, 0, n, 0L);
    }

    @Override
    public int compareTo(Labels o) {
        int n = Math.min(kv.length, o.kv.length);
        for (int i = 0; i < n; i++) {
            if (kv[i] == o.kv[i]) continue; // interned: equal names and values are usually the same object
            int c = kv[i].compareTo(o.kv[i]);
            if (c != 0) return c;
        }
        return Integer.compare(kv.length, o.kv.length);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Labels l && Arrays.equals(kv, l.kv));
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hash());
    }

    @Override
    public Iterator<Label> iterator() {
        return new Iterator<>() {
            int i;
            @Override public boolean hasNext() { return i < kv.length; }
            @Override public Label next() {
                if (i >= kv.length) throw new NoSuchElementException();
                Label l = new Label(kv[i], kv[i + 1]);
                i += 2;
                return l;
            }
        };
    }

    /** Prometheus's text form: {@code name{a="1", b="2"}} (values escaped). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        String name = metricName();
        sb.append(name);
        sb.append('{');
        boolean first = true;
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i].equals(METRIC_NAME)) continue;
            if (!first) sb.append(", ");
            first = false;
            sb.append(kv[i]).append("=\"");
            escape(kv[i + 1], sb);
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    /**
     * Appends {@code v} with the Prometheus text format's label-value escapes (backslash, double quote,
     * newline): the one escaping of label values for the exposition format, {@code /federate}, and
     * matchers' and label sets' text forms.
     */
    public static void escape(String v, StringBuilder sb) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
    }

    /** Mutable builder; {@link #build()} canonicalises. Not thread safe. */
    public static final class Builder {
        private final java.util.TreeMap<String, String> map = new java.util.TreeMap<>();

        public Builder set(String name, String value) {
            if (value == null || value.isEmpty()) map.remove(name); else map.put(name, value);
            return this;
        }

        public Builder remove(String name) {
            map.remove(name);
            return this;
        }

        public String get(String name) {
            return map.getOrDefault(name, "");
        }

        public Labels build() {
            return Labels.of(map);
        }
    }
}
