package dev.strata.query.engine;

import dev.strata.query.ast.ValueType;

/** A query result: {@link Scalar}, {@link StringValue}, {@link Vector} or {@link Matrix}. */
public sealed interface Value permits Scalar, StringValue, Vector, Matrix {
    ValueType type();
}
