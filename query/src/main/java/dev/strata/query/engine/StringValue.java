package dev.strata.query.engine;

import dev.strata.query.ast.ValueType;

public record StringValue(long timestampMs, String value) implements Value {
    @Override public ValueType type() { return ValueType.STRING; }
}
