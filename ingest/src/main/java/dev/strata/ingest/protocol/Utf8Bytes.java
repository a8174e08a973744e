package dev.strata.ingest.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Helpers over UTF-8 byte ranges, so decoded labels need no String until a series is new. */
public final class Utf8Bytes {
    private Utf8Bytes() {}

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** 8 bytes at {@code off}, little-endian (caller checks bounds). */
    public static long getLong(byte[] b, int off) {
        return (long) LONG.get(b, off);
    }

    /**
     * A cheap 32-bit hash of a byte range (length, first and last 8 bytes, and the middle for longer
     * ranges): for hash tables whose hits are confirmed by {@link #equals}.
     */
    public static int quickHash(byte[] b, int off, int len) {
        long h;
        if (len >= 8) {
            h = getLong(b, off) * 0x9E3779B97F4A7C15L ^ getLong(b, off + len - 8);
            if (len > 16) h = h * 0xC2B2AE3D27D4EB4FL ^ getLong(b, off + (len >>> 1) - 4);
        } else {
            h = 0;
            for (int i = 0; i < len; i++) h = (h << 8) | (b[off + i] & 0xFF);
        }
        h = (h ^ len) * 0xff51afd7ed558ccdL;
        return (int) (h ^ (h >>> 32));
    }

    /** True if {@code b[off, off+len)} is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
    public static boolean isValid(byte[] b, int off, int len) {
        int i = off, end = off + len;
        // ASCII fast path: 8 bytes at a time while no byte has its high bit set.
        while (i + 8 <= end && (getLong(b, i) & 0x8080808080808080L) == 0) i += 8;
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

    /** Byte equality; hand-rolled for short ranges, where Arrays.equals's setup cost dominates. */
    public static boolean equals(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        if (aLen != bLen) return false;
        if (aLen > 64) return java.util.Arrays.equals(a, aOff, aOff + aLen, b, bOff, bOff + bLen);
        int i = 0;
        for (; i + 8 <= aLen; i += 8) {
            if (getLong(a, aOff + i) != getLong(b, bOff + i)) return false;
        }
        if (i < aLen && aLen >= 8) {
            // Overlapping last word covers the tail.
            return getLong(a, aOff + aLen - 8) == getLong(b, bOff + aLen - 8);
        }
        for (; i < aLen; i++) {
            if (a[aOff + i] != b[bOff + i]) return false;
        }
        return true;
    }

    public static String string(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }
}
