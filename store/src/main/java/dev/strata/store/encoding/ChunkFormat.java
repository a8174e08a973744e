package dev.strata.store.encoding;

/**
 * The chunk format, version 1: one self-describing blob per (series, time range). Grammar:
 * <pre>
 *   Chunk    := Magic Version Codecs Count FirstT Span [StHeader] Payload Crc
 *   Magic    := 0x53 ('S')                   format id
 *   Version  := 0x01
 *   Codecs   := stFlag:1 bit | tsCodec:3 bits | valueCodec:4 bits (one byte)
 *   Count    := uvarint, samples in the chunk (>= 1)
 *   FirstT   := zigzag varint, first timestamp (ms since epoch)
 *   Span     := uvarint, last timestamp - first timestamp (ms)
 *   StHeader := only when stFlag is 1: stCodec (1 byte), StFirst (zigzag varint), StSpan (zigzag
 *               varint, last - first, signed), StBytes (uvarint, byte length of the ST bits)
 *   Payload  := timestamp bits, padded to a byte; value bits, padded to a byte;
 *               [start timestamp bits, padded to a byte: exactly StBytes bytes]
 *   Crc      := CRC32C (Castagnoli) of every preceding byte, 4 bytes big-endian
 * </pre>
 * Timestamps are strictly increasing. Start timestamps (0 = unknown) are optional: a chunk whose
 * samples have none is written without the flag, byte for byte as before the column existed. See
 * docs/format/chunks.md for the codecs' bit layouts and {@link StartTimestampColumn}.
 */
public final class ChunkFormat {
    private ChunkFormat() {}

    public static final int MAGIC = 0x53;
    public static final int VERSION = 1;
    /** Bit of the codecs byte marking a start-timestamp column (so timestamp codec ids stay below 8). */
    public static final int ST_FLAG = 0x80;
    /** Smallest possible chunk: magic, version, codecs, 1-byte count, 1-byte firstT, 1-byte span, CRC. */
    public static final int MIN_LENGTH = 3 + 3 + 4;
    /** Upper bound on samples in one chunk, guards allocation on corrupt input. */
    public static final int MAX_SAMPLES = 1 << 20;

    public static TimestampCodec timestampCodec(int id) {
        return switch (id) {
            case RegularTimestampCodec.ID -> new RegularTimestampCodec();
            case DodTimestampCodec.ID -> new DodTimestampCodec();
            case StepRunsTimestampCodec.ID -> new StepRunsTimestampCodec();
            default -> null;
        };
    }

    public static ValueCodec valueCodec(int id) {
        return switch (id) {
            case XorValueCodec.ID -> new XorValueCodec();
            case ConstValueCodec.ID -> new ConstValueCodec();
            case DecimalValueCodec.ID -> new DecimalValueCodec();
            case DecimalBlockValueCodec.ID -> new DecimalBlockValueCodec();
            case DecimalBlockValueCodec.PATCHED_ID -> DecimalBlockValueCodec.patched();
            case DecimalUlpValueCodec.ID -> new DecimalUlpValueCodec();
            default -> null;
        };
    }
}
