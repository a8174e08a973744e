package dev.strata.store.encoding;

import java.util.zip.CRC32C;

/**
 * Decodes chunks written by {@link ChunkWriter}, verifying the checksum first and the payload's
 * consistency with the header after. Holds codec instances with scratch state: one reader per
 * thread.
 */
public final class ChunkReader {
    private final TimestampCodec[] tsCodecs = new TimestampCodec[16];
    private final ValueCodec[] valueCodecs = new ValueCodec[16];
    private final BitReader bits = new BitReader();
    private final CRC32C crc = new CRC32C();
    private final StartTimestampColumn stColumn = new StartTimestampColumn();

    public ChunkReader() {
        for (int id = 0; id < 16; id++) {
            tsCodecs[id] = ChunkFormat.timestampCodec(id);
            valueCodecs[id] = ChunkFormat.valueCodec(id);
        }
    }

    /** Verifies the CRC32C of chunk[off, off+len). */
    public void verifyChecksum(byte[] chunk, int off, int len) {
        if (len < ChunkFormat.MIN_LENGTH) {
            throw new CorruptChunkException("chunk too short: " + len + " bytes < minimum " + ChunkFormat.MIN_LENGTH);
        }
        crc.reset();
        crc.update(chunk, off, len - 4);
        int actual = (int) crc.getValue();
        int p = off + len - 4;
        int expected = ((chunk[p] & 0xFF) << 24) | ((chunk[p + 1] & 0xFF) << 16) | ((chunk[p + 2] & 0xFF) << 8) | (chunk[p + 3] & 0xFF);
        if (expected != actual) {
            throw new CorruptChunkException(String.format("checksum mismatch: expected=0x%08x actual=0x%08x", expected, actual));
        }
    }

    /**
     * Decodes chunk[off, off+len) into timestamps/values (each with capacity >= the header's count)
     * and returns the sample count.
     */
    public int decode(byte[] chunk, int off, int len, long[] timestamps, double[] values) {
        verifyChecksum(chunk, off, len);
        ChunkHeader h = ChunkHeader.read(chunk, off, len);
        return decode(chunk, off, len, h, timestamps, values);
    }

    /** Decodes with an already parsed header, checksum already verified. */
    public int decode(byte[] chunk, int off, int len, ChunkHeader h, long[] timestamps, double[] values) {
        int n = h.count();
        if (timestamps.length < n || values.length < n) {
            throw new IllegalArgumentException("destination arrays hold " + Math.min(timestamps.length, values.length) + " < " + n + " samples");
        }
        TimestampCodec tc = tsCodecs[h.timestampCodec()];
        if (tc == null) throw new CorruptChunkException("unknown timestamp codec id " + h.timestampCodec());
        ValueCodec vc = valueCodecs[h.valueCodec()];
        if (vc == null) throw new CorruptChunkException("unknown value codec id " + h.valueCodec());
        int payloadEnd = off + len - 4 - h.stBytes(); // the start-timestamp column, if any, is last
        int payloadLen = payloadEnd - h.payloadOffset();
        bits.reset(chunk, h.payloadOffset(), payloadLen);
        boolean increasing = true;
        if (tc instanceof DodTimestampCodec dod) {
            increasing = dod.decodeIncreasing(bits, h.firstTimestamp(), n, timestamps); // checked below, after the checks that precede it
        } else {
            tc.decode(bits, h.firstTimestamp(), h.lastTimestamp(), n, timestamps);
        }
        if (bits.overrun()) throw tooShort(n, payloadLen, tc.name());
        if (timestamps[n - 1] != h.lastTimestamp()) {
            throw new CorruptChunkException(tc.name() + ": decoded last timestamp " + timestamps[n - 1] + " != header " + h.lastTimestamp());
        }
        // regular: increasing by construction (span checked); dod and step-runs: checked while decoding
        if (!increasing || (tc.id() != RegularTimestampCodec.ID && tc.id() != DodTimestampCodec.ID && tc.id() != StepRunsTimestampCodec.ID)) {
            for (int i = 1; i < n; i++) {
                if (timestamps[i] <= timestamps[i - 1]) throw new CorruptChunkException(tc.name() + ": timestamps not increasing at sample " + i);
            }
        }
        bits.alignToByte();
        vc.decode(bits, n, values);
        if (bits.overrun()) throw tooShort(n, payloadLen, vc.name());
        bits.alignToByte();
        if (bits.bytePosition() != payloadEnd) {
            throw new CorruptChunkException("payload has " + (payloadEnd - bits.bytePosition()) + " trailing bytes after " + n + " samples");
        }
        return n;
    }

    /**
     * Decodes the chunk's start timestamps (checksum verified, header parsed) into dst[0..count) and
     * returns true; returns false, leaving dst alone, when the chunk has no start-timestamp column.
     */
    public boolean decodeStartTimestamps(byte[] chunk, int off, int len, ChunkHeader h, long[] dst) {
        if (!h.hasStartTimestamps()) return false;
        int n = h.count();
        if (dst.length < n) throw new IllegalArgumentException("destination array holds " + dst.length + " < " + n + " start timestamps");
        int end = off + len - 4;
        int from = end - h.stBytes();
        bits.reset(chunk, from, h.stBytes());
        stColumn.decode(h.stCodec(), bits, h.stFirst(), h.stLast(), n, dst);
        if (bits.overrun()) throw new CorruptChunkException("cannot decode " + n + " start timestamps from " + h.stBytes() + " bytes");
        bits.alignToByte();
        if (bits.bytePosition() != end) {
            throw new CorruptChunkException("start timestamp column has " + (end - bits.bytePosition()) + " trailing bytes after " + n + " values");
        }
        return true;
    }

    private static CorruptChunkException tooShort(int n, int payloadLen, String codec) {
        return new CorruptChunkException("cannot decode " + n + " samples from " + payloadLen + " payload bytes (" + codec + ")");
    }
}
