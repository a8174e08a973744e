package dev.strata.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.model.Labels;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regexes are RE2's (RE2/J): linear in the input, and what RE2 lacks is rejected with Go's message,
 * as Prometheus answers it (texts checked against Prometheus 2.42).
 */
class HostileRegexTest {

    /**
     * Nested quantifiers that make a backtracking engine take exponential time on a near miss:
     * {@code (a+)+b} tries 2^24 ways to split each value below with java.util.regex. With RE2 the
     * select costs about what a trivial regex over the same values costs (both linear in the bytes;
     * compared with each other rather than with a wall-clock bound, since the build machine is shared).
     */
    @Test
    void pathologicalRegexOverManyLabelValuesIsLinear() throws IOException {
        int n = 100_000;
        String near = "a".repeat(24);
        try (ShardIndex index = ShardIndex.inMemory(0)) {
            for (int i = 0; i < n; i++) {
                index.addSeries(Labels.of("__name__", "m", "v", near + i), 1);
            }
            index.refresh();
            long baseline = selectMillis(index, Matcher.re("v", "a+b"));
            long hostile = selectMillis(index, Matcher.re("v", "(a+)+b|(a|aa)+c"));
            System.out.println("regex over " + n + " label values: trivial " + baseline + " ms, pathological " + hostile + " ms");
            assertTrue(hostile < 20 * baseline + 2_000, "pathological " + hostile + " ms vs trivial " + baseline + " ms");
        }
    }

    private static long selectMillis(ShardIndex index, Matcher m) {
        long start = System.nanoTime();
        assertTrue(index.select(List.of(Matcher.eq("__name__", "m"), m), Long.MIN_VALUE, Long.MAX_VALUE).isEmpty());
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void nonRe2SyntaxIsRejectedWithGosMessage() {
        assertEquals("error parsing regexp: invalid escape sequence: `\\1`",
                assertThrows(IllegalArgumentException.class, () -> Matcher.re("job", "(a)\\1")).getMessage());
        assertEquals("error parsing regexp: invalid or unsupported Perl syntax: `(?=`",
                assertThrows(IllegalArgumentException.class, () -> Matcher.re("job", "(?=a)")).getMessage());
        assertEquals("error parsing regexp: missing closing ): `^(?:(a)$`",
                assertThrows(IllegalArgumentException.class, () -> Matcher.re("job", "(a")).getMessage());
        assertEquals("error parsing regexp: invalid repeat count: `{2000}`",
                assertThrows(IllegalArgumentException.class, () -> Matcher.nre("job", "a{2000}")).getMessage());
    }

    @Test
    void re2SemanticsAsInPrometheus() {
        assertTrue(Matcher.re("l", "a.b").matches("a\nb"), ". matches a newline");
        assertTrue(Matcher.re("l", "foo|bar").matches("bar"));
        assertTrue(!Matcher.re("l", "foo").matches("foox"), "anchored");
        assertTrue(Matcher.re("l", "(?i)FOO").matches("foo"));
        assertTrue(Matcher.re("l", "\\d+").matches("123"));
    }
}
