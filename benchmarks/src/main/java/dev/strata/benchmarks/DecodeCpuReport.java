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
 * the fair old-vs-new comparison on a shared machine. The old reader decodes the chunks that jar's
 * ChunkWriter writes for the same samples (the writers may choose different codecs); chunks are
 * grouped by the kind the new writer chose. Run from the repo root:
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
        Object oldWriter = null;
        java.lang.reflect.Method oldWrite = null;
        Class<?> oldBuilder = null;
        if (baseline != null) {
            URLClassLoader cl = new URLClassLoader(new URL[] {Path.of(baseline).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> c = cl.loadClass(ChunkReader.class.getName());
            old = MethodHandles.publicLookup().findVirtual(c, "decode", DECODE).bindTo(c.getConstructor().newInstance());
            Class<?> w = cl.loadClass("dev.strata.store.encoding.ChunkWriter");
            oldBuilder = cl.loadClass("dev.strata.store.encoding.ByteArrayBuilder");
            oldWriter = w.getConstructor().newInstance();
            oldWrite = w.getMethod("write", long[].class, double[].class, int.class, oldBuilder);
        }
        for (String dataset : new String[] {"node-15s", "node-1s"}) {
            List<Datasets.Chunk> chunks = Datasets.chunks(dataset);
            int max = chunks.stream().mapToInt(Datasets.Chunk::count).max().orElse(1);
            long[] ts = new long[max];
            double[] vs = new double[max];
            Map<String, List<byte[]>> groups = new TreeMap<>();
            Map<String, List<byte[]>> oldGroups = new TreeMap<>();
            List<byte[]> oldAll = new ArrayList<>();
            long samples = 0, bytes = 0, oldBytes = 0;
            for (Datasets.Chunk c : chunks) {
                ChunkHeader h = ChunkHeader.read(c.encoded(), 0, c.encoded().length);
                String key = "ts" + h.timestampCodec() + "/v" + h.valueCodec() + kind(c.encoded(), h);
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(c.encoded());
                if (oldWriter != null) {
                    Object buf = oldBuilder.getConstructor().newInstance();
                    oldWrite.invoke(oldWriter, c.timestamps(), c.values(), c.count(), buf);
                    byte[] ob = (byte[]) oldBuilder.getMethod("toByteArray").invoke(buf);
                    oldGroups.computeIfAbsent(key, k -> new ArrayList<>()).add(ob);
                    oldAll.add(ob);
                    oldBytes += ob.length;
                }
                samples += c.count();
                bytes += c.encoded().length;
            }
            List<byte[]> all = chunks.stream().map(Datasets.Chunk::encoded).toList();
            int warm = Integer.getInteger("warm", dataset.equals("node-1s") ? 5 : 60);
            double[] r = time(all, oldAll, cur, old, ts, vs, warm, reps);
            System.out.printf(Locale.ROOT, "%s: %d chunks, %d samples, %.3f bytes/sample%s (chunk bytes incl. header+crc); decode new %.2f ns/sample%s%n",
                dataset, chunks.size(), samples, bytes / (double) samples,
                old == null ? "" : String.format(Locale.ROOT, " (old %.3f)", oldBytes / (double) samples), r[0],
                old == null ? "" : String.format(Locale.ROOT, ", old %.2f ns/sample (new/old %.2f)", r[1], r[0] / r[1]));
            List<byte[]> sorted = new ArrayList<>(), oldSorted = new ArrayList<>();
            groups.values().forEach(sorted::addAll);
            oldGroups.values().forEach(oldSorted::addAll);
            double[] rs = time(sorted, oldSorted, cur, old, ts, vs, 0, reps);
            System.out.printf(Locale.ROOT, "  same chunks grouped by kind: new %.2f%s%n", rs[0], old == null ? "" : String.format(Locale.ROOT, "  old %.2f", rs[1]));
            double wsum = 0;
            for (Map.Entry<String, List<byte[]>> g : groups.entrySet()) {
                long n = 0;
                for (byte[] b : g.getValue()) n += ChunkHeader.read(b, 0, b.length).count();
                double[] gr = time(g.getValue(), oldGroups.get(g.getKey()), cur, old, ts, vs, 0, reps);
                System.out.printf(Locale.ROOT, "  %-22s %5.1f%% of samples  new %.2f ns/sample%s%n", g.getKey(), 100.0 * n / samples, gr[0],
                    old == null ? "" : String.format(Locale.ROOT, "  old %.2f", gr[1]));
                wsum += gr[0] * n / samples;
            }
            System.out.printf(Locale.ROOT, "  sample-weighted sum of the kinds decoded separately: new %.2f%n", wsum);
            double[] again = time(all, oldAll, cur, old, ts, vs, 0, reps);
            System.out.printf(Locale.ROOT, "  all chunks in series order again: new %.2f%s%n", again[0], old == null ? "" : String.format(Locale.ROOT, "  old %.2f", again[1]));
        }
    }

    /** Decimal chunks: which residual order and packing (read from the payload's first byte). */
    private static String kind(byte[] b, ChunkHeader h) {
        if (h.valueCodec() != 3 || h.timestampCodec() != 1) return "";
        int x = b[h.payloadOffset()] & 0xFF; // regular timestamps have an empty payload
        return " e" + (x >>> 3) + " o" + ((x >>> 1) & 3) + ((x & 1) == 0 ? " fixed" : " buckets");
    }

    /** Median ns/sample of new and (if given) old decoding, repetitions alternating between them. */
    private static double[] time(List<byte[]> chunks, List<byte[]> oldChunks, MethodHandle cur, MethodHandle old, long[] ts, double[] vs, int warm, int reps) throws Throwable {
        for (int i = 0; i < warm; i++) {
            run(chunks, cur, ts, vs);
            if (old != null) run(oldChunks, old, ts, vs);
        }
        long perRun = run(chunks, cur, ts, vs);
        int inner = (int) Math.max(1, 1_000_000 / perRun); // >= ~1M samples (a few ms) per timed repetition
        double[] a = new double[reps], b = new double[reps];
        for (int i = 0; i < reps; i++) {
            a[i] = timed(chunks, cur, ts, vs, inner);
            if (old != null) b[i] = timed(oldChunks, old, ts, vs, inner);
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
