package dev.strata.store.encoding;

/**
 * The parsed fixed part of a chunk. {@code payloadOffset} is the absolute offset of the payload in
 * the array the header was read from. {@code stCodec} is 0 when the chunk has no start-timestamp
 * column; otherwise the column's codec id, its first and last value and its byte length at the end
 * of the payload ({@code stBytes}).
 */
public record ChunkHeader(int timestampCodec, int valueCodec, int count, long firstTimestamp, long lastTimestamp, int payloadOffset,
                          int stCodec, long stFirst, long stLast, int stBytes) {

    /** A header without a start-timestamp column. */
    public ChunkHeader(int timestampCodec, int valueCodec, int count, long firstTimestamp, long lastTimestamp, int payloadOffset) {
        this(timestampCodec, valueCodec, count, firstTimestamp, lastTimestamp, payloadOffset, 0, 0, 0, 0);
    }

    /** Whether the chunk carries per-sample start timestamps. */
    public boolean hasStartTimestamps() {
        return stCodec != 0;
    }

    /** Parses and sanity-checks the header (not the checksum) of the chunk at chunk[off, off+len). */
    public static ChunkHeader read(byte[] chunk, int off, int len) {
        if (len < ChunkFormat.MIN_LENGTH) {
            throw new CorruptChunkException("chunk too short: " + len + " bytes < minimum " + ChunkFormat.MIN_LENGTH);
        }
        int magic = chunk[off] & 0xFF;
        int codecsAt;
        if (magic == ChunkFormat.MAGIC_V2) {
            codecsAt = off + 1;
        } else if (magic == ChunkFormat.MAGIC) {
            int version = chunk[off + 1] & 0xFF;
            if (version != ChunkFormat.VERSION_1) throw new CorruptChunkException("unsupported chunk version " + version + " (this build reads 1 and 2)");
            codecsAt = off + 2;
        } else {
            throw new CorruptChunkException(String.format("bad magic: expected=0x%02x or 0x%02x actual=0x%02x", ChunkFormat.MAGIC_V2, ChunkFormat.MAGIC, magic));
        }
        int codecs = chunk[codecsAt] & 0xFF;
        int end = off + len - 4;
        long[] pos = {codecsAt + 1};
        long count = uvarint(chunk, pos, end, "sample count");
        long first = Zigzag.decode(uvarint(chunk, pos, end, "first timestamp"));
        if (count < 1 || count > ChunkFormat.MAX_SAMPLES) throw new CorruptChunkException("bad sample count " + count);
        long span;
        if (magic == ChunkFormat.MAGIC_V2 && (codecs & ~ChunkFormat.ST_FLAG) >>> 4 == RegularTimestampCodec.ID) {
            // version 2, ts-regular: the field is the step; 0 for a single sample
            long step = uvarint(chunk, pos, end, "timestamp step");
            if (count == 1 ? step != 0 : step < 1 || step > Long.MAX_VALUE / (count - 1)) {
                throw new CorruptChunkException("timestamp step " + Long.toUnsignedString(step) + " ms is not valid for " + count + " regular timestamps");
            }
            span = step * (count - 1);
        } else {
            span = uvarint(chunk, pos, end, "timestamp span");
        }
        if (span < 0 || span < count - 1) throw new CorruptChunkException("timestamp span " + span + " ms cannot hold " + count + " increasing timestamps");
        if ((codecs & ChunkFormat.ST_FLAG) == 0) {
            return new ChunkHeader(codecs >>> 4, codecs & 15, (int) count, first, first + span, (int) pos[0]);
        }
        int p = (int) pos[0];
        if (p >= end) throw new CorruptChunkException("truncated header: start timestamp codec runs past the payload end");
        int stCodec = chunk[p] & 0xFF;
        if (stCodec == 0) throw new CorruptChunkException("start timestamp column flagged but codec id is 0");
        pos[0] = p + 1;
        long stFirst = Zigzag.decode(uvarint(chunk, pos, end, "first start timestamp"));
        long stLast = stFirst + Zigzag.decode(uvarint(chunk, pos, end, "start timestamp span"));
        long stBytes = uvarint(chunk, pos, end, "start timestamp column length");
        if (stBytes > end - pos[0]) {
            throw new CorruptChunkException("start timestamp column of " + stBytes + " bytes longer than the " + (end - pos[0]) + "-byte payload");
        }
        return new ChunkHeader((codecs & ~ChunkFormat.ST_FLAG) >>> 4, codecs & 15, (int) count, first, first + span, (int) pos[0],
                stCodec, stFirst, stLast, (int) stBytes);
    }

    private static long uvarint(byte[] b, long[] pos, int end, String what) {
        long v = 0;
        int p = (int) pos[0];
        for (int shift = 0; shift < 64; shift += 7) {
            if (p >= end) throw new CorruptChunkException("truncated header: " + what + " runs past the payload end");
            int x = b[p++] & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                pos[0] = p;
                return v;
            }
        }
        throw new CorruptChunkException("header varint for " + what + " longer than 10 bytes");
    }
}
