package dev.strata.store.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** {@link Labels#without} filters a canonical set and gives the set the builder would build. */
class LabelsWithoutTest {
    @Test
    void withoutEqualsTheBuiltSet() {
        Labels l = Labels.of("__name__", "m", "__type__", "counter", "job", "a", "zone", "z1");
        Labels w = l.without("__name__", "__type__", "__unit__");
        assertEquals(Labels.of("job", "a", "zone", "z1"), w);
        assertEquals(Labels.of("job", "a", "zone", "z1").hash(), w.hash());
        assertEquals(0, Labels.of("job", "a", "zone", "z1").compareTo(w));
        assertEquals(Labels.EMPTY, Labels.of("__name__", "m").without("__name__"));
        assertSame(w, w.without("__name__"));
    }
}
