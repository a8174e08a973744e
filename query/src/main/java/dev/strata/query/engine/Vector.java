package dev.strata.query.engine;

import dev.strata.query.ast.ValueType;
import java.util.List;

/** An instant vector; the order is the engine's (meaningful after sort functions and topk/bottomk). */
public record Vector(List<Sample> samples) implements Value {
    public Vector {
        samples = List.copyOf(samples);
    }

    @Override public ValueType type() { return ValueType.VECTOR; }
}
