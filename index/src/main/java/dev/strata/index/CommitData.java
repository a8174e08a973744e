package dev.strata.index;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;

/**
 * The user data of a label-index commit (Lucene stores it in the segments_N file, checksummed):
 * {@code strata.shard}, {@code strata.kafkaOffset} (the index is complete up to this offset, -1 =
 * unknown), {@code strata.nextSeriesId} and {@code strata.lastSampleTimes} (the file holding the
 * last-sample times as of this commit), and {@code strata.formatVersion} ({@link #FORMAT_VERSION}; an
 * index of another version, or of version 1 which lacked the key, is rebuilt on open).
 */
record CommitData(int shard, long kafkaOffset, int nextSeriesId, String lastSampleTimesFile) {
    static final String SHARD = "strata.shard";
    static final String OFFSET = "strata.kafkaOffset";
    static final String NEXT_ID = "strata.nextSeriesId";
    static final String TIMES = "strata.lastSampleTimes";
    static final String FORMAT = "strata.formatVersion";
    /** 1: label fields with sorted doc values, #id with an IntPoint. 2: postings only, #id doc values only. */
    static final int FORMAT_VERSION = 2;

    static Map<String, String> of(int shard, long kafkaOffset, int nextSeriesId, String timesFile) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(SHARD, Integer.toString(shard));
        m.put(OFFSET, Long.toString(kafkaOffset));
        m.put(NEXT_ID, Integer.toString(nextSeriesId));
        m.put(TIMES, timesFile);
        m.put(FORMAT, Integer.toString(FORMAT_VERSION));
        return m;
    }

    /** Parses user data; an index committed by something else (no strata keys) is corrupt for us. */
    static CommitData parse(Map<String, String> userData, String resource)
            throws CorruptIndexException, IndexFormatTooOldException, IndexFormatTooNewException {
        if (userData.containsKey(SHARD)) {
            String v = userData.getOrDefault(FORMAT, "1");
            int version;
            try {
                version = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new CorruptIndexException("commit user data has " + FORMAT + "=" + v, resource, e);
            }
            if (version < FORMAT_VERSION) throw new IndexFormatTooOldException(resource, version, FORMAT_VERSION, FORMAT_VERSION);
            if (version > FORMAT_VERSION) throw new IndexFormatTooNewException(resource, version, FORMAT_VERSION, FORMAT_VERSION);
        }
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
