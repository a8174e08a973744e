package dev.strata.store.encoding;

/**
 * The fast path for regular scrape intervals: every delta is the same, so the header's first/last
 * timestamp and count determine all timestamps and the payload is empty (0 bits).
 */
public final class RegularTimestampCodec implements TimestampCodec {
    public static final int ID = 1;

    @Override public int id() { return ID; }
    @Override public String name() { return "ts-regular"; }

    @Override
    public boolean encode(long[] ts, int count, BitWriter out) {
        if (count < 3) return true;
        long d = ts[1] - ts[0];
        for (int i = 2; i < count; i++) {
            if (ts[i] - ts[i - 1] != d) return false;
        }
        return true;
    }

    @Override
    public void decode(BitReader in, long first, long last, int count, long[] dst) {
        if (count == 1) {
            if (first != last) throw new CorruptChunkException("regular timestamps: 1 sample but first=" + first + " != last=" + last);
            dst[0] = first;
            return;
        }
        long span = last - first;
        if (span <= 0 || span % (count - 1) != 0) {
            throw new CorruptChunkException("regular timestamps: span " + span + " ms is not a positive multiple of " + (count - 1) + " intervals");
        }
        long d = span / (count - 1);
        long t = first;
        for (int i = 0; i < count; i++) {
            dst[i] = t;
            t += d;
        }
    }
}
