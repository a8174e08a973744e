package dev.strata.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.search.IndexOrDocValuesQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * The regex fast paths (term sets, prefixes, their doc-values variants) select exactly what the
 * general path (terms walk + java.util.regex) selects, and {@link RegexShape} classifies as expected.
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
    void fastPathsSelectWhatTheGeneralPathSelects() throws IOException {
        Random rnd = new Random(seed);
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
             IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
            for (int doc = 0; doc < 400; doc++) {
                Document d = new Document();
                if (rnd.nextInt(5) != 0) {
                    String v = VALUES[rnd.nextInt(VALUES.length)];
                    d.add(IndexFields.labelValue("l", v));
                }
                d.add(new NumericDocValuesField(IndexFields.ID, doc));
                w.addDocument(d);
                if (rnd.nextInt(60) == 0) w.flush(); // several segments
            }
            try (DirectoryReader reader = DirectoryReader.open(w)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                LeafSeriesIds ids = new LeafSeriesIds();
                for (String re : REGEXES) {
                    Matcher m = Matcher.re("l", re);
                    RoaringBitmap general = run(searcher, ids, MatcherQueries.regexMatchQuery(reader, m, true));
                    Query fast = MatcherQueries.regexMatchQuery(reader, m, false);
                    String ctx = "seed=" + seed + " regex=" + re + " fast=" + fast;
                    assertEquals(general, run(searcher, ids, fast), ctx);
                    if (fast instanceof IndexOrDocValuesQuery q) {
                        assertEquals(general, run(searcher, ids, q.getIndexQuery()), ctx + " (index side)");
                        assertEquals(general, run(searcher, ids, q.getRandomAccessQuery()), ctx + " (doc-values side)");
                    }
                }
            }
        }
    }

    private static RoaringBitmap run(IndexSearcher searcher, LeafSeriesIds ids, Query q) throws IOException {
        RoaringBitmap out = new RoaringBitmap();
        SeriesIdGatherer.gather(searcher, q, ids, out);
        return out;
    }
}
