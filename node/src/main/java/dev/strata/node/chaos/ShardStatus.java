package dev.strata.node.chaos;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the fault suite reads from a node's {@code /api/v1/status/shards} (format in
 * dev.strata.node.cluster.ClusterStatus): whether the cluster has settled after a membership fault -
 * every shard with at least the wanted number of ready owners, no handoff in progress, and a node that
 * left or crashed owning no replica slot.
 */
final class ShardStatus {
    private static final Pattern READY_OWNERS = Pattern.compile("\"readyOwners\":(\\d+)");

    private ShardStatus() {}

    /**
     * @param status the status JSON
     * @param shards the cluster's shard count (each must be listed)
     * @param wanted ready owners each shard needs (min(R, live nodes))
     * @param gone   ordinal of a node that left or crashed, or -1
     */
    static boolean settled(String status, int shards, int wanted, int gone) {
        Matcher m = READY_OWNERS.matcher(status);
        int seen = 0;
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) < wanted) return false;
            seen++;
        }
        return seen == shards && status.contains("\"handoffs\":[]") && (gone < 0 || slots(status, gone) == 0);
    }

    /** Replica slots the members list gives node {@code ordinal} (0 when it is not listed). */
    static int slots(String status, int ordinal) {
        Matcher m = Pattern.compile("\\{\"node\":" + ordinal + ",\"address\":\"[^\"]*\",\"zone\":\"[^\"]*\",\"state\":\"[a-z]+\",\"slots\":(\\d+)")
                .matcher(status);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
