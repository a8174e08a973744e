package dev.strata.index;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.index.CorruptIndexException;

/**
 * The user data of a label-index commit (Lucene stores it in the segments_N file, checksummed):
 * {@code strata.shard}, {@code strata.kafkaOffset} (the index is complete up to this offset, -1 =
 * unknown), {@code strata.nextSeriesId} and {@code strata.lastSampleTimes} (the file holding the
 * last-sample times as of this commit).
 */
record CommitData(int shard, long kafkaOffset, int nextSeriesId, String lastSampleTimesFile) {
    static final String SHARD = "strata.shard";
    static final String OFFSET = "strata.kafkaOffset";
    static final String NEXT_ID = "strata.nextSeriesId";
    static final String TIMES = "strata.lastSampleTimes";

    static Map<String, String> of(int shard, long kafkaOffset, int nextSeriesId, String timesFile) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(SHARD, Integer.toString(shard));
        m.put(OFFSET, Long.toString(kafkaOffset));
        m.put(NEXT_ID, Integer.toString(nextSeriesId));
        m.put(TIMES, timesFile);
        return m;
    }

    /** Parses user data; an index committed by something else (no strata keys) is corrupt for us. */
    static CommitData parse(Map<String, String> userData, String resource) throws CorruptIndexException {
        try {
            return new CommitData(Integer.parseInt(required(userData, SHARD, resource)),
                    Long.parseLong(required(userData, OFFSET, resource)),
                    Integer.parseInt(required(userData, NEXT_ID, resource)),
                    required(userData, TIMES, resource));
        } catch (NumberFormatException e) {
            throw new CorruptIndexException("commit user data " + userData + " is malformed: " + e.getMessage(), resource, e);
        }
    }

    private static String required(Map<String, String> userData, String key, String resource) throws CorruptIndexException {
        String v = userData.get(key);
        if (v == null) throw new CorruptIndexException("commit user data lacks " + key + ": " + userData, resource);
        return v;
    }
}
