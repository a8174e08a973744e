package dev.strata.query.engine;

import dev.strata.query.ast.ValueType;

public record Scalar(long timestampMs, double value) implements Value {
    @Override public ValueType type() { return ValueType.SCALAR; }
}
