package dev.strata.query.api;

/**
 * Decodes label names written with Prometheus's value-encoding escaping ({@code U__} prefix, used in
 * URL paths for UTF-8 names): {@code __} is {@code _}, {@code _<hex>_} is the code point; any
 * malformed escape leaves the name as given (prometheus/common's {@code UnescapeName}).
 */
final class LabelNameEscaping {
    private LabelNameEscaping() {}

    static String unescape(String name) {
        if (!name.startsWith("U__")) return name;
        String e = name.substring(3);
        StringBuilder sb = new StringBuilder(e.length());
        int i = 0;
        top:
        while (i < e.length()) {
            char c = e.charAt(i);
            if (c != '_') {
                sb.append(c);
                i++;
                continue;
            }
            i++;
            if (i >= e.length()) return name;
            if (e.charAt(i) == '_') {
                sb.append('_');
                i++;
                continue;
            }
            long cp = 0;
            for (int j = 0; i < e.length(); j++) {
                if (j >= 6) return name;
                char h = e.charAt(i);
                if (h == '_') {
                    if (cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) return name;
                    sb.appendCodePoint((int) cp);
                    i++;
                    continue top;
                }
                int d = (h >= '0' && h <= '9') ? h - '0' : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                        : (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
                if (d < 0) return name;
                cp = cp * 16 + d;
                i++;
            }
            return name;
        }
        return sb.toString();
    }
}
