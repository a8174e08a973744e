package dev.strata.store.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XxHash64Test {
    @Test
    void referenceVectors() {
        // Reference values of XXH64 with seed 0 (from the xxHash project).
        assertEquals(0xEF46DB3751D8E999L, XxHash64.hash(new byte[0]));
        assertEquals(0xD24EC4F1A98C6E5BL, XxHash64.hash("a".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0x44BC2CF5AD770999L, XxHash64.hash("abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0xFBCEA83C8A378BF1L,
                XxHash64.hash("Nobody inspects the spammish repetition".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void labelsAreCanonical() {
        Labels a = Labels.of("job", "node", "__name__", "up", "instance", "h1", "empty", "");
        Labels b = Labels.of("__name__", "up", "instance", "h1", "job", "node");
        assertEquals(a, b);
        assertEquals(a.hash(), b.hash());
        assertEquals(3, a.size());
        assertEquals("up", a.metricName());
        assertEquals("", a.get("empty"));
        assertEquals("up{instance=\"h1\", job=\"node\"}", a.toString());
        assertNotEquals(a.hash(), a.with("job", "other").hash());
        assertThrows(InvalidLabelsException.class, () -> Labels.of("a", "1", "a", "2"));
        assertThrows(InvalidLabelsException.class, () -> Labels.of("", "1"));
    }
}
