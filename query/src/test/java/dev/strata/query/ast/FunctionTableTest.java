package dev.strata.query.ast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The function table's properties agree with the signatures they depend on. */
class FunctionTableTest {
    @Test
    void perSeriesRangeFunctionsTakeOneRangeVector() {
        for (Function f : Function.all().values()) {
            if (f.perSeries() != Function.PerSeries.RANGE) continue;
            assertEquals(List.of(ValueType.MATRIX), f.argTypes(), f.name());
            assertEquals(0, f.variadic(), f.name());
            assertEquals(ValueType.VECTOR, f.returnType(), f.name());
        }
    }

    @Test
    void elementwiseFunctionsTakeAVectorThenScalars() {
        for (Function f : Function.all().values()) {
            if (f.perSeries() != Function.PerSeries.ELEMENTWISE) continue;
            assertEquals(ValueType.VECTOR, f.argTypes().get(0), f.name());
            for (ValueType t : f.argTypes().subList(1, f.argTypes().size())) assertEquals(ValueType.SCALAR, t, f.name());
            assertEquals(ValueType.VECTOR, f.returnType(), f.name());
        }
    }

    @Test
    void theTableNamesWhatIsPushableAndWhatKeepsTheName() {
        Set<String> range = new TreeSet<>(), keeps = new TreeSet<>();
        for (Function f : Function.all().values()) {
            if (f.perSeries() == Function.PerSeries.RANGE) range.add(f.name());
            if (f.keepsName()) keeps.add(f.name());
        }
        assertTrue(range.contains("rate") && range.contains("sum_over_time"), range.toString());
        // absent_over_time invents a series, quantile_over_time takes a scalar first: neither is per series.
        assertFalse(range.contains("absent_over_time") || range.contains("quantile_over_time"), range.toString());
        assertEquals(Set.of("first_over_time", "last_over_time"), keeps);
        assertEquals(Function.PerSeries.ELEMENTWISE, Function.get("clamp").perSeries());
        assertEquals(Function.PerSeries.NO, Function.get("label_replace").perSeries());
    }
}
