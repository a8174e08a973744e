package dev.strata.store.memstore;

/**
 * A shard's append outcome counters. Written by the shard's writer thread only, read racily by metrics
 * (plain longs: a reader may see a slightly old value, never a torn one on 64-bit JVMs).
 */
final class ShardCounters {
    long appended, duplicates, conflicts, tooOld, unknownSeries, evictedSeries, alreadyPersisted;

    /** Counts one append outcome. */
    void count(AppendResult r) {
        switch (r) {
            case APPENDED -> appended++;
            case DUPLICATE -> duplicates++;
            case CONFLICT -> conflicts++;
            case OUT_OF_ORDER_TOO_OLD -> tooOld++;
            case ALREADY_PERSISTED -> alreadyPersisted++;
            case UNKNOWN_SERIES -> unknownSeries++;
        }
    }
}
