package dev.strata.ingest.recovery;

import dev.strata.ingest.consumer.Replay;
import dev.strata.ingest.consumer.ReplayFilter;
import dev.strata.ingest.flush.FlushGroups;
import java.util.Arrays;
import java.util.Map;

/**
 * Where a restarted shard resumes and what it skips. Given the flush groups' checkpoints (the highest
 * offset whose samples, for that group's series, are durable in Cassandra):
 * <ul>
 *   <li>start at {@code min over groups of checkpoint + 1}, or at the log's beginning when a group has
 *       no checkpoint; also no later than the label index's committed offset + 1 (unless the index was
 *       rebuilt from the series-key table), so every series of a record we do not replay is in the index;</li>
 *   <li>skip a record's samples for series of group g when the record's offset {@code <= checkpoint(g)};</li>
 *   <li>if the log no longer holds the start offset (retention), start at its earliest offset: the
 *       samples in between are lost and {@link #lostOffsets()} says how many offsets;</li>
 *   <li>the shard is ready once it reaches the log-end offset taken at start.</li>
 * </ul>
 * Immutable; {@link #skip} is called on the consumer thread for every series entry.
 */
public final class RecoveryPlan implements ReplayFilter {
    private final int groups;
    private final long[] checkpoints;
    private final long maxCheckpoint;
    private final long startOffset;
    private final long endOffset;
    private final long lostOffsets;

    private RecoveryPlan(int groups, long[] checkpoints, long startOffset, long endOffset, long lostOffsets) {
        this.groups = groups;
        this.checkpoints = checkpoints;
        this.maxCheckpoint = Arrays.stream(checkpoints).max().orElse(-1);
        this.startOffset = startOffset;
        this.endOffset = endOffset;
        this.lostOffsets = lostOffsets;
    }

    /**
     * @param checkpoints         group -> checkpoint as read from the checkpoint table (absent: none)
     * @param indexCommitted      the label index's committed offset (-1 if none)
     * @param indexRebuilt        true if the index was rebuilt from the series-key table (its offset then says nothing)
     * @param earliestOffset      the log's first offset now
     * @param endOffset           the log-end offset now (the readiness target)
     */
    public static RecoveryPlan of(int groups, Map<Integer, Long> checkpoints, long indexCommitted, boolean indexRebuilt,
                                  long earliestOffset, long endOffset) {
        long[] cps = new long[groups];
        Arrays.fill(cps, -1);
        checkpoints.forEach((g, off) -> {
            if (g >= 0 && g < groups) cps[g] = off;
        });
        long start = Long.MAX_VALUE;
        for (long cp : cps) start = Math.min(start, cp + 1);
        if (!indexRebuilt) start = Math.min(start, indexCommitted + 1);
        start = Math.max(0, start);
        long lost = 0;
        if (start < earliestOffset) {
            lost = earliestOffset - start;
            start = earliestOffset;
        }
        return new RecoveryPlan(groups, cps, start, endOffset, lost);
    }

    @Override
    public boolean skip(long offset, long seriesHash) {
        return offset <= maxCheckpoint && offset <= checkpoints[FlushGroups.groupOf(seriesHash, groups)];
    }

    /** The first offset to read. */
    public long startOffset() { return startOffset; }

    /** The log-end offset at start: ready once reached. */
    public long endOffset() { return endOffset; }

    /** Offsets the log no longer held that recovery needed (0 when none were lost). */
    public long lostOffsets() { return lostOffsets; }

    /** Checkpoint per group, -1 for none. */
    public long[] checkpoints() { return checkpoints.clone(); }

    /** The consumer's view: this filter and the readiness target. */
    public Replay replay() {
        return new Replay(endOffset, this);
    }

    @Override
    public String toString() {
        return "RecoveryPlan[start=" + startOffset + ", end=" + endOffset + ", lost=" + lostOffsets + ", checkpoints="
                + Arrays.toString(checkpoints) + "]";
    }
}
