package dev.strata.node.process;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares what a node returns with what was sent: every acknowledged sample exactly once with the
 * same value bits; an unacknowledged sample at most once, and if present with the value sent; nothing
 * that was never sent. Series are named by their Prometheus label string.
 */
public final class ExactlyOnceCheck {
    private static final int EXAMPLES = 8;

    /** One sample as read back. */
    public record Sample(long timestampMs, long valueBits) {}

    /** The outcome: counts per kind of problem and the first few examples of each. */
    public record Report(int checked, int missing, int duplicated, int wrongValue, int unexpected, List<String> examples) {
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
        int checked = 0, missing = 0, duplicated = 0, wrong = 0, unexpected = 0;
        List<String> examples = new ArrayList<>();
        for (Map.Entry<String, List<Sample>> e : read.entrySet()) {
            String series = e.getKey();
            TreeMap<Long, Long> acked = acknowledged.getOrDefault(series, new TreeMap<>());
            TreeMap<Long, Long> maybe = unacknowledged.getOrDefault(series, new TreeMap<>());
            Map<Long, Integer> seen = new HashMap<>();
            for (Sample s : e.getValue()) {
                checked++;
                Long want = acked.containsKey(s.timestampMs()) ? acked.get(s.timestampMs()) : maybe.get(s.timestampMs());
                if (want == null) {
                    unexpected++;
                    example(examples, "never sent: " + series + " @" + s.timestampMs() + " = " + Double.longBitsToDouble(s.valueBits()));
                } else if (want != s.valueBits()) {
                    wrong++;
                    example(examples, "wrong value: " + series + " @" + s.timestampMs() + " = " + Double.longBitsToDouble(s.valueBits())
                            + ", sent " + Double.longBitsToDouble(want));
                }
                if (seen.merge(s.timestampMs(), 1, Integer::sum) == 2) {
                    duplicated++;
                    example(examples, "duplicated: " + series + " @" + s.timestampMs());
                }
            }
            for (Long ts : acked.keySet()) {
                if (!seen.containsKey(ts)) {
                    missing++;
                    example(examples, "missing: " + series + " @" + ts);
                }
            }
        }
        for (Map.Entry<String, TreeMap<Long, Long>> e : acknowledged.entrySet()) {
            if (!read.containsKey(e.getKey()) && !e.getValue().isEmpty()) {
                missing += e.getValue().size();
                example(examples, "missing series: " + e.getKey() + " (" + e.getValue().size() + " acknowledged samples)");
            }
        }
        return new Report(checked, missing, duplicated, wrong, unexpected, List.copyOf(examples));
    }

    private static void example(List<String> examples, String what) {
        if (examples.size() < EXAMPLES) examples.add(what);
    }
}
