package dev.strata.query.remote;

/**
 * Prometheus's XOR encoding of a float against the previous one ({@code varbit_xor}), with the
 * leading/trailing-zero window it keeps between values: '0' when equal; else '1', then '0' + the
 * meaningful bits when they fit the current window, else '1' + leading zeros (5 bits, at most 31) +
 * significant bit count (6 bits, 64 written as 0) + the significant bits, which becomes the window.
 * One instance per value stream (an XOR chunk's values; a histogram chunk's sum; each count and bucket of
 * a float histogram chunk).
 */
final class XorValueWriter {
    private int leading = 0xff; // "no window yet"
    private int trailing;

    void write(BitWriter out, long bits, long prevBits) {
        long xor = bits ^ prevBits;
        if (xor == 0) {
            out.writeBits(0, 1);
            return;
        }
        out.writeBits(1, 1);
        int lead = Math.min(Long.numberOfLeadingZeros(xor), 31);
        int trail = Long.numberOfTrailingZeros(xor);
        if (leading != 0xff && lead >= leading && trail >= trailing) {
            out.writeBits(0, 1);
            out.writeBits(xor >>> trailing, 64 - leading - trailing);
        } else {
            leading = lead;
            trailing = trail;
            int sig = 64 - lead - trail;
            out.writeBits(1, 1);
            out.writeBits(lead, 5);
            out.writeBits(sig, 6); // 64 does not fit 6 bits and is written as 0
            out.writeBits(xor >>> trail, sig);
        }
    }
}
