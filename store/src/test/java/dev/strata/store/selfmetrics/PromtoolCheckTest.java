package dev.strata.store.selfmetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The exposition, as Prometheus's own linter reads it: {@code promtool check metrics} (from the
 * prometheus package, which .ci/run installs). Skipped when promtool is not on the PATH.
 */
class PromtoolCheckTest {
    private static Path promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    @Test
    void promtoolAcceptsTheExposition() throws Exception {
        Path promtool = promtool();
        assumeTrue(promtool != null, "promtool not on PATH: install the prometheus package (.ci/run does)");
        MetricsRegistry r = new MetricsRegistry();
        ProcessMetrics.register(r);
        JvmMetrics.register(r);
        r.counterFamily("strata_test_requests_total", "Requests \"quoted\" \\ and\nnewline.", "code", "path")
                .labels("200", "/a\"b\\c\nd").inc(3);
        r.gauge("strata_test_queue_length", "Queue length.").set(1.5);
        Histogram h = r.histogram("strata_test_latency_seconds", "Latency.", Histogram.DEFAULT_SECONDS_BUCKETS);
        h.observe(0.003);
        h.observe(42);
        String text = r.scrape();

        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals("", output.trim(), "promtool check metrics complained about:\n" + text);
        assertEquals(0, p.exitValue(), output);
    }
}
