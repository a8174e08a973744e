package dev.strata.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.store.model.Labels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * The regex fast paths (literal sets, prefixes) select exactly what the regex itself selects (a
 * brute-force reference), and {@link RegexShape} classifies as expected.
 */
class RegexFastPathTest {
    private static final String[] VALUES = {
        "foo", "foobar", "fo", "bar", "a.b", "a-b", "axb", "x\ny", "FOO", "ü", "😀", "123", "f", "foo.bar", "host-1",
        "host-10", "host-2", "host-1:9100", "host-19:9100", "fooo", "foo\u00ff", "foo😀",
    };
    private static final String[] REGEXES = {
        ".*", ".+", "", "foo", "foo|bar", "(foo|bar)", "(?:foo|)", "foo.*", "fo.*", "foo.+", "f.*", "a\\.b", "a.b",
        "😀|ü", "a\\-b", "foo|", "|", "host-1.*", "host-1.+", "host-1", "(host-1.*)", "foo\\.bar", "(?:(?:foo))",
        "f|fo|foo|fooo", "ü.*", "foo😀.*", "foo\u00ff.*", "\\.*", "fo?o.*", "[^f].*", "host-1[0-9]*:9100",
    };

    private final long seed = Long.getLong("seed", System.nanoTime());

    @Test
    void shapesAreRecognised() {
        assertEquals(RegexShape.Kind.LITERALS, RegexShape.of("a|b|c").kind());
        assertEquals(List.of("a", "b", "c"), RegexShape.of("(?:a|b|c)").literals());
        assertEquals(List.of("a.b"), RegexShape.of("a\\.b").literals());
        assertEquals(RegexShape.Kind.PREFIX, RegexShape.of("host-1.*").kind());
        assertEquals("host-1", RegexShape.of("host-1.*").prefix());
        assertEquals(RegexShape.Kind.PREFIX, RegexShape.of(".*").kind());
        assertEquals(RegexShape.Kind.PREFIX_NONEMPTY, RegexShape.of(".+").kind());
        assertEquals(RegexShape.Kind.GENERAL, RegexShape.of("a.b").kind());
        assertEquals(RegexShape.Kind.GENERAL, RegexShape.of("\\.*").kind());
        assertEquals(RegexShape.Kind.GENERAL, RegexShape.of("(a)(b)").kind());
        assertEquals(RegexShape.Kind.GENERAL, RegexShape.of("\\d+").kind());
        assertEquals("fo", RegexShape.of("foo?bar").prefix(), "a quantified char is not part of the prefix");
        assertEquals("host-1", RegexShape.of("host-1[0-9]*:9100").prefix());
        assertEquals("", RegexShape.of("a.*|b").prefix());
        assertEquals("", RegexShape.of("(?i)foo").prefix());
    }

    @Test
    void fastPathsSelectWhatTheRegexSelects() {
        Random rnd = new Random(seed);
        List<Labels> series = new ArrayList<>();
        try (ShardIndex index = ShardIndex.inMemory(0)) {
            for (int i = 0; i < 400; i++) {
                Labels.Builder b = new Labels.Builder().set("n", Integer.toString(i));
                if (rnd.nextInt(5) != 0) b.set("l", VALUES[rnd.nextInt(VALUES.length)]);
                Labels l = b.build();
                assertEquals(series.size(), index.addSeries(l, 1));
                series.add(l);
                if (rnd.nextInt(60) == 0) index.refresh(); // postings built from several segments + memory
            }
            for (String re : REGEXES) {
                for (Matcher m : List.of(Matcher.re("l", re), Matcher.nre("l", re))) {
                    RoaringBitmap expected = new RoaringBitmap();
                    for (int id = 0; id < series.size(); id++) if (m.matches(series.get(id).get("l"))) expected.add(id);
                    assertEquals(expected, index.select(List.of(m), Long.MIN_VALUE, Long.MAX_VALUE),
                            "seed=" + seed + " matcher=" + m + " shape=" + RegexShape.of(re).kind());
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
