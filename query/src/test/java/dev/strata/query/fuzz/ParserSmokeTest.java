package dev.strata.query.fuzz;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The short parser fuzz run of every build: seeded random edits (characters and tokens inserted,
 * deleted, duplicated) of valid queries. The seed is printed; {@code -Dseed=N} replays it.
 */
class ParserSmokeTest {
    private static final List<String> SEEDS = List.of(
            "sum by (job) (rate(http_requests_total{job=~\"api|web\", code!=\"500\"}[5m] offset 1h))",
            "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m]))) > bool 0.5",
            "a + on(instance) group_left(job) b * -c ^ 2",
            "max_over_time(deriv(up[1h:5m] @ 1700000000)[10m:]) or vector(1)",
            "label_replace(up, \"dst\", \"$1\", \"src\", \"(.*)\") unless topk(3, x)",
            "{__name__=~\"up|down\", \"quoted.name\"=\"v\"}[5m] offset -(1m + 2m)");
    private static final String[] TOKENS = {"(", ")", "[", "]", "{", "}", ",", "\"", "=~", "!~", "+", "-", "^", "@",
            "offset", "by", "sum(", "rate(", "[5m]", "[1m:]", "1e308", "0x", "'", "`", "\\", "on(", "group_left", "bool",
            "start()", "inf", "NaN", "#", "\n", "ü", "😀", "5m", "(((", ")))"};

    @Test
    void mutatedQueries() {
        long s = Long.getLong("seed", System.nanoTime());
        System.out.println("ParserSmokeTest seed=" + s);
        Random rnd = new Random(s);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder q = new StringBuilder(SEEDS.get(rnd.nextInt(SEEDS.size())));
            for (int edits = 1 + rnd.nextInt(3); edits > 0; edits--) {
                int at = q.length() == 0 ? 0 : rnd.nextInt(q.length());
                switch (rnd.nextInt(4)) {
                    case 0 -> q.insert(at, TOKENS[rnd.nextInt(TOKENS.length)]);
                    case 1 -> q.delete(at, Math.min(q.length(), at + 1 + rnd.nextInt(4)));
                    case 2 -> q.insert(at, q.substring(at, Math.min(q.length(), at + 1 + rnd.nextInt(12))));
                    default -> q.setCharAt(Math.min(at, Math.max(0, q.length() - 1)), (char) (32 + rnd.nextInt(95)));
                }
            }
            String query = q.toString();
            try {
                ParserTargets.parse(query);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("seed=" + s + " round " + i + ": " + query, e);
            }
        }
    }
}
