package dev.strata.benchmarks;

import dev.strata.store.encoding.ChunkHeader;
import dev.strata.store.encoding.ChunkReader;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chunk decode speed on the real datasets in thread CPU time (CRC32C included), total and per kind
 * of chunk (timestamp codec / value codec), so the share of each codec in the cost is visible.
 * With {@code -Dbaseline=path/to/old-benchmarks.jar} it also decodes the same chunks with the
 * ChunkReader of that jar (own class loader) in alternating repetitions of the same run, which is
 * the fair old-vs-new comparison on a shared machine. Run from the repo root:
 * {@code java [-Dbaseline=old.jar] -cp benchmarks/target/benchmarks.jar dev.strata.benchmarks.DecodeCpuReport [reps]}.
 */
public final class DecodeCpuReport {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final MethodType DECODE = MethodType.methodType(int.class, byte[].class, int.class, int.class, long[].class, double[].class);

    private DecodeCpuReport() {}

    public static void main(String[] args) throws Throwable {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        String baseline = System.getProperty("baseline");
        MethodHandle cur = MethodHandles.publicLookup().findVirtual(ChunkReader.class, "decode", DECODE).bindTo(new ChunkReader());
        MethodHandle old = null;
        if (baseline != null) {
            URLClassLoader cl = new URLClassLoader(new URL[] {Path.of(baseline).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> c = cl.loadClass(ChunkReader.class.getName());
            old = MethodHandles.publicLookup().findVirtual(c, "decode", DECODE).bindTo(c.getConstructor().newInstance());
        }
        for (String dataset : new String[] {"node-15s", "node-1s"}) {
            List<Datasets.Chunk> chunks = Datasets.chunks(dataset);
            int max = chunks.stream().mapToInt(Datasets.Chunk::count).max().orElse(1);
            long[] ts = new long[max];
            double[] vs = new double[max];
            Map<String, List<byte[]>> groups = new TreeMap<>();
            long samples = 0, bytes = 0;
            for (Datasets.Chunk c : chunks) {
                ChunkHeader h = ChunkHeader.read(c.encoded(), 0, c.encoded().length);
                groups.computeIfAbsent("ts" + h.timestampCodec() + "/v" + h.valueCodec() + kind(c.encoded(), h), k -> new ArrayList<>()).add(c.encoded());
                samples += c.count();
                bytes += c.encoded().length;
            }
            List<byte[]> all = chunks.stream().map(Datasets.Chunk::encoded).toList();
            int warm = dataset.equals("node-1s") ? 5 : 60;
            double[] r = time(all, cur, old, ts, vs, warm, reps);
            System.out.printf(Locale.ROOT, "%s: %d chunks, %d samples, %.3f bytes/sample (chunk bytes incl. header+crc); decode new %.2f ns/sample%s%n",
                dataset, chunks.size(), samples, bytes / (double) samples, r[0],
                old == null ? "" : String.format(Locale.ROOT, ", old %.2f ns/sample (new/old %.2f)", r[1], r[0] / r[1]));
            List<byte[]> sorted = new ArrayList<>();
            groups.values().forEach(sorted::addAll);
            double[] rs = time(sorted, cur, old, ts, vs, 0, reps);
            System.out.printf(Locale.ROOT, "  same chunks grouped by kind: new %.2f%s%n", rs[0], old == null ? "" : String.format(Locale.ROOT, "  old %.2f", rs[1]));
            double wsum = 0;
            for (Map.Entry<String, List<byte[]>> g : groups.entrySet()) {
                long n = 0;
                for (byte[] b : g.getValue()) n += ChunkHeader.read(b, 0, b.length).count();
                double[] gr = time(g.getValue(), cur, old, ts, vs, 0, reps);
                System.out.printf(Locale.ROOT, "  %-22s %5.1f%% of samples  new %.2f ns/sample%s%n", g.getKey(), 100.0 * n / samples, gr[0],
                    old == null ? "" : String.format(Locale.ROOT, "  old %.2f", gr[1]));
                wsum += gr[0] * n / samples;
            }
            System.out.printf(Locale.ROOT, "  sample-weighted sum of the kinds decoded separately: new %.2f%n", wsum);
        }
    }

    /** Decimal chunks: which residual order and packing (read from the payload's first byte). */
    private static String kind(byte[] b, ChunkHeader h) {
        if (h.valueCodec() != 3 || h.timestampCodec() != 1) return "";
        int x = b[h.payloadOffset()] & 0xFF; // regular timestamps have an empty payload
        return " e" + (x >>> 3) + " o" + ((x >>> 1) & 3) + ((x & 1) == 0 ? " fixed" : " buckets");
    }

    /** Median ns/sample of new and (if given) old decoding, repetitions alternating between them. */
    private static double[] time(List<byte[]> chunks, MethodHandle cur, MethodHandle old, long[] ts, double[] vs, int warm, int reps) throws Throwable {
        for (int i = 0; i < warm; i++) {
            run(chunks, cur, ts, vs);
            if (old != null) run(chunks, old, ts, vs);
        }
        long perRun = run(chunks, cur, ts, vs);
        int inner = (int) Math.max(1, 1_000_000 / perRun); // >= ~1M samples (a few ms) per timed repetition
        double[] a = new double[reps], b = new double[reps];
        for (int i = 0; i < reps; i++) {
            a[i] = timed(chunks, cur, ts, vs, inner);
            if (old != null) b[i] = timed(chunks, old, ts, vs, inner);
        }
        Arrays.sort(a);
        Arrays.sort(b);
        return new double[] {a[reps / 2], b[reps / 2]};
    }

    private static double timed(List<byte[]> chunks, MethodHandle h, long[] ts, double[] vs, int inner) throws Throwable {
        long c0 = MX.getCurrentThreadCpuTime();
        long n = 0;
        for (int k = 0; k < inner; k++) n += run(chunks, h, ts, vs);
        return (MX.getCurrentThreadCpuTime() - c0) / (double) n;
    }

    private static long run(List<byte[]> chunks, MethodHandle h, long[] ts, double[] vs) throws Throwable {
        long n = 0;
        for (byte[] b : chunks) n += (int) h.invokeExact(b, 0, b.length, ts, vs);
        return n;
    }
}
