package dev.strata.ingest.protocol;

import java.nio.charset.StandardCharsets;

/** Helpers over UTF-8 byte ranges, so decoded labels need no String until a series is new. */
public final class Utf8Bytes {
    private Utf8Bytes() {}

    /** True if {@code b[off, off+len)} is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
    public static boolean isValid(byte[] b, int off, int len) {
        int i = off, end = off + len;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int min;
            if (c >= 0xC2 && c <= 0xDF) { n = 1; min = 0x80; }
            else if (c >= 0xE0 && c <= 0xEF) { n = 2; min = 0x800; }
            else if (c >= 0xF0 && c <= 0xF4) { n = 3; min = 0x10000; }
            else return false;
            if (end - i <= n) return false;
            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) return false;
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
            i += n + 1;
        }
        return true;
    }

    /**
     * Compares two UTF-8 ranges in the order {@link String#compareTo} gives the decoded strings
     * (UTF-16 code-unit order), which is the canonical label order of {@code Labels}. UTF-8 byte
     * order equals code-point order; it differs from UTF-16 order only between a supplementary
     * character (lead byte F0..F4) and a BMP character U+E000..U+FFFF (lead byte EE or EF), where
     * UTF-16's surrogates (D800..DFFF) sort first. Ranges must be valid UTF-8.
     */
    public static int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        int n = Math.min(aLen, bLen);
        for (int i = 0; i < n; i++) {
            int x = a[aOff + i] & 0xFF, y = b[bOff + i] & 0xFF;
            if (x != y) {
                if (x >= 0xF0 && (y == 0xEE || y == 0xEF)) return -1;
                if (y >= 0xF0 && (x == 0xEE || x == 0xEF)) return 1;
                return x - y;
            }
        }
        return aLen - bLen;
    }

    public static boolean equals(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        return aLen == bLen && java.util.Arrays.equals(a, aOff, aOff + aLen, b, bOff, bOff + bLen);
    }

    public static String string(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }
}
