package dev.strata.query.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.query.parser.ParseException;
import dev.strata.query.parser.Parser;
import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.query.storage.Queryable;
import dev.strata.query.storage.SeriesVisitor;
import dev.strata.store.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Queries a hostile client sends: each ends in a clear error, quickly, never a stack overflow or a stall. */
class HostileQueryTest {
    private final InMemoryQueryable store = new InMemoryQueryable();
    private final Engine engine = new Engine(store, QueryOptions.defaults());

    @Test
    void deepNestingIsAParseErrorNotAStackOverflow() {
        int over = Parser.MAX_DEPTH + 1;
        for (String q : List.of("(".repeat(100_000) + "1" + ")".repeat(100_000),
                "-".repeat(100_000) + "1",
                "1" + "+1".repeat(100_000),
                "2" + "^2".repeat(100_000),
                "abs(".repeat(over) + "up" + ")".repeat(over),
                "sum(".repeat(over) + "up" + ")".repeat(over),
                "up[5m:1m]".replace("up", "(".repeat(over) + "up" + ")".repeat(over)),
                "up offset (" + "1+".repeat(over) + "1)s")) {
            ParseException e = assertThrows(ParseException.class, () -> Parser.parse(q), q.substring(0, 20));
            assertTrue(e.getMessage().contains("expression nesting depth exceeds the limit of " + Parser.MAX_DEPTH), e.getMessage());
        }
    }

    @Test
    void queriesAtTheLimitStillEvaluate() {
        store.append(Labels.of("__name__", "up"), 0, 1);
        int depth = Parser.MAX_DEPTH - 2;
        String parens = "(".repeat(depth) + "up" + ")".repeat(depth);
        assertEquals(1, ((Vector) engine.instantQuery(parens, 1000).value()).samples().get(0).value());
        String chain = "up" + " + up".repeat(depth / 2 - 1);
        assertEquals(depth / 2, ((Vector) engine.instantQuery(chain, 1000).value()).samples().get(0).value());
    }

    @Test
    void labelReplaceUsesRe2() {
        store.append(Labels.of("__name__", "up", "job", "a".repeat(30)), 0, 1);
        QueryException e = assertThrows(QueryException.class,
                () -> engine.instantQuery("label_replace(up, \"x\", \"$1\", \"job\", \"(a)\\\\1\")", 1000));
        assertEquals("invalid regular expression in label_replace(): (a)\\1", e.getMessage());
        // Nested quantifiers against a near miss: instant with RE2 (java.util.regex: 2^30 steps).
        long start = System.nanoTime();
        Vector v = (Vector) engine.instantQuery("label_replace(up, \"x\", \"$1\", \"job\", \"(a+)+b\")", 1000).value();
        assertEquals(1, v.samples().size());
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }

    @Test
    void backreferenceInAMatcherIsRejectedWithPrometheusText() {
        ParseException e = assertThrows(ParseException.class, () -> Parser.parse("up{job=~\"(a)\\\\1\"}"));
        assertEquals("1:4: parse error: error parsing regexp: invalid escape sequence: `\\1`", e.getMessage());
    }

    /** Storage that takes 50 ms per series (a long range paged from Cassandra): the deadline is checked per series. */
    @Test
    void selectOverManySlowSeriesStopsAtTheTimeout() {
        Queryable slow = new Queryable() {
            @Override
            public List<dev.strata.query.storage.Series> select(List<dev.strata.index.Matcher> m, long minT, long maxT) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void select(List<dev.strata.index.Matcher> m, long minT, long maxT, SeriesVisitor visitor) {
                for (int i = 0; i < 10_000; i++) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    visitor.visit(Labels.of("__name__", "m", "i", Integer.toString(i)), new long[] {0}, new double[] {1}, null, null, 1);
                }
            }
        };
        Engine e = new Engine(slow, QueryOptions.defaults().withTimeoutMs(500));
        long start = System.nanoTime();
        QueryException ex = assertThrows(QueryException.class, () -> e.instantQuery("count_over_time(m[3650d])", 1000));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals("timeout", ex.errorType());
        assertEquals("query timed out in query execution", ex.getMessage());
        assertTrue(ms < 5_000, "stopped after " + ms + " ms (timeout 500 ms, 50 ms per series)");
    }
}
