package dev.strata.query.distributed;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What storage reads learn during one PromQL evaluation: whether a partial answer is acceptable, and
 * which shards had no ready owner. Bound to the evaluating thread (the engine reads storage on the
 * thread that evaluates), by {@link #run}: queries through {@link PartialResponseEvaluator}, metadata
 * lookups through {@link ClusterMetadataSource#request}. Work an evaluation hands to other threads
 * (the partial queries of {@link PushdownEvaluator}) carries the scope along with {@link #within}.
 * Reads outside any scope accept partial data silently.
 */
public final class QueryScope {
    private static final ThreadLocal<QueryScope> CURRENT = new ThreadLocal<>();

    private final boolean partialAllowed;
    private final Set<Integer> missing = new TreeSet<>();

    private QueryScope(boolean partialAllowed) {
        this.partialAllowed = partialAllowed;
    }

    /** Runs {@code body} in a new scope; {@code scopeOut[0]} receives the scope to inspect afterwards. */
    public static <T> T run(boolean partialAllowed, QueryScope[] scopeOut, Supplier<T> body) {
        QueryScope previous = CURRENT.get();
        QueryScope scope = new QueryScope(partialAllowed);
        scopeOut[0] = scope;
        CURRENT.set(scope);
        try {
            return body.get();
        } finally {
            if (previous == null) CURRENT.remove();
            else CURRENT.set(previous);
        }
    }

    /**
     * Runs {@code body} on this thread in an existing scope (null: outside any scope), for work an
     * evaluation hands to another thread; the thread's previous scope is restored afterwards.
     */
    static <T> T within(QueryScope scope, Supplier<T> body) {
        QueryScope previous = CURRENT.get();
        if (scope == null) CURRENT.remove();
        else CURRENT.set(scope);
        try {
            return body.get();
        } finally {
            if (previous == null) CURRENT.remove();
            else CURRENT.set(previous);
        }
    }

    /** The current thread's scope, or null outside of one. */
    static QueryScope current() {
        return CURRENT.get();
    }

    public boolean partialAllowed() {
        return partialAllowed;
    }

    synchronized void addMissing(Set<Integer> shards) {
        missing.addAll(shards);
    }

    /** Shards no ready owner answered for, ascending. */
    public synchronized Set<Integer> missing() {
        return new TreeSet<>(missing);
    }
}
