package dev.strata.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;
import dev.strata.store.series.InMemorySeriesKeyListing;
import dev.strata.store.series.SeriesKey;
import dev.strata.store.series.SeriesKeyListing;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * Checks select/labelNames/labelValues against a brute-force reference (every series' labels run
 * through {@link Matcher#matches}) over seeded random label sets and random matchers of all four
 * kinds, including every regex fast-path shape and shapes that must take the general path.
 * Rerun a failure with -Dseed=N.
 */
class MatcherSemanticsTest {
    private static final String[] NAMES = {"__name__", "job", "instance", "a", "b"};
    private static final String[] VALUES = {
        "foo", "foobar", "fo", "bar", "baz", "a.b", "a-b", "axb", "x\ny", "FOO", "ü", "😀", "123", "f", "foo.bar",
        "host-1", "host-10", "host-2", "b.r", "fooo", "",
    };
    private static final String[] REGEXES = {
        ".*", ".+", "", "foo", "foo|bar", "(foo|bar)", "(?:foo|)", "foo.*", "fo.*", "foo.+", "f.*", ".*bar", "a\\.b",
        "a.b", "[a-f]+", "fo?o.*", "(?i)FOO", "x.y", "😀|ü", "a\\-b", "foo|", "|", "b.*r", "\\d+", "fo+bar", "ba[rz]",
        "(foo)(bar)", "host-1.*", "host-1", "host-.+", "foo\\.bar", "fo{2}", "(?:(?:foo))", "foo|bar.*", "\\.*", ".*.*",
        "f|fo|foo|fooo", "ü.*", "[^f].*",
    };

    private final long seed = Long.getLong("seed", System.nanoTime());

    private record Series(int id, Labels labels, long first, long last) {}

    @Test
    void selectionsNamingLabelsNoSeriesHasKeepNoPostings() throws Exception {
        try (ShardIndex index = ShardIndex.inMemory(0)) {
            int id = index.addSeries(Labels.of("__name__", "up", "job", "a"), 0);
            for (int i = 0; i < 1000; i++) {
                assertEquals(new RoaringBitmap(), index.select(List.of(Matcher.eq("__name__", "up"), Matcher.eq("nope" + i, "x")), 0, 10));
                assertEquals(RoaringBitmap.bitmapOf(id), index.select(List.of(Matcher.eq("__name__", "up"), Matcher.neq("nope" + i, "x")), 0, 10));
            }
            assertEquals(1, index.inMemoryPostingsLabels(), "only __name__ is kept");
            int later = index.addSeries(Labels.of("__name__", "up", "nope7", "x"), 0);
            assertEquals(RoaringBitmap.bitmapOf(later), index.select(List.of(Matcher.eq("nope7", "x")), 0, 10),
                    "a label dropped while absent is found once a series has it");
        }
    }

    @Test
    void selectMatchesReferenceOnBothReadPaths() {
        Random rnd = new Random(seed);
        // select runs on the in-memory postings, built from the Lucene snapshot of the first selection
        // naming a label and caught up from memory after it. maxPendingScan 0: that snapshot covers
        // every series; huge: it covers only those of explicit refreshes.
        for (int pending : new int[] {0, Integer.MAX_VALUE, 150}) {
            ShardIndexOptions opts = new ShardIndexOptions(16, pending, true, 2);
            try (ShardIndex index = ShardIndex.inMemory(0, opts)) {
                List<Series> series = populate(index, rnd, 400);
                for (int q = 0; q < 250; q++) {
                    List<Matcher> ms = randomMatchers(rnd);
                    long[] range = randomRange(rnd);
                    RoaringBitmap expected = new RoaringBitmap();
                    for (Series s : series) {
                        if (matchesAll(s.labels, ms) && s.first <= range[1] && s.last >= range[0]) expected.add(s.id);
                    }
                    RoaringBitmap actual = index.select(ms, range[0], range[1]);
                    assertEquals(expected, actual, () -> "seed=" + seed + " pending=" + pending + " matchers=" + ms
                            + " range=" + range[0] + ".." + range[1]);
                }
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    /**
     * The in-memory postings: built from the rebuilt index (series ids with gaps), caught up while
     * series keep arriving between selections, rebuilt from Lucene after a reopen (labels not in
     * memory), caught up again; every selection checked against the reference.
     */
    @Test
    void selectMatchesReferenceWhileSeriesArriveAndAcrossReopen(@TempDir Path dir) throws Exception {
        Random rnd = new Random(seed + 3);
        List<Labels> fresh = new ArrayList<>(randomLabelSets(rnd, 900));
        List<Series> series = new ArrayList<>();
        InMemorySeriesKeyListing listing = new InMemorySeriesKeyListing();
        int id = 0;
        for (int i = 0; i < 200; i++) {
            id += 1 + rnd.nextInt(3); // gaps: ids 0, 2, 3, 6, ... are absent
            long first = rnd.nextInt(1000);
            long last = first + rnd.nextInt(500);
            Labels l = fresh.remove(fresh.size() - 1);
            listing.put(0, new SeriesKey(id, l, first, last));
            series.add(new Series(id, l, first, last));
        }
        String ctx = "seed=" + seed;
        try (ShardIndex index = ShardIndex.open(dir, 0, listing)) {
            checkSelections(index, series, rnd, 40, ctx + " rebuilt");
            addAndCheck(index, series, fresh, rnd, 300, ctx + " after rebuild");
            index.commit(7);
        }
        try (ShardIndex index = ShardIndex.open(dir, 0, SeriesKeyListing.empty())) {
            assertEquals(false, index.rebuiltFromListing(), ctx);
            checkSelections(index, series, rnd, 40, ctx + " reopened");
            addAndCheck(index, series, fresh, rnd, 300, ctx + " after reopen");
        }
    }

    /** Adds {@code n} series from {@code fresh} in random batches, checking selections between batches. */
    private void addAndCheck(ShardIndex index, List<Series> series, List<Labels> fresh, Random rnd, int n, String ctx)
            throws java.io.IOException {
        int added = 0;
        while (added < n) {
            int batch = 1 + rnd.nextInt(25);
            for (int i = 0; i < batch && added < n; i++, added++) {
                Labels l = fresh.remove(fresh.size() - 1);
                long first = rnd.nextInt(1000);
                int sid = index.addSeries(l, first);
                long last = first + rnd.nextInt(500);
                index.updateLastSampleTime(sid, last);
                series.add(new Series(sid, l, first, last));
            }
            if (rnd.nextInt(5) == 0) index.refresh();
            checkSelections(index, series, rnd, 3, ctx + " after " + added);
        }
    }

    private static void checkSelections(ShardIndex index, List<Series> series, Random rnd, int queries, String ctx) {
        for (int q = 0; q < queries; q++) {
            List<Matcher> ms = randomMatchers(rnd);
            long[] range = randomRange(rnd);
            RoaringBitmap expected = new RoaringBitmap();
            for (Series s : series) {
                if (matchesAll(s.labels, ms) && s.first <= range[1] && s.last >= range[0]) expected.add(s.id);
            }
            assertEquals(expected, index.select(ms, range[0], range[1]),
                    () -> ctx + " matchers=" + ms + " range=" + range[0] + ".." + range[1]);
        }
    }

    private static LinkedHashSet<Labels> randomLabelSets(Random rnd, int n) {
        LinkedHashSet<Labels> sets = new LinkedHashSet<>();
        while (sets.size() < n) {
            Labels.Builder b = new Labels.Builder();
            for (String name : NAMES) {
                if (rnd.nextInt(4) != 0) b.set(name, VALUES[rnd.nextInt(VALUES.length)]);
            }
            sets.add(b.build());
        }
        return sets;
    }

    @Test
    void labelNamesAndValuesMatchReference() throws Exception {
        Random rnd = new Random(seed + 1);
        for (int pending : new int[] {0, 1_000_000}) {
            try (ShardIndex index = ShardIndex.inMemory(0, new ShardIndexOptions(16, pending, true, 2))) {
                List<Series> series = populate(index, rnd, 300);
                for (int q = 0; q < 120; q++) {
                    List<Matcher> ms = rnd.nextInt(4) == 0 ? List.of() : randomMatchers(rnd);
                    long[] range = rnd.nextInt(3) == 0 ? new long[] {Long.MIN_VALUE, Long.MAX_VALUE} : randomRange(rnd);
                    String name = NAMES[rnd.nextInt(NAMES.length)];
                    TreeSet<String> names = new TreeSet<>();
                    TreeSet<String> values = new TreeSet<>();
                    for (Series s : series) {
                        if (matchesAll(s.labels, ms) && s.first <= range[1] && s.last >= range[0]) {
                            s.labels.forEach((n, v) -> names.add(n));
                            if (s.labels.has(name)) values.add(s.labels.get(name));
                        }
                    }
                    String ctx = "seed=" + seed + " pending=" + pending + " matchers=" + ms + " range="
                            + range[0] + ".." + range[1];
                    assertEquals(new ArrayList<>(names), index.labelNames(ms, range[0], range[1]), ctx);
                    assertEquals(new ArrayList<>(values), index.labelValues(name, ms, range[0], range[1]), ctx + " name=" + name);
                }
            }
        }
    }

    @Test
    void topValuesCountsSeriesPerValue() throws Exception {
        Random rnd = new Random(seed + 2);
        try (ShardIndex index = ShardIndex.inMemory(0, new ShardIndexOptions(16, 100, true, 2))) {
            List<Series> series = populate(index, rnd, 700);
            for (String name : NAMES) {
                Map<String, Long> counts = new HashMap<>();
                for (Series s : series) if (s.labels.has(name)) counts.merge(s.labels.get(name), 1L, Long::sum);
                List<ValueCount> expected = counts.entrySet().stream()
                        .map(e -> new ValueCount(e.getKey(), e.getValue()))
                        .sorted((x, y) -> x.count() != y.count() ? Long.compare(y.count(), x.count()) : x.value().compareTo(y.value()))
                        .limit(5).collect(Collectors.toList());
                assertEquals(expected, index.topValues(name, 5), "seed=" + seed + " name=" + name);
            }
        }
    }

    /** Adds distinct random series, refreshing now and then so some are in Lucene and some pending. */
    private static List<Series> populate(ShardIndex index, Random rnd, int n) throws java.io.IOException {
        LinkedHashSet<Labels> sets = randomLabelSets(rnd, n);
        List<Series> out = new ArrayList<>();
        for (Labels l : sets) {
            long first = rnd.nextInt(1000);
            int id = index.addSeries(l, first);
            assertEquals(out.size(), id, "ids are dense");
            long last = first + rnd.nextInt(500);
            index.updateLastSampleTime(id, last);
            out.add(new Series(id, l, first, last));
            if (rnd.nextInt(97) == 0) index.refresh();
        }
        return out;
    }

    private static List<Matcher> randomMatchers(Random rnd) {
        int n = 1 + rnd.nextInt(3);
        List<Matcher> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = NAMES[rnd.nextInt(NAMES.length)];
            Matcher.Type type = Matcher.Type.values()[rnd.nextInt(4)];
            String value = switch (type) {
                case EQ, NEQ -> VALUES[rnd.nextInt(VALUES.length)];
                case RE, NRE -> REGEXES[rnd.nextInt(REGEXES.length)];
            };
            ms.add(Matcher.of(type, name, value));
        }
        return ms;
    }

    private static long[] randomRange(Random rnd) {
        if (rnd.nextBoolean()) return new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
        long a = rnd.nextInt(1600) - 50, b = rnd.nextInt(1600) - 50;
        return new long[] {Math.min(a, b), Math.max(a, b)};
    }

    private static boolean matchesAll(Labels l, List<Matcher> ms) {
        for (Matcher m : ms) if (!m.matches(l.get(m.name()))) return false;
        return true;
    }
}
