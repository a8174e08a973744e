package dev.strata.node.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When the fault suite calls a membership fault settled, from a /api/v1/status/shards answer (ClusterStatus's format). */
class ShardStatusTest {
    private static String status(String handoffs, int ready0, int ready1, int slotsOf2) {
        return "{\"status\":\"success\",\"data\":{\"epoch\":7,\"members\":["
                + "{\"node\":0,\"address\":\"127.0.0.1:1\",\"zone\":\"\",\"state\":\"active\",\"slots\":2},"
                + "{\"node\":2,\"address\":\"127.0.0.1:3\",\"zone\":\"\",\"state\":\"down\",\"slots\":" + slotsOf2 + "}],"
                + "\"handoffs\":[" + handoffs + "],\"shards\":["
                + "{\"shard\":0,\"readyOwners\":" + ready0 + ",\"owners\":[]},"
                + "{\"shard\":1,\"readyOwners\":" + ready1 + ",\"owners\":[]}]}}";
    }

    @Test
    void settledOnlyWithEveryShardReadyNoHandoffAndNothingOnTheNodeThatWent() {
        assertTrue(ShardStatus.settled(status("", 2, 2, 0), 2, 2, 2));
        assertTrue(ShardStatus.settled(status("", 2, 3, 0), 2, 2, -1));
        assertFalse(ShardStatus.settled(status("", 2, 1, 0), 2, 2, -1), "a shard short of ready owners");
        assertFalse(ShardStatus.settled(status("{\"shard\":1,\"from\":[2],\"to\":[0],\"state\":\"recovering\"}", 2, 2, 0), 2, 2, -1),
                "a handoff in progress");
        assertFalse(ShardStatus.settled(status("", 2, 2, 1), 2, 2, 2), "the node that went still owns a slot");
        assertTrue(ShardStatus.settled(status("", 2, 2, 1), 2, 2, -1));
        assertFalse(ShardStatus.settled(status("", 2, 2, 0), 3, 2, -1), "a shard missing from the answer");
        assertFalse(ShardStatus.settled("{\"status\":\"error\"}", 2, 1, -1));
        assertEquals(2, ShardStatus.slots(status("", 2, 2, 0), 0));
        assertEquals(0, ShardStatus.slots(status("", 2, 2, 0), 5), "not listed");
    }
}
