package dev.strata.store.encoding;

/**
 * Gorilla XOR (Facebook, VLDB 2015), the baseline. The first value is stored as 64 raw bits; each
 * next value is XORed with its predecessor:
 * <pre>
 *   '0'                                   xor == 0
 *   '10' + meaningful bits                the meaningful bits fit the previous window
 *   '11' + 5-bit leading zeros + 6-bit length (64 stored as 0) + meaningful bits
 * </pre>
 */
public final class XorValueCodec implements ValueCodec {
    public static final int ID = 1;

    @Override public int id() { return ID; }
    @Override public String name() { return "gorilla-xor"; }

    @Override
    public boolean encode(double[] values, int count, BitWriter out) {
        long prev = Double.doubleToRawLongBits(values[0]);
        out.write(prev, 64);
        int prevLead = -1, prevTrail = 0;
        for (int i = 1; i < count; i++) {
            long cur = Double.doubleToRawLongBits(values[i]);
            long xor = cur ^ prev;
            prev = cur;
            if (xor == 0) {
                out.write(0, 1);
                continue;
            }
            int lead = Math.min(Long.numberOfLeadingZeros(xor), 31);
            int trail = Long.numberOfTrailingZeros(xor);
            if (prevLead >= 0 && lead >= prevLead && trail >= prevTrail) {
                out.write(0b10, 2);
                out.write(xor >>> prevTrail, 64 - prevLead - prevTrail);
            } else {
                int sig = 64 - lead - trail;
                out.write(0b11, 2);
                out.write(lead, 5);
                out.write(sig & 63, 6);
                out.write(xor >>> trail, sig);
                prevLead = lead;
                prevTrail = trail;
            }
        }
        return true;
    }

    @Override
    public void decode(BitReader in, int count, double[] dst) {
        long pos = in.position();
        long prev = in.peekAt(pos);
        pos += 64;
        dst[0] = Double.longBitsToDouble(prev);
        int lead = 0, trail = 0;
        for (int i = 1; i < count; i++) {
            long w = in.peekAt(pos);
            if (w >= 0) {               // '0'
                pos++;
            } else {
                int head;
                if ((w << 1) >= 0) {    // '10'
                    head = 2;
                } else {                // '11'
                    lead = (int) ((w << 2) >>> 59);
                    int sig = (int) ((w << 7) >>> 58);
                    if (sig == 0) sig = 64;
                    if (lead + sig > 64) throw new CorruptChunkException("gorilla-xor: leading zeros " + lead + " + length " + sig + " > 64 at sample " + i);
                    trail = 64 - lead - sig;
                    head = 13;
                }
                int sig = 64 - lead - trail;
                // the meaningful bits usually sit in the same 64-bit peek: no second dependent load
                long bits = head + sig <= 64 ? (w << head) >>> (64 - sig) : in.peekAt(pos + head) >>> (64 - sig);
                prev ^= bits << trail;
                pos += head + sig;
            }
            dst[i] = Double.longBitsToDouble(prev);
        }
        in.position(pos);
    }
}
