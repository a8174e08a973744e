package dev.strata.ingest.fuzz;

import dev.strata.store.sharding.ShardMapper;
import dev.strata.ingest.gateway.ShardedEncoder;
import dev.strata.ingest.protocol.DecodeLimits;
import dev.strata.ingest.protocol.InfluxLineDecoder;
import dev.strata.ingest.protocol.InfluxPrecision;
import dev.strata.ingest.protocol.MalformedRequestException;
import dev.strata.ingest.protocol.RemoteWrite1Decoder;
import dev.strata.ingest.protocol.RemoteWrite2Decoder;
import dev.strata.ingest.protocol.RequestTooLargeException;
import dev.strata.ingest.protocol.SnappyBlock;
import dev.strata.ingest.protocol.WriteBatch;
import dev.strata.ingest.record.CorruptRecordException;
import dev.strata.ingest.record.ShardRecordFormat;
import dev.strata.ingest.record.MetadataRecord;
import dev.strata.ingest.record.ShardRecordReader;
import dev.strata.store.sharding.ShardMapper;
import dev.strata.ingest.validate.BatchValidator;
import dev.strata.ingest.validate.ValidationLimits;
import java.util.zip.CRC32C;

/**
 * The fuzz targets of the write path, shared by {@link DecoderFuzzTest} (Jazzer) and
 * {@link DecoderSmokeTest} (seeded mutations in every build). The contract each checks: a hostile
 * body may only fail with {@link MalformedRequestException} (400/413); any other exception, an
 * OutOfMemoryError or a hang is a bug. What decodes must also validate, encode into Kafka records
 * and read back from them without error (our own records are never corrupt).
 */
final class DecoderTargets {
    /** Small limits, so the fuzzer meets them (and the memory stays bounded) on small inputs. */
    static final DecodeLimits LIMITS = new DecodeLimits(30, 2_000, 20_000);
    private static final int MAX_DECOMPRESSED = 1 << 20;
    private static final BatchValidator VALIDATOR = new BatchValidator(ValidationLimits.defaults());
    private static final ShardMapper MAPPER = ShardMapper.byMetricName(4, 1);

    private DecoderTargets() {}

    static void remoteWrite1(byte[] data) {
        WriteBatch b = new WriteBatch(LIMITS);
        try {
            RemoteWrite1Decoder.decode(data, 0, data.length, b);
        } catch (MalformedRequestException expected) {
            return;
        }
        afterDecode(b);
    }

    static void remoteWrite2(byte[] data) {
        WriteBatch b = new WriteBatch(LIMITS);
        try {
            RemoteWrite2Decoder.decode(data, 0, data.length, b);
        } catch (MalformedRequestException expected) {
            return;
        }
        afterDecode(b);
    }

    /** A snappy block as received: decompressed under the cap, then decoded as remote write 1.0. */
    static void snappyRemoteWrite(byte[] data) {
        byte[] raw;
        try {
            raw = SnappyBlock.decompress(data, 0, data.length, MAX_DECOMPRESSED);
        } catch (MalformedRequestException expected) {
            return;
        }
        remoteWrite1(raw);
    }

    static void influx(byte[] data) {
        WriteBatch b = new WriteBatch(LIMITS);
        try {
            InfluxLineDecoder.decode(data, 0, data.length, InfluxPrecision.NANOSECONDS, 1_700_000_000_000L, b);
        } catch (MalformedRequestException expected) {
            return;
        }
        afterDecode(b);
    }

    /**
     * A Kafka record body: the fuzzer's bytes framed with a correct header and checksum (a random
     * checksum would stop every input at the first check), the version taken from the first byte
     * (bit 1 set: version 3, else bit 0 set: version 2, else version 1).
     */
    static void shardRecord(byte[] data) {
        int version = data.length > 0 && (data[0] & 1) == 1 ? ShardRecordFormat.VERSION_2 : ShardRecordFormat.VERSION_1;
        if (data.length > 0 && (data[0] & 2) == 2) version = ShardRecordFormat.VERSION_3;
        int bodyLen = Math.max(0, data.length - 1);
        byte[] rec = new byte[ShardRecordFormat.HEADER_BYTES + bodyLen];
        rec[0] = (byte) (ShardRecordFormat.MAGIC >>> 8);
        rec[1] = (byte) ShardRecordFormat.MAGIC;
        rec[2] = (byte) version;
        putIntLE(rec, 4, bodyLen);
        if (bodyLen > 0) System.arraycopy(data, 1, rec, ShardRecordFormat.HEADER_BYTES, bodyLen);
        CRC32C crc = new CRC32C();
        crc.update(rec, ShardRecordFormat.HEADER_BYTES, bodyLen);
        putIntLE(rec, 8, (int) crc.getValue());
        try {
            readAll(rec);
        } catch (CorruptRecordException expected) {
            // the only failure allowed
        }
    }

    /** A metadata record (version 4) body, framed like {@link #shardRecord}: decoding fails only with CorruptRecordException. */
    static void metadataRecord(byte[] data) {
        byte[] rec = new byte[ShardRecordFormat.HEADER_BYTES + data.length];
        rec[0] = (byte) (ShardRecordFormat.MAGIC >>> 8);
        rec[1] = (byte) ShardRecordFormat.MAGIC;
        rec[2] = (byte) ShardRecordFormat.VERSION_4;
        putIntLE(rec, 4, data.length);
        System.arraycopy(data, 0, rec, ShardRecordFormat.HEADER_BYTES, data.length);
        CRC32C crc = new CRC32C();
        crc.update(rec, ShardRecordFormat.HEADER_BYTES, data.length);
        putIntLE(rec, 8, (int) crc.getValue());
        try {
            MetadataRecord m = MetadataRecord.decode(rec);
            // what decodes re-encodes to a record that decodes to the same (invalid UTF-8 is already replaced)
            if (!m.equals(MetadataRecord.decode(m.encode()))) throw new AssertionError("round trip changed " + m);
        } catch (CorruptRecordException expected) {
            // the only failure allowed
        }
    }

    private static void afterDecode(WriteBatch b) {
        if (!VALIDATOR.validate(b, 1_700_000_000_000L).ok()) return;
        java.util.List<ShardedEncoder.ShardRecord> records;
        try {
            records = new ShardedEncoder(MAPPER, 4096).encode(b);
        } catch (RequestTooLargeException expected) { // labels alone larger than a record: 413
            return;
        }
        for (ShardedEncoder.ShardRecord r : records) {
            if (r.value().length > 4096) throw new AssertionError("record of " + r.value().length + " bytes over the 4096 limit");
            readAll(r.value()); // our own records: never corrupt
        }
    }

    private static void readAll(byte[] rec) {
        ShardRecordReader r = new ShardRecordReader().reset(rec, 0, rec.length);
        long[] peek = new long[8];
        while (true) {
            r.peekHashes(peek, peek.length);
            if (!r.nextSeries()) break;
            r.labels();
            while (r.nextSample()) {
                r.timestamp();
            }
        }
    }

    private static void putIntLE(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        b[p + 2] = (byte) (v >>> 16);
        b[p + 3] = (byte) (v >>> 24);
    }
}
