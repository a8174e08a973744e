package dev.strata.query.engine;

import java.util.List;

/** The experimental anchored/smoothed range modifiers; not implemented yet: fails clearly. */
final class ExtendedRollups {
    private ExtendedRollups() {}

    static List<StepSeries> eval(Evaluator ev, String fn, RangeInput r, boolean anchored) {
        throw QueryException.execution((anchored ? "anchored" : "smoothed") + " range modifier is not implemented by this engine yet");
    }
}
