package dev.strata.node.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * Compares what a node returns with what was sent: every acknowledged sample exactly once with the
 * same value bits; an unacknowledged sample at most once, and if present with the value sent; nothing
 * that was never sent. Series are named by their Prometheus label string.
 *
 * <p>The outcome can be split into buckets by timestamp (the fault suite's fault windows: which fault
 * was active when the sample's step was acknowledged); {@link #check} is the one-bucket case.
 */
public final class ExactlyOnceCheck {
    private static final int EXAMPLES = 8;

    /** One sample as read back. */
    public record Sample(long timestampMs, long valueBits) {}

    /**
     * The outcome of one bucket: acknowledged samples expected, samples read, and counts per kind of
     * problem with the first few examples of each.
     */
    public record Report(int acknowledged, int checked, int missing, int duplicated, int wrongValue, int unexpected,
                         List<String> examples) {
        public boolean ok() {
            return missing == 0 && duplicated == 0 && wrongValue == 0 && unexpected == 0;
        }

        @Override
        public String toString() {
            return checked + " samples read: " + missing + " acknowledged missing, " + duplicated + " duplicated, "
                    + wrongValue + " with a wrong value, " + unexpected + " never sent" + (examples.isEmpty() ? "" : "; e.g. " + examples);
        }
    }

    private ExactlyOnceCheck() {}

    /**
     * @param acknowledged   per series, timestamp -> value bits that must be read exactly once
     * @param unacknowledged per series, timestamp -> value bits that may be read at most once
     * @param read           per series, the samples read back, in any order
     */
    public static Report check(Map<String, TreeMap<Long, Long>> acknowledged, Map<String, TreeMap<Long, Long>> unacknowledged,
                               Map<String, List<Sample>> read) {
        Map<String, Report> one = checkByBucket(acknowledged, unacknowledged, read, ts -> "");
        return one.getOrDefault("", new Report(0, 0, 0, 0, 0, 0, List.of()));
    }

    /**
     * {@link #check}, with every sample counted in the bucket {@code bucketOf} gives its timestamp
     * (acknowledged, read, missing, duplicated, wrong or never sent alike). Buckets without any sample are absent.
     */
    public static Map<String, Report> checkByBucket(Map<String, TreeMap<Long, Long>> acknowledged,
                                                    Map<String, TreeMap<Long, Long>> unacknowledged,
                                                    Map<String, List<Sample>> read, LongFunction<String> bucketOf) {
        Map<String, Counts> buckets = new TreeMap<>();
        for (Map.Entry<String, TreeMap<Long, Long>> e : acknowledged.entrySet()) {
            for (Long ts : e.getValue().keySet()) buckets.computeIfAbsent(bucketOf.apply(ts), b -> new Counts()).acknowledged++;
        }
        for (Map.Entry<String, List<Sample>> e : read.entrySet()) {
            String series = e.getKey();
            TreeMap<Long, Long> acked = acknowledged.getOrDefault(series, new TreeMap<>());
            TreeMap<Long, Long> maybe = unacknowledged.getOrDefault(series, new TreeMap<>());
            Map<Long, Integer> seen = new HashMap<>();
            for (Sample s : e.getValue()) {
                Counts c = buckets.computeIfAbsent(bucketOf.apply(s.timestampMs()), b -> new Counts());
                c.checked++;
                Long want = acked.containsKey(s.timestampMs()) ? acked.get(s.timestampMs()) : maybe.get(s.timestampMs());
                if (want == null) {
                    c.unexpected++;
                    c.example("never sent: " + series + " @" + s.timestampMs() + " = " + Double.longBitsToDouble(s.valueBits()));
                } else if (want != s.valueBits()) {
                    c.wrong++;
                    c.example("wrong value: " + series + " @" + s.timestampMs() + " = " + Double.longBitsToDouble(s.valueBits())
                            + ", sent " + Double.longBitsToDouble(want));
                }
                if (seen.merge(s.timestampMs(), 1, Integer::sum) == 2) {
                    c.duplicated++;
                    c.example("duplicated: " + series + " @" + s.timestampMs());
                }
            }
            for (Long ts : acked.keySet()) {
                if (!seen.containsKey(ts)) {
                    Counts c = buckets.get(bucketOf.apply(ts));
                    c.missing++;
                    c.example("missing: " + series + " @" + ts);
                }
            }
        }
        for (Map.Entry<String, TreeMap<Long, Long>> e : acknowledged.entrySet()) {
            if (read.containsKey(e.getKey())) continue;
            for (Long ts : e.getValue().keySet()) {
                Counts c = buckets.get(bucketOf.apply(ts));
                c.missing++;
                c.example("missing series: " + e.getKey() + " @" + ts);
            }
        }
        Map<String, Report> out = new TreeMap<>();
        buckets.forEach((b, c) -> out.put(b, c.report()));
        return out;
    }

    private static final class Counts {
        int acknowledged, checked, missing, duplicated, wrong, unexpected;
        final List<String> examples = new ArrayList<>();

        void example(String what) {
            if (examples.size() < EXAMPLES) examples.add(what);
        }

        Report report() {
            return new Report(acknowledged, checked, missing, duplicated, wrong, unexpected, List.copyOf(examples));
        }
    }
}
