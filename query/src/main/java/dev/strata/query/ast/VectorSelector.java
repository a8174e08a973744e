package dev.strata.query.ast;

import dev.strata.index.Matcher;
import java.util.List;

/**
 * An instant vector selector {@code name{matchers} offset d @ t}. {@code matchers} include the
 * {@code __name__} matcher when a name was given. {@code offset} is null when absent.
 */
public record VectorSelector(String name, List<Matcher> matchers, DurationExpr offset, AtModifier at,
                             boolean anchored, boolean smoothed) implements Expr {
    public VectorSelector {
        matchers = List.copyOf(matchers);
    }

    @Override public ValueType type() { return ValueType.VECTOR; }

    public VectorSelector withOffset(DurationExpr o) { return new VectorSelector(name, matchers, o, at, anchored, smoothed); }
    public VectorSelector withAt(AtModifier a) { return new VectorSelector(name, matchers, offset, a, anchored, smoothed); }
    public VectorSelector withAnchored() { return new VectorSelector(name, matchers, offset, at, true, smoothed); }
    public VectorSelector withSmoothed() { return new VectorSelector(name, matchers, offset, at, anchored, true); }

    @Override public String toString() { return Printer.print(this); }
}
