package dev.strata.query.engine;

import dev.strata.query.ast.Call;

/** The experimental info() function; not implemented yet: fails clearly instead of guessing. */
final class InfoFunction {
    private InfoFunction() {}

    static Object eval(Evaluator ev, Call c) {
        throw QueryException.execution("function \"info\" is not implemented by this engine yet");
    }
}
