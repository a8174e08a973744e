package dev.strata.store.encoding;

/**
 * The optional start-timestamp column of a chunk (see {@link ChunkFormat}): one start timestamp per
 * sample, ms since the epoch, 0 meaning "unknown". Start timestamps are not monotonic (a cumulative
 * counter repeats one value until it restarts; a delta series steps with its samples), so the column
 * reuses the timestamp codecs' bit layouts without their "strictly increasing" rule:
 * {@code ts-regular} (every delta equal, including 0: no payload bits) or {@code ts-dod}
 * (delta-of-delta prefix code, deltas may be negative). The header holds the first value, the signed
 * difference last - first, and the payload byte length. Not thread safe (scratch codecs).
 */
public final class StartTimestampColumn {
    private final DodTimestampCodec dod = new DodTimestampCodec();

    /** True if st[0..count) holds at least one known (non-zero) start timestamp. */
    public static boolean anyKnown(long[] st, int count) {
        if (st == null) return false;
        for (int i = 0; i < count; i++) if (st[i] != 0) return true;
        return false;
    }

    /** Writes st[0..count) to {@code out} and returns the codec id used. */
    int encode(long[] st, int count, BitWriter out) {
        if (isRegular(st, count)) return RegularTimestampCodec.ID;
        dod.encode(st, count, out);
        return DodTimestampCodec.ID;
    }

    private static boolean isRegular(long[] st, int count) {
        if (count < 3) return true;
        long d = st[1] - st[0];
        for (int i = 2; i < count; i++) if (st[i] - st[i - 1] != d) return false;
        return true;
    }

    /** Decodes {@code count} start timestamps into dst[0..count); checks them against the header's first/last. */
    void decode(int codec, BitReader in, long first, long last, int count, long[] dst) {
        switch (codec) {
            case RegularTimestampCodec.ID -> {
                if (count == 1) {
                    if (first != last) throw new CorruptChunkException("start timestamps (regular): 1 sample but first=" + first + " != last=" + last);
                    dst[0] = first;
                    return;
                }
                long span = last - first;
                if (span % (count - 1) != 0) {
                    throw new CorruptChunkException("start timestamps (regular): span " + span + " ms is not a multiple of " + (count - 1) + " intervals");
                }
                long d = span / (count - 1);
                long v = first;
                for (int i = 0; i < count; i++) {
                    dst[i] = v;
                    v += d;
                }
            }
            case DodTimestampCodec.ID -> {
                dod.decodeIncreasing(in, first, count, dst); // not monotonic by nature: the flag is irrelevant
                if (dst[count - 1] != last) {
                    throw new CorruptChunkException("start timestamps (ts-dod): decoded last " + dst[count - 1] + " != header " + last);
                }
            }
            default -> throw new CorruptChunkException("unknown start timestamp codec id " + codec);
        }
    }
}
