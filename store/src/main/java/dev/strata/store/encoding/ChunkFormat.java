package dev.strata.store.encoding;

/**
 * The chunk format, version 2 (written) and 1 (read): one self-describing blob per (series, time
 * range). Grammar:
 * <pre>
 *   Chunk    := Head Codecs Count FirstT Span [StHeader] Payload Crc
 *   Head     := 0x54 ('T'): version 2  |  0x53 ('S') 0x01: version 1
 *   Codecs   := stFlag:1 bit | tsCodec:3 bits | valueCodec:4 bits (one byte)
 *   Count    := uvarint, samples in the chunk (>= 1)
 *   FirstT   := zigzag varint, first timestamp (ms since epoch)
 *   Span     := uvarint, last timestamp - first timestamp (ms); in version 2 with ts-regular, the
 *               step instead: (last - first) / (count - 1), 0 when count is 1
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

    /** First byte of a version 2 chunk: the format id and the version in one byte. */
    public static final int MAGIC_V2 = 0x54;
    /** First byte of a version 1 chunk, followed by {@link #VERSION_1}. */
    public static final int MAGIC = 0x53;
    public static final int VERSION_1 = 1;
    /** Bit of the codecs byte marking a start-timestamp column (so timestamp codec ids stay below 8). */
    public static final int ST_FLAG = 0x80;
    /** Smallest possible chunk (version 2): head, codecs, 1-byte count, 1-byte firstT, 1-byte span, CRC. */
    public static final int MIN_LENGTH = 2 + 3 + 4;
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
