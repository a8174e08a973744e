package dev.strata.ingest.record;

/**
 * The Kafka record value carrying many series' samples for ONE shard (docs/format/kafka-record.md).
 * <pre>
 * Record      := Header Body
 * Header      := magic u16 BE (0x5354 "ST") | version u8 (1, 2 or 3) | flags u8 (0) | bodyLength u32 LE | crc32c u32 LE (of Body)
 * Body        := shard uvarint | stringCount uvarint | String^stringCount | seriesCount uvarint | Series^seriesCount
 * String      := length uvarint | UTF-8 bytes
 * Series (v1) := hash u64 LE | labelCount uvarint | (nameRef uvarint, valueRef uvarint)^labelCount
 *                | sampleCount uvarint (>= 1) | t0 zigzag-varint | v0 f64 LE | (dt zigzag-varint, v f64 LE)^(sampleCount-1)
 * Series (v2) := hash u64 LE | labelCount uvarint | (nameRef uvarint, valueRef uvarint)^labelCount
 *                | sampleCount uvarint (>= 1) | stFlag u8 (0 or 1)
 *                | t0 zigzag-varint | v0 f64 LE | [sd0] | (dt zigzag-varint, v f64 LE, [sd])^(sampleCount-1)
 *                where sd = zigzag-varint of (t - startTimestamp), present iff stFlag = 1
 * Series (v3) := as v2, with seriesFlags u8 (bit0 start timestamps, bit1 histograms) in place of stFlag;
 *                with bit1 every sample is kind u8 (0 float, 1 histogram) | t zigzag-varint (t0, then dt)
 *                | (v f64 LE | Histogram) | [sd]
 * Histogram   := resetHint u8 | schema zigzag-varint | zeroThreshold f64 | zeroCount f64 | count f64 | sum f64
 *                | Spans(positive) | Spans(negative) | f64 LE ^ (positive then negative buckets, absolute)
 *                | nCustom uvarint | f64 LE ^ nCustom
 * Spans       := nSpans uvarint | (offset zigzag-varint, length uvarint) ^ nSpans
 * </pre>
 * Version 2 adds per-sample start timestamps (0 = unknown); writers use it only for records that
 * carry at least one, so records without start timestamps stay version 1, byte for byte. Version 3
 * adds native histogram samples; writers use it only for records that carry at least one.
 * Labels of a series are in canonical order (that of {@code Labels}), values non-empty; refs index
 * the string table; {@code hash} is {@code Labels.hash()} of the series; timestamps are ms, each
 * after the first a delta from the previous one (may be negative).
 */
public final class ShardRecordFormat {
    private ShardRecordFormat() {}

    public static final int MAGIC = 0x5354;
    public static final int VERSION_1 = 1;
    /** Version 1 plus per-series optional per-sample start timestamps. */
    public static final int VERSION_2 = 2;
    /** Version 2 plus native histogram samples (series flag bit 1, a kind byte per sample). */
    public static final int VERSION_3 = 3;
    /** Series flag bits of versions 2 and 3. */
    public static final int SERIES_START_TIMESTAMPS = 1;
    public static final int SERIES_HISTOGRAMS = 2;
    /** A metadata record: metric metadata entries instead of series ({@link MetadataRecord}). */
    public static final int VERSION_4 = 4;
    public static final int HEADER_BYTES = 12;
}
