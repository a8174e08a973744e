package dev.strata.ingest.fuzz;

import dev.strata.ingest.bench.RemoteWriteRequestEncoder;
import dev.strata.ingest.protocol.SnappyBlock;
import dev.strata.ingest.protocol.TestProto;
import dev.strata.store.model.FloatHistogram;
import dev.strata.ingest.record.ShardRecordWriter;
import dev.strata.store.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The short fuzz run of every build: each {@link DecoderTargets} target gets a fixed number of
 * seeded random mutations (bit flips, byte changes, truncations, duplicated and inserted slices) of
 * valid inputs. Not coverage-guided (that is {@link DecoderFuzzTest} with JAZZER_FUZZ=1), but cheap
 * (well under a second per target) and reproducible: the seed is printed, {@code -Dseed=N} replays it.
 */
class DecoderSmokeTest {
    private static final int ROUNDS = 3_000;

    private static byte[] remoteWrite1Seed() {
        return new RemoteWriteRequestEncoder().encode(List.of(
                Labels.of("__name__", "http_requests_total", "job", "api", "code", "200"),
                Labels.of("__name__", "up", "job", "node")), new double[] {1.5, 1}, 0, 2, 1_700_000_000_000L);
    }

    private static byte[] remoteWrite2Seed() {
        TestProto req = new TestProto();
        for (String s : new String[] {"", "__name__", "http_requests_total", "code", "200", "job", "api"}) req.string(4, s);
        TestProto refs = new TestProto();
        for (int r : new int[] {1, 2, 3, 4, 5, 6}) refs.varint(r);
        req.message(5, new TestProto().bytes(1, refs.toBytes()).message(2, TestProto.sample(7, 1_700_000_000_000L))
                .message(2, new TestProto().doubleField(1, 8).int64(2, 1_700_000_001_000L).int64(3, 1_699_999_000_000L))
                .int64(6, 1_699_000_000_000L));
        return req.toBytes();
    }

    private static byte[] influxSeed() {
        return ("cpu,host=a,region=eu usage=1.5,idle=98i,up=true,name=\"x\" 1700000000000000000\n"
                + "mem\\ used,host=b free=3u\n# comment\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] recordSeed() {
        ShardRecordWriter w = new ShardRecordWriter();
        w.reset(3, true);
        w.beginSeries(42, 2, 2, true);
        w.label("__name__", "up");
        w.label("job", "api");
        w.sample(1000, 500, 1);
        w.sample(2000, 500, 2);
        w.endSeries();
        byte[] rec = w.finish();
        // the target re-frames the body: first byte odd = version 2
        byte[] data = new byte[rec.length - 12 + 1];
        data[0] = 1;
        System.arraycopy(rec, 12, data, 1, rec.length - 12);
        return data;
    }

    @Test
    void remoteWrite1() {
        run("remoteWrite1", remoteWrite1Seed(), DecoderTargets::remoteWrite1);
    }

    @Test
    void remoteWrite2() {
        run("remoteWrite2", remoteWrite2Seed(), DecoderTargets::remoteWrite2);
    }

    @Test
    void snappyRemoteWrite() {
        byte[] raw = remoteWrite1Seed();
        run("snappyRemoteWrite", SnappyBlock.compress(raw, 0, raw.length), DecoderTargets::snappyRemoteWrite);
    }

    @Test
    void influx() {
        run("influx", influxSeed(), DecoderTargets::influx);
    }

    @Test
    void metadataRecord() {
        byte[] rec = new dev.strata.ingest.record.MetadataRecord(3, 1_700_000_000_000L, java.util.List.of(
                new dev.strata.store.model.MetricMetadata("http_requests_total", "counter", "", "Requests served."),
                new dev.strata.store.model.MetricMetadata("rpc_seconds", "histogram", "seconds", "Latency."))).encode();
        run("metadataRecord", java.util.Arrays.copyOfRange(rec, 12, rec.length), DecoderTargets::metadataRecord);
    }

    @Test
    void shardRecord() {
        run("shardRecord", recordSeed(), DecoderTargets::shardRecord);
    }

    /** Version 3: a series mixing a float and native histograms (exponential and custom buckets). */
    private static byte[] recordV3Seed() {
        ShardRecordWriter w = new ShardRecordWriter();
        w.reset(3, true, true);
        w.beginSeries(42, 1, 3, true, true);
        w.label("__name__", "latency");
        w.sample(1000, 500, 1);
        w.histogram(2000, 500, new FloatHistogram(FloatHistogram.ResetHint.NO, 3, 1e-128, 1, 6, 2.5,
                new int[] {-2, 1}, new int[] {2, 1}, new double[] {1, 2, 1}, new int[] {0}, new int[] {1}, new double[] {1}, null));
        w.histogram(3000, 0, new FloatHistogram(FloatHistogram.ResetHint.GAUGE, -53, 0, 0, 3, 1.5,
                new int[] {0}, new int[] {3}, new double[] {1, 1, 1}, null, null, null, new double[] {0.5, 1}));
        w.endSeries();
        byte[] rec = w.finish();
        byte[] data = new byte[rec.length - 12 + 1];
        data[0] = 2; // the target re-frames the body: bit 1 = version 3
        System.arraycopy(rec, 12, data, 1, rec.length - 12);
        return data;
    }

    @Test
    void shardRecordVersion3() {
        run("shardRecordVersion3", recordV3Seed(), DecoderTargets::shardRecord);
    }

    /** Remote write 1.0 and 2.0 requests whose series carry native histograms. */
    @Test
    void remoteWriteHistograms() {
        TestProto span = new TestProto().int64(1, 2).int64(2, 2); // offset 1 (zigzag), length 2
        TestProto h = new TestProto().int64(1, 5).doubleField(3, 2.5).int64(4, 6).int64(6, 1).message(11, span)
                .bytes(12, new TestProto().varint(4).varint(1).toBytes()).int64(14, 2).int64(15, 1_700_000_000_000L);
        byte[] v1 = new TestProto().message(1, new TestProto().message(1, TestProto.label("__name__", "h"))
                .message(4, h).message(2, TestProto.sample(1, 1_700_000_000_000L))).toBytes();
        run("remoteWrite1Histograms", v1, DecoderTargets::remoteWrite1);
        TestProto req = new TestProto().string(4, "").string(4, "__name__").string(4, "h");
        req.message(5, new TestProto().bytes(1, new TestProto().varint(1).varint(2).toBytes()).message(3, h.int64(17, 1_699_999_999_000L)));
        run("remoteWrite2Histograms", req.toBytes(), DecoderTargets::remoteWrite2);
    }

    static void run(String name, byte[] seed, Consumer<byte[]> target) {
        long s = Long.getLong("seed", System.nanoTime());
        System.out.println("DecoderSmokeTest." + name + " seed=" + s);
        Random rnd = new Random(s);
        target.accept(seed);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] input = Mutations.mutate(seed, rnd);
            try {
                target.accept(input);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(name + " failed (seed=" + s + ", round " + i + ") on input "
                        + java.util.HexFormat.of().formatHex(input), e);
            }
        }
    }
}
