package dev.strata.query.engine;

import dev.strata.query.ast.ValueType;
import java.util.List;

/** A range vector or range-query result; series sorted by labels. */
public record Matrix(List<SeriesPoints> series) implements Value {
    public Matrix {
        series = List.copyOf(series);
    }

    @Override public ValueType type() { return ValueType.MATRIX; }
}
