package dev.strata.ingest.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.model.MetricMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The version 4 (metadata) record: seeded round trips, the exact layout, corruption detected. */
class MetadataRecordTest {

    private static String randomString(Random rnd, int max) {
        int n = rnd.nextInt(max + 1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(10);
            b.append(kind < 7 ? (char) ('a' + rnd.nextInt(26)) : kind < 9 ? "_\"\\\n é".charAt(rnd.nextInt(6)) : "😀");
        }
        return b.toString();
    }

    private static MetadataRecord randomRecord(Random rnd) {
        List<MetricMetadata> entries = new ArrayList<>();
        for (int i = rnd.nextInt(20); i > 0; i--) {
            entries.add(new MetricMetadata("m_" + randomString(rnd, 30), MetricMetadata.TYPES.get(rnd.nextInt(MetricMetadata.TYPES.size())),
                    randomString(rnd, 10), randomString(rnd, rnd.nextInt(10) == 0 ? 2000 : 100)));
        }
        return new MetadataRecord(rnd.nextInt(1 << 20), rnd.nextLong() & Long.MAX_VALUE, entries);
    }

    @Test
    void seededRoundTrips() {
        long seed = System.nanoTime();
        System.out.println("MetadataRecordTest seed " + seed);
        Random rnd = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            MetadataRecord r = randomRecord(rnd);
            byte[] b = r.encode();
            assertTrue(MetadataRecord.isMetadata(b));
            assertEquals(r, MetadataRecord.decode(b), "seed " + seed);
            long bound = MetadataRecord.OVERHEAD_BYTES;
            for (MetricMetadata m : r.entries()) bound += MetadataRecord.entryBytes(m);
            assertTrue(b.length <= bound, "entryBytes + OVERHEAD_BYTES bound the size (seed " + seed + ")");
        }
    }

    @Test
    void layoutIsTheDocumentedOne() {
        byte[] b = new MetadataRecord(5, 1000, List.of(new MetricMetadata("up", "gauge", "", "1 if up"))).encode();
        byte[] body = Arrays.copyOfRange(b, 12, b.length);
        assertEquals("53 54 04 00", hex(Arrays.copyOf(b, 4)));
        assertEquals(body.length, (b[4] & 0xFF) | (b[5] & 0xFF) << 8);
        // shard 5 | received 1000 (e8 07) | 1 entry | "up" | type 2 (gauge) | "" | "1 if up"
        assertEquals("05 e8 07 01 02 75 70 02 00 07 31 20 69 66 20 75 70", hex(body));
    }

    @Test
    void everySingleByteCorruptionIsDetected() {
        long seed = System.nanoTime();
        System.out.println("MetadataRecordTest corruption seed " + seed);
        Random rnd = new Random(seed);
        for (int i = 0; i < 200; i++) {
            MetadataRecord r = randomRecord(rnd);
            byte[] b = r.encode();
            int at = rnd.nextInt(b.length);
            byte[] bad = b.clone();
            bad[at] ^= (byte) (1 + rnd.nextInt(255));
            if (at == 2) {
                // the version byte: no longer a metadata record (the shard-record reader then refuses or reads it)
                assertFalse(MetadataRecord.isMetadata(bad));
                continue;
            }
            assertThrows(CorruptRecordException.class, () -> MetadataRecord.decode(bad), "seed " + seed + " byte " + at);
            // truncation too
            byte[] cut = Arrays.copyOf(b, rnd.nextInt(b.length));
            assertThrows(CorruptRecordException.class, () -> MetadataRecord.decode(cut), "seed " + seed);
        }
    }

    @Test
    void malformedBodiesWithAValidChecksumAreNamed() {
        // a type code beyond the known types, checksummed correctly
        byte[] b = new MetadataRecord(0, 1, List.of(new MetricMetadata("x", "gauge", "", ""))).encode();
        byte[] body = Arrays.copyOfRange(b, 12, b.length);
        body[body.length - 3] = 9; // the type byte: "x" is 01 78, then type, unit len, help len
        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> MetadataRecord.decode(reframe(body)));
        assertEquals("metadata record: entry #0 has type code 9, expected 0 to 7", e.getMessage());
        byte[] trailing = Arrays.copyOf(Arrays.copyOfRange(b, 12, b.length), b.length - 12 + 1);
        e = assertThrows(CorruptRecordException.class, () -> MetadataRecord.decode(reframe(trailing)));
        assertEquals("metadata record: 1 bytes after the last entry", e.getMessage());
        byte[] emptyName = {0, 1, 1, 0, 2, 0, 0};
        e = assertThrows(CorruptRecordException.class, () -> MetadataRecord.decode(reframe(emptyName)));
        assertEquals("metadata record: entry #0 has an empty metric name", e.getMessage());
    }

    @Test
    void theSampleRecordReaderStillRefusesVersion4() {
        byte[] b = new MetadataRecord(0, 1, List.of(new MetricMetadata("x", "gauge", "", ""))).encode();
        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> new ShardRecordReader().reset(b, 0, b.length));
        assertTrue(e.getMessage().startsWith("shard record: unsupported version 4"), e.getMessage());
        ShardRecordWriter w = new ShardRecordWriter();
        w.reset(0);
        assertFalse(MetadataRecord.isMetadata(w.finish()), "version 1 records are not metadata records");
    }

    @Test
    void shardOfDependsOnlyOnTheNameAndSpreads() {
        int[] counts = new int[8];
        for (int i = 0; i < 8000; i++) counts[MetadataRecord.shardOf("metric_" + i, 8)]++;
        for (int c : counts) assertTrue(c > 800 && c < 1200, Arrays.toString(counts));
        assertEquals(MetadataRecord.shardOf("up", 64), MetadataRecord.shardOf("up", 64));
    }

    /** A record with {@code body} and a correct header (length, checksum). */
    private static byte[] reframe(byte[] body) {
        byte[] out = new byte[12 + body.length];
        out[0] = 0x53;
        out[1] = 0x54;
        out[2] = 4;
        out[4] = (byte) body.length;
        out[5] = (byte) (body.length >>> 8);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body);
        int c = (int) crc.getValue();
        for (int i = 0; i < 4; i++) out[8 + i] = (byte) (c >>> (8 * i));
        System.arraycopy(body, 0, out, 12, body.length);
        return out;
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(s.length() == 0 ? "" : " ").append(String.format("%02x", x & 0xFF));
        return s.toString();
    }
}
