package dev.strata.ingest.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.protocol.WriteBatch;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchValidatorTest {
    static final long NOW = 1_700_000_000_000L;

    static WriteBatch series(long ts, String... kv) {
        WriteBatch b = new WriteBatch();
        add(b, ts, kv);
        return b;
    }

    static void add(WriteBatch b, long ts, String... kv) {
        b.beginSeries();
        for (int i = 0; i < kv.length; i += 2) {
            int n = b.appendString(kv[i]);
            int nl = kv[i].getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            int v = b.appendString(kv[i + 1]);
            int vl = kv[i + 1].getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            b.addLabel(n, nl, v, vl);
        }
        b.addSample(ts, 1);
        b.endSeries();
    }

    final BatchValidator utf8 = new BatchValidator(ValidationLimits.defaults());
    final BatchValidator legacy = new BatchValidator(new ValidationLimits(NameValidation.LEGACY, 4, 10, 20,
            Duration.ofHours(1), Duration.ofMinutes(5), 2));

    @Test
    void acceptsGoodSeriesAndDropsEmptyValues() {
        WriteBatch b = series(NOW, "__name__", "up", "job", "a", "empty", "");
        assertTrue(utf8.validate(b, NOW).ok());
        assertTrue(legacy.validate(b, NOW).ok());
        assertEquals(2, b.labelCount(0));
    }

    @Test
    void rejectsByPrometheusRules() {
        assertProblem(utf8, series(NOW, "job", "a"), "no metric name");
        assertProblem(utf8, series(NOW, "__name__", ""), "no labels");
        assertProblem(utf8, series(NOW, "__name__", "up", "job", "a", "job", "b"), "duplicate label name \"job\"");
        assertProblem(legacy, series(NOW, "__name__", "1up"), "invalid metric name \"1up\"");
        assertProblem(legacy, series(NOW, "__name__", "up", "a-b", "x"), "invalid label name \"a-b\"");
        assertTrue(utf8.validate(series(NOW, "__name__", "up.dotted", "a-b", "x"), NOW).ok(), "UTF-8 names allowed");
        WriteBatch badUtf8 = new WriteBatch();
        badUtf8.beginSeries();
        int n = badUtf8.appendString("__name__");
        int v = badUtf8.appendBytes(new byte[] {'u', (byte) 0xC3}, 0, 2);
        badUtf8.addLabel(n, 8, v, 2);
        badUtf8.addSample(NOW, 1);
        badUtf8.endSeries();
        assertProblem(utf8, badUtf8, "not valid UTF-8");
    }

    @Test
    void rejectsByLimits() {
        assertProblem(legacy, series(NOW, "__name__", "up", "a", "1", "b", "2", "c", "3", "d", "4"), "5 labels, more than the limit of 4");
        assertProblem(legacy, series(NOW, "__name__", "up", "abcdefghijk", "1"), "label name of 11 bytes");
        assertProblem(legacy, series(NOW, "__name__", "up", "a", "x".repeat(21)), "21 bytes, more than the limit of 20");
        assertProblem(legacy, series(NOW - 3_600_001, "__name__", "up"), "older than the limit");
        assertProblem(legacy, series(NOW + 300_001, "__name__", "up"), "too far in the future");
        assertTrue(legacy.validate(series(NOW + 300_000, "__name__", "up"), NOW).ok());
    }

    @Test
    void reportsTheFirstFewAndTheTotal() {
        WriteBatch b = new WriteBatch();
        for (int i = 0; i < 5; i++) add(b, NOW, "job", "j" + i);
        add(b, NOW, "__name__", "fine");
        ValidationResult r = legacy.validate(b, NOW);
        assertFalse(r.ok());
        assertEquals(5, r.totalErrors());
        assertEquals(2, r.firstErrors().size());
        assertTrue(r.message().contains("and 3 more"), r.message());
        assertTrue(r.message().contains("job=\"j0\""), r.message());
    }

    static void assertProblem(BatchValidator v, WriteBatch b, String expected) {
        ValidationResult r = v.validate(b, NOW);
        assertFalse(r.ok(), expected);
        assertTrue(r.message().contains(expected), "expected \"" + expected + "\" in: " + r.message());
    }
}
