package dev.strata.ingest.recovery;

import dev.strata.ingest.consumer.Replay;
import dev.strata.ingest.consumer.ReplayFilter;
import dev.strata.ingest.flush.FlushGroups;
import dev.strata.store.cassandra.CheckpointTable.Stored;
import java.util.Arrays;
import java.util.List;

/**
 * Where a restarted shard resumes and what it skips. Given the flush groups' checkpoints (the highest
 * offset whose samples, for that group's series, are durable in Cassandra):
 * <ul>
 *   <li>checkpoints count in one log: the topic id they name must be the topic's id now, and none may
 *       be at or beyond the log's end. Otherwise the log was replaced (topic deleted and recreated,
 *       Kafka rebuilt, a broker's disk lost) and its offsets mean other records: the plan treats it as a
 *       new log ({@link #newLog()}): no checkpoints, no skips, the index's committed offset ignored;</li>
 *   <li>checkpoints count in one flush-group layout: if they were written with another group count
 *       (or before the count was recorded and do not match it), a series' group number changed, so
 *       every group takes the lowest stored checkpoint (-1 if a group of the old layout had none), which
 *       holds for every series ({@link #layoutChange()});</li>
 *   <li>start at {@code min over groups of checkpoint + 1}, or at the log's beginning when a group has
 *       no checkpoint; also no later than the label index's committed offset + 1 (unless the index was
 *       rebuilt from the series-key table), so every series of a record we do not replay is in the index;</li>
 *   <li>skip a record's samples for series of group g when the record's offset {@code <= checkpoint(g)};</li>
 *   <li>if the log no longer holds the start offset (retention), start at its earliest offset: the
 *       samples in between are lost and {@link #lostOffsets()} says how many offsets;</li>
 *   <li>the shard is ready once it reaches the log-end offset taken at start.</li>
 * </ul>
 * When the stored rows do not already say exactly this plan's log and layout, {@link #rewrite()} is
 * true: the caller replaces them with {@link #checkpoints()} before consuming, so the flush never
 * leaves rows of two logs or layouts side by side.
 * Immutable; {@link #skip} is called on the consumer thread for every series entry.
 */
public final class RecoveryPlan implements ReplayFilter {
    private final int groups;
    private final long[] checkpoints;
    private final long maxCheckpoint;
    private final long startOffset;
    private final long endOffset;
    private final long lostOffsets;
    private final String newLog;
    private final String layoutChange;
    private final boolean rewrite;

    private RecoveryPlan(int groups, long[] checkpoints, long startOffset, long endOffset, long lostOffsets, String newLog,
                         String layoutChange, boolean rewrite) {
        this.groups = groups;
        this.checkpoints = checkpoints;
        this.maxCheckpoint = Arrays.stream(checkpoints).max().orElse(-1);
        this.startOffset = startOffset;
        this.endOffset = endOffset;
        this.lostOffsets = lostOffsets;
        this.newLog = newLog;
        this.layoutChange = layoutChange;
        this.rewrite = rewrite;
    }

