package dev.strata.store.encoding;

import java.util.zip.CRC32C;

/**
 * Encodes samples into chunks (see {@link ChunkFormat}). Timestamps: ts-regular when it applies,
 * otherwise the smaller of ts-dod and ts-step-runs (ties: ts-dod). For every chunk it tries each
 * value codec candidate (decimal-ulp only when exact decimals do not apply) and keeps the smallest
 * encoding (ties go to the earlier, faster-to-decode candidate),
 * with one exception for decode speed: when the smallest is slow to decode (gorilla-xor, or
 * decimal with its bit-serial bucket packing) and decimal-blocks or decimal-patched is at most
 * {@link #FAST_DECODE_SLACK_PERCENT}% larger, the smaller of those two is kept instead.
 * Holds scratch buffers, so steady-state encoding allocates nothing per sample; not thread safe
 * (one writer per shard thread).
 */
public final class ChunkWriter {
    private final TimestampCodec regular = new RegularTimestampCodec();
    private final TimestampCodec dod = new DodTimestampCodec();
    private final TimestampCodec stepRuns = new StepRunsTimestampCodec();
    private final ByteArrayBuilder runsBuf = new ByteArrayBuilder();
    /**
     * How much larger (value payload bytes, in percent) a decimal-blocks encoding may be than the
     * smallest, when that one is slow to decode, and still be kept: its decode is 3-5x faster
     * (no bit-serial dependency between residuals), and on the shared datasets this costs
     * ~0.01 bytes/sample.
     */
    public static final int FAST_DECODE_SLACK_PERCENT = 25;

    private final DecimalValueCodec decimal = new DecimalValueCodec();
    private final DecimalBlockValueCodec blocks = new DecimalBlockValueCodec();
    private final ValueCodec xor = new XorValueCodec();
    private final ValueCodec ulp = new DecimalUlpValueCodec();
    private final DecimalBlockValueCodec patched = DecimalBlockValueCodec.patched();
    private final ValueCodec[] candidates = {new ConstValueCodec(), decimal, blocks, patched, ulp, xor};
    private final ByteArrayBuilder tsBuf = new ByteArrayBuilder();
    private final ByteArrayBuilder valBuf = new ByteArrayBuilder();
    private final ByteArrayBuilder bestBuf = new ByteArrayBuilder();
    private final ByteArrayBuilder stBuf = new ByteArrayBuilder();
    private final StartTimestampColumn stColumn = new StartTimestampColumn();
    private final ByteArrayBuilder blocksBuf = new ByteArrayBuilder();
    private final ByteArrayBuilder patchedBuf = new ByteArrayBuilder();
    private final BitWriter bits = new BitWriter();
    private final CRC32C crc = new CRC32C();
    private int lastValueCodec;
    private int lastTimestampCodec;

    /** Appends a chunk holding samples [0, count) to {@code out}, choosing the smallest value codec. Returns its length. */
    public int write(long[] timestamps, double[] values, int count, ByteArrayBuilder out) {
        return write(timestamps, values, count, null, out);
    }

    /**
     * As {@link #write(long[], double[], int, ByteArrayBuilder)} but with the value codec forced;
     * returns -1 (writing nothing) when {@code forced} cannot represent the values.
     */
    public int write(long[] timestamps, double[] values, int count, ValueCodec forced, ByteArrayBuilder out) {
        return write(timestamps, null, values, count, forced, out);
    }

    /**
     * As {@link #write(long[], double[], int, ByteArrayBuilder)} with per-sample start timestamps
     * ({@code startTimestamps} parallel to timestamps, 0 = unknown; null = none). When none of the
     * first {@code count} is known the chunk is written without a start-timestamp column, identical
     * to {@link #write(long[], double[], int, ByteArrayBuilder)}'s.
     */
    public int write(long[] timestamps, long[] startTimestamps, double[] values, int count, ByteArrayBuilder out) {
        return write(timestamps, startTimestamps, values, count, null, out);
    }

