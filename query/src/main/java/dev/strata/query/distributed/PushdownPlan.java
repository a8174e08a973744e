package dev.strata.query.distributed;

import java.util.ArrayList;
import java.util.List;

/**
 * Plan of a pushed-down query (first of three steps; {@link PartialFanOut} sends, {@link PartialMerge}
 * merges): the partial queries the owners evaluate for each pushed aggregation, what each is for, and
 * the evaluation's step times.
 */
final class PushdownPlan {
    private PushdownPlan() {}

    /** What a partial query is for. */
    enum Role {
        /** The aggregation's own answer (avg: its sum; stddev/stdvar: the three parts): the samples it loads count. */
        MAIN,
        /** avg's count: reads the same series as its sum, whose samples already count. */
        AVG_COUNT,
        /** The first input series of each group (instant answers): neither samples nor annotations count. */
        ORDER_KEYS
    }

    /** One query sent to the owners of a pushed aggregation's shards. */
    record Partial(AggregationPushdown.Pushed pushed, Role role, String query) {
        /**
         * Whether the owners answer with histogram partials ({@link PushdownEvaluator#PARTIALS_PARAM}): the
         * sum of a sum or an avg, whose native histograms merge only from partials.
         */
        boolean histogramPartials() {
            AggregationPushdown.Merge m = pushed.merge();
            return role == Role.MAIN && (m == AggregationPushdown.Merge.AVG
                    || m == AggregationPushdown.Merge.FOLD && pushed.aggregate().op().equals("sum"));
        }
    }

    static List<Partial> partials(AggregationPushdown.Rewrite rw, long step) {
        List<Partial> out = new ArrayList<>();
        for (AggregationPushdown.Pushed p : rw.pushed()) {
            switch (p.merge()) {
                case AVG -> {
                    out.add(new Partial(p, Role.MAIN, p.as("sum")));
                    out.add(new Partial(p, Role.AVG_COUNT, p.as("count")));
                }
                case VARIANCE -> out.add(new Partial(p, Role.MAIN, p.varianceParts()));
                default -> out.add(new Partial(p, Role.MAIN, p.aggregate().toString()));
            }
            if (step == 0 && p.needsOrderKeys()) out.add(new Partial(p, Role.ORDER_KEYS, p.orderKeys()));
        }
        return out;
    }

    static long[] stepTimes(long start, long end, long step) {
        if (step == 0) return new long[] {start};
        long[] ts = new long[(int) ((end - start) / step) + 1];
        for (int i = 0; i < ts.length; i++) ts[i] = start + i * step;
        return ts;
    }
}
