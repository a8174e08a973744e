package dev.strata.ingest.flush;

/**
 * Splits a shard's series into flush groups by label hash. Bits 16+ are used because the low bits of
 * the hash also pick the shard (with spread) and would put most of a shard's series in few groups.
 */
public final class FlushGroups {
    private FlushGroups() {}

    public static int groupOf(long labelsHash, int groups) {
        return (int) Math.floorMod(labelsHash >>> 16, (long) groups);
    }
}
