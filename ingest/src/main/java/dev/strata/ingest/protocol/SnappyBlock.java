package dev.strata.ingest.protocol;

import java.io.IOException;
import org.xerial.snappy.Snappy;

/** Snappy block format (not framed), as remote write uses, with a cap on the decompressed size. */
public final class SnappyBlock {
    private SnappyBlock() {}

    /** Decompresses {@code body}; the result array may be longer than the data (see {@code length}). */
    public static byte[] decompress(byte[] body, int off, int len, int maxDecompressedBytes) {
        int n;
        try {
            n = Snappy.uncompressedLength(body, off, len);
        } catch (IOException | RuntimeException e) {
            throw new MalformedRequestException("snappy: cannot read the uncompressed length of a "
                    + len + "-byte body: " + e.getMessage(), e);
        }
        if (n < 0 || n > maxDecompressedBytes) {
            throw new RequestTooLargeException("snappy: decompressed size " + n + " bytes exceeds the limit of "
                    + maxDecompressedBytes + " bytes (ingest.max-decompressed-bytes)");
        }
        byte[] out = new byte[n];
        try {
            int got = Snappy.uncompress(body, off, len, out, 0);
            if (got != n) {
                throw new MalformedRequestException("snappy: expected " + n + " bytes, decompressed " + got);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedRequestException m) throw m;
            throw new MalformedRequestException("snappy: corrupt " + len + "-byte body: " + e.getMessage(), e);
        }
        return out;
    }

    public static byte[] compress(byte[] raw, int off, int len) {
        try {
            byte[] out = new byte[Snappy.maxCompressedLength(len)];
            int n = Snappy.compress(raw, off, len, out, 0);
            return java.util.Arrays.copyOf(out, n);
        } catch (IOException e) {
            throw new IllegalStateException("snappy compression failed", e);
        }
    }
}
