package dev.strata.query.promqltest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner judges right and wrong expectations and counts histogram failures apart, through the real store. */
class PromqlTestRunnerTest {
    private static final String SCRIPT = String.join("\n",
            "load 1m",
            "  m_total{job=\"a\"} 0+10x10",
            "  m_total{job=\"b\"} 0+20x10 stale",
            "  h {{schema:0 sum:1 count:1}}x3",
            "  h2 {{schema:0 sum:3 count:2 buckets:[1 1]}}x3",
            "",
            "# passes",
            "eval instant at 10m sum(m_total)",
            "  {} 300",
            "",
            "# passes: range eval with a missing point after the staleness marker",
            "eval range from 9m to 11m step 1m m_total{job=\"b\"}",
            "  m_total{job=\"b\"} 180 200 _",
            "",
            "# fails: wrong value",
            "eval instant at 10m m_total{job=\"a\"}",
            "  m_total{job=\"a\"} 99",
            "",
            "# passes: expected failure with exact message",
            "eval instant at 0 sum(",
            "  expect fail msg: 1:5: parse error: unexpected end of input",
            "",
            "# passes: ordered",
            "eval instant at 10m sort_desc(m_total)",
            "  expect ordered",
            "  m_total{job=\"b\"} 200",
            "  m_total{job=\"a\"} 100",
            "",
            "# fails: expected a warning that does not come",
            "eval instant at 10m m_total",
            "  expect warn",
            "  m_total{job=\"b\"} 200",
            "  m_total{job=\"a\"} 100",
            "",
            "# passes: a native histogram read back",
            "eval instant at 1m h",
            "  h {{schema:0 sum:1 count:1}}",
            "",
            "# fails, counted as a histogram eval: expects a float",
            "eval instant at 1m h",
            "  h 1",
            "",
            "# passes: the trim operator keeps the histogram's observations at or below 1 (schema 0: bucket (0.5,1])",
            "eval instant at 1m h2 </ 1",
            "  h2 {{schema:0 sum:0.7071067811865476 count:1 buckets:[1]}}",
            "");

    @Test
    void judgesAndCounts(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("mini.test"), SCRIPT);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Summary s = new PromqlTestRunner(LocalShardsTestStorage::new, true, out).runDir(dir);
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(new Summary(6, 3, 1), s, text);
        assertTrue(text.contains("mini.test: 6 passed, 3 failed (1 with native histograms)"), text);
        assertTrue(text.endsWith("promqltest: 6 passed, 3 failed (1 with native histograms)\n"), text);
        assertTrue(text.contains("FAIL mini.test:16"), text);
    }

    @Test
    void expandsLoadNotation() {
        var pts = SeriesSpec.expand("1+2x2 _x2 5-1x1 stale 3x1 0x1F");
        assertEquals(11, pts.size());
        assertEquals(5, pts.get(2).value());
        assertTrue(pts.get(3).missing() && pts.get(4).missing());
        assertEquals(4, pts.get(6).value());
        assertEquals(0x7ff0000000000002L, Double.doubleToRawLongBits(pts.get(7).value()));
        assertEquals(31, pts.get(10).value());
    }

    @Test
    void expandsHistogramNotation() {
        var pts = SeriesSpec.expand("{{schema:1 sum:5 count:4 z_bucket:1 z_bucket_w:0.5 buckets:[1 2] offset:-1 n_buckets:[0 1] counter_reset_hint:gauge}}"
                + " {{sum:1 count:1 buckets:[1]}}+{{sum:2 count:2 buckets:[1 1]}}x2 _ {{schema:-53 count:1 custom_values:[1 2] buckets:[0 1]}}x1");
        assertEquals(7, pts.size());
        var h = pts.get(0).histogram();
        assertEquals(1, h.schema());
        assertEquals(0.5, h.zeroThreshold());
        assertEquals(-1, h.positiveSpanOffsets()[0]);
        assertEquals(2, h.negativeBuckets().length);
        assertEquals(dev.strata.store.model.FloatHistogram.ResetHint.GAUGE, h.resetHint());
        assertTrue(pts.get(0).hintSet() && !pts.get(1).hintSet());
        var last = pts.get(3).histogram();
        assertEquals(5, last.count());
        assertEquals(5, last.sum());
        assertEquals(java.util.List.of(3.0, 2.0), java.util.Arrays.stream(last.positiveBuckets()).boxed().toList());
        assertTrue(pts.get(4).missing());
        assertEquals(-53, pts.get(6).histogram().schema());
        assertEquals(2, pts.get(6).histogram().customValues().length);
    }

    @Test
    void floatComparisonFollowsPrometheus() {
        assertTrue(FloatCompare.equal(1.0, 1.0 + 1e-9));
        assertTrue(!FloatCompare.equal(0, 1e-300));
        assertTrue(FloatCompare.equal(Double.NaN, Double.NaN));
        assertTrue(!FloatCompare.equal(Double.NaN, Double.longBitsToDouble(0x7ff0000000000002L)));
    }
}
