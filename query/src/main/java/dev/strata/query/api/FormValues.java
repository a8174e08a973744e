package dev.strata.query.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request's form: URL query parameters plus, for a POST with
 * {@code Content-Type: application/x-www-form-urlencoded}, the body's parameters. As Go's
 * {@code Request.Form}, body values come before URL values of the same name, so {@link #first}
 * prefers the body. Pairs are split on {@code &} only; {@code +} is a space; a pair with a broken
 * percent escape or a {@code ;} is skipped (Go drops such pairs too).
 */
public final class FormValues {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private FormValues() {}

    public static FormValues parse(String bodyForm, String urlQuery) {
        FormValues f = new FormValues();
        if (bodyForm != null) f.addAll(bodyForm);
        if (urlQuery != null) f.addAll(urlQuery);
        return f;
    }

    private void addAll(String encoded) {
        int i = 0;
        int n = encoded.length();
        while (i <= n) {
            int amp = encoded.indexOf('&', i);
            if (amp < 0) amp = n;
            String pair = encoded.substring(i, amp);
            i = amp + 1;
            if (pair.isEmpty() || pair.indexOf(';') >= 0) continue;
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (k == null || v == null) continue;
            values.computeIfAbsent(k, x -> new ArrayList<>(1)).add(v);
        }
    }

    /** Percent-decodes as UTF-8; null when an escape is malformed. */
    static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                if (i + 2 >= s.length()) return null;
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) return null;
                out.write((hi << 4) | lo);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The first value of {@code name}, or "" when absent (Go's {@code FormValue}). */
    public String first(String name) {
        List<String> l = values.get(name);
        return l == null || l.isEmpty() ? "" : l.get(0);
    }

    /** All values of {@code name} in form order (body first), empty when absent. */
    public List<String> all(String name) {
        List<String> l = values.get(name);
        return l == null ? List.of() : Collections.unmodifiableList(l);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }
}