    /**
     * @param topicId        the topic's id now (Kafka's topic id)
     * @param groups         the configured flush-group count
     * @param stored         the shard's checkpoint rows as read from the checkpoint table
     * @param indexCommitted the label index's committed offset (-1 if none)
     * @param indexRebuilt   true if the index was rebuilt from the series-key table (its offset then says nothing)
     * @param earliestOffset the log's first offset now
     * @param endOffset      the log-end offset now (the readiness target)
     */
    public static RecoveryPlan of(String topicId, int groups, List<Stored> stored, long indexCommitted, boolean indexRebuilt,
                                  long earliestOffset, long endOffset) {
        long[] cps = new long[groups];
        Arrays.fill(cps, -1);
        String newLog = otherLog(topicId, stored, indexRebuilt ? -1 : indexCommitted, endOffset);
        String layoutChange = null;
        boolean rewrite = false;
        if (newLog != null) {
            rewrite = true;
            indexRebuilt = true; // its committed offset counts in the old log
        } else if (!stored.isEmpty()) {
            layoutChange = layoutChange(groups, stored);
            if (layoutChange != null) {
                long lowest = lowestOfOldLayout(stored);
                Arrays.fill(cps, lowest);
                rewrite = true;
            } else {
                for (Stored s : stored) cps[s.group()] = s.offset();
                rewrite = stored.stream().anyMatch(s -> s.topicId() == null); // stamp rows written before ids were kept
            }
        }
        long start = Long.MAX_VALUE;
        for (long cp : cps) start = Math.min(start, cp + 1);
        if (!indexRebuilt) start = Math.min(start, indexCommitted + 1);
        start = Math.max(0, start);
        long lost = 0;
        if (start < earliestOffset) {
            lost = earliestOffset - start;
            start = earliestOffset;
        }
        return new RecoveryPlan(groups, cps, start, endOffset, lost, newLog, layoutChange, rewrite);
    }

    /** Why the stored state counts in another log than the topic's now, or null if it is the same log. */
    private static String otherLog(String topicId, List<Stored> stored, long indexCommitted, long endOffset) {
        for (Stored s : stored) {
            if (s.topicId() != null && !s.topicId().equals(topicId)) {
                return "the checkpoints were written for topic id " + s.topicId() + " but the topic now has id " + topicId
                        + " (deleted and recreated?)";
            }
        }
        for (Stored s : stored) {
            if (s.offset() >= endOffset) {
                return "the checkpoint of flush group " + s.group() + " is offset " + s.offset() + " but the log ends at "
                        + endOffset + " (the log was replaced or lost records)";
            }
        }
        if (indexCommitted >= endOffset) {
            return "the label index was committed at offset " + indexCommitted + " but the log ends at " + endOffset
                    + " (the log was replaced or lost records)";
        }
        return null;
    }

    /** Why the stored rows belong to another group layout, or null if they are this one's. */
    private static String layoutChange(int groups, List<Stored> stored) {
        for (Stored s : stored) {
            if (s.flushGroups() != 0 && s.flushGroups() != groups) {
                return "flush groups changed from " + s.flushGroups() + " to " + groups;
            }
        }
        // Rows written before the count was recorded: this layout if they are exactly groups 0..G-1 or a
        // prefix of them (a group that never flushed yet); a group number beyond G proves another one.
        for (Stored s : stored) {
            if (s.flushGroups() == 0 && s.group() >= groups) {
                return "flush groups changed from at least " + (s.group() + 1) + " to " + groups;
            }
        }
        return null;
    }

    /** The lowest checkpoint of the old layout, -1 if one of its groups had none. */
    private static long lowestOfOldLayout(List<Stored> stored) {
        int oldGroups = 0;
        for (Stored s : stored) oldGroups = Math.max(oldGroups, Math.max(s.flushGroups(), s.group() + 1));
        if (stored.size() < oldGroups) return -1;
        long lowest = Long.MAX_VALUE;
        for (Stored s : stored) lowest = Math.min(lowest, s.offset());
        return lowest;
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

    /** Why the stored checkpoints belong to another log (which is then read from its beginning), or null. */
    public String newLog() { return newLog; }

    /** How the flush-group layout changed (every group then resumes from the lowest old checkpoint), or null. */
    public String layoutChange() { return layoutChange; }

    /** True if the stored checkpoint rows must be replaced by {@link #checkpoints()} before consuming. */
    public boolean rewrite() { return rewrite; }

    /** The consumer's view: this filter and the readiness target. */
    public Replay replay() {
        return new Replay(endOffset, this);
    }

    @Override
    public String toString() {
        return "RecoveryPlan[start=" + startOffset + ", end=" + endOffset + ", lost=" + lostOffsets + ", checkpoints="
                + Arrays.toString(checkpoints) + (newLog != null ? ", new log: " + newLog : "")
                + (layoutChange != null ? ", " + layoutChange : "") + "]";
    }
}