    private int write(long[] timestamps, long[] startTimestamps, double[] values, int count, ValueCodec forced, ByteArrayBuilder out) {
        if (count < 1 || count > ChunkFormat.MAX_SAMPLES) throw new IllegalArgumentException("chunk sample count " + count + " outside [1, " + ChunkFormat.MAX_SAMPLES + "]");
        for (int i = 1; i < count; i++) {
            if (timestamps[i] <= timestamps[i - 1]) {
                throw new IllegalArgumentException("timestamps not strictly increasing at " + i + ": " + timestamps[i - 1] + " then " + timestamps[i]);
            }
        }
        tsBuf.reset();
        TimestampCodec ts = regular;
        if (!regular.encode(timestamps, count, bits.reset(tsBuf))) {
            tsBuf.reset();
            ts = dod;
            dod.encode(timestamps, count, bits.reset(tsBuf));
            bits.finish();
            // Jittered scrapes: runs of on-step deltas beat a bit per sample; ties keep ts-dod.
            runsBuf.reset();
            if (stepRuns.encode(timestamps, count, bits.reset(runsBuf))) {
                bits.finish();
                if (runsBuf.length() < tsBuf.length()) {
                    ts = stepRuns;
                    tsBuf.reset();
                    tsBuf.append(runsBuf);
                }
            }
        } else {
            bits.finish();
        }

        ValueCodec best = null;
        if (forced != null) {
            bestBuf.reset();
            if (!forced.encode(values, count, bits.reset(bestBuf))) return -1;
            bits.finish();
            best = forced;
        } else {
            boolean decimalBucketed = false;
            boolean blocksApplies = false;
            for (ValueCodec c : candidates) {
                // gorilla-xor needs at least 64 + (count - 1) bits; skip it when it cannot win.
                if (c == xor && best != null && bestBuf.length() <= (63 + count) / 8) continue;
                // decimal-ulp is decimal-blocks plus corrections: only worth trying when exact decimals do not apply.
                if (c == ulp && blocksApplies) continue;
                ByteArrayBuilder dst = c == blocks ? blocksBuf : c == patched ? patchedBuf : valBuf;
                dst.reset();
                if (!c.encode(values, count, bits.reset(dst))) continue;
                bits.finish();
                if (c == decimal) decimalBucketed = decimal.lastEncodingBucketed();
                if (c == blocks) blocksApplies = true;
                if (best == null || dst.length() < bestBuf.length()) {
                    best = c;
                    bestBuf.reset();
                    bestBuf.append(dst);
                }
            }
            boolean slowToDecode = best == xor || (best == decimal && decimalBucketed);
            // the fast alternative: decimal-blocks or decimal-patched, whichever is smaller (ties: blocks);
            // both apply exactly where decimal does
            ByteArrayBuilder fastBuf = patchedBuf.length() < blocksBuf.length() ? patchedBuf : blocksBuf;
            if (slowToDecode && blocksApplies && fastBuf.length() * 100L <= bestBuf.length() * (100L + FAST_DECODE_SLACK_PERCENT)) {
                best = fastBuf == patchedBuf ? patched : blocks;
                bestBuf.reset();
                bestBuf.append(fastBuf);
            }
            if (best == null) throw new IllegalStateException("no value codec accepted the chunk; " + xor.name() + " always should");
        }

        boolean withSt = StartTimestampColumn.anyKnown(startTimestamps, count);
        int stCodec = 0;
        if (withSt) {
            stBuf.reset();
            stCodec = stColumn.encode(startTimestamps, count, bits.reset(stBuf));
            bits.finish();
        }

        int start = out.length();
        out.append(ChunkFormat.MAGIC_V2);
        out.append((withSt ? ChunkFormat.ST_FLAG : 0) | (ts.id() << 4) | best.id());
        out.appendUVarint(count);
        out.appendUVarint(Zigzag.encode(timestamps[0]));
        long span = timestamps[count - 1] - timestamps[0];
        // ts-regular: the step (2 bytes for 15 s) rather than the span (4 bytes for 2 h at 15 s)
        out.appendUVarint(ts == regular ? (count == 1 ? 0 : span / (count - 1)) : span);
        if (withSt) {
            out.append(stCodec);
            out.appendUVarint(Zigzag.encode(startTimestamps[0]));
            out.appendUVarint(Zigzag.encode(startTimestamps[count - 1] - startTimestamps[0]));
            out.appendUVarint(stBuf.length());
        }
        out.append(tsBuf);
        out.append(bestBuf);
        if (withSt) out.append(stBuf);
        crc.reset();
        crc.update(out.array(), start, out.length() - start);
        out.appendInt((int) crc.getValue());
        lastValueCodec = best.id();
        lastTimestampCodec = ts.id();
        return out.length() - start;
    }

    /** Value codec id of the last chunk written. */
    public int lastValueCodec() {
        return lastValueCodec;
    }

    public int lastTimestampCodec() {
        return lastTimestampCodec;
    }
}
